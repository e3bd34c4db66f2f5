"""What a facilitator reads beside a 2.0 question and respondents never see: the guidance (probing
questions, the usual over-rating trap) and, level by level, the evidence to ask for.

Shown on the printable questionnaire and on the workshop page to the roles that run the workshop
(Action.EDIT_CONSENSUS_ROADMAP_RACI); the respondent's screens never render it.
"""

from dataclasses import dataclass

from organisations.permissions import Action, role_can

from .answer_flow import answers_v2


@dataclass(frozen=True)
class LevelEvidence:
    level: int
    label: str  # "3 · Defined"
    title: str  # the level's short title
    evidence: str


@dataclass(frozen=True)
class QuestionNotes:
    guidance: str
    levels: list[LevelEvidence]


def shown_to(membership, framework) -> bool:
    """Whether this member sees the facilitator's notes of this framework (2.0 only: 1.0 has none)."""
    return answers_v2(framework) and role_can(membership.role, Action.EDIT_CONSENSUS_ROADMAP_RACI)


def notes_for(framework, question) -> QuestionNotes:
    return QuestionNotes(
        guidance=question.tr("guidance"),
        levels=[
            LevelEvidence(
                level=entry["level"],
                label=f"{entry['level']} · {framework.level_label(entry['level'])}",
                title=question.level_title(entry["level"]),
                evidence=question.level_evidence(entry["level"]),
            )
            for entry in framework.levels
        ],
    )


def attach(framework, questions) -> None:
    """Sets ``facilitator_notes`` on each question, for the templates."""
    for question in questions:
        question.facilitator_notes = notes_for(framework, question)
