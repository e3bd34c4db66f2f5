"""Who may do what: the one place that encodes PRODUCT.md's rights table."""

from enum import StrEnum

from .models import Role


class Action(StrEnum):
    VIEW_ORGANISATION = "view_organisation"
    EDIT_ORGANISATION = "edit_organisation"
    MANAGE_MEMBERS = "manage_members"  # change roles, remove members, invite any role
    INVITE_MEMBERS = "invite_members"  # invite (sponsors: not as facilitator)
    MANAGE_ROUNDS = "manage_rounds"  # create, withdraw participants, close, reopen, publish
    INVITE_PARTICIPANTS = "invite_participants"
    ANSWER = "answer"  # only in rounds the member takes part in
    VIEW_INDIVIDUAL_ANSWERS = "view_individual_answers"  # attributed rounds only
    VIEW_RESULTS_UNPUBLISHED = "view_results_unpublished"
    VIEW_RESULTS_PUBLISHED = "view_results_published"
    EDIT_CONSENSUS_ROADMAP_RACI = "edit_consensus_roadmap_raci"
    SET_TARGETS = "set_targets"
    UPDATE_INITIATIVE_STATUS = "update_initiative_status"
    DOWNLOAD_ANSWERS = "download_answers"
    DOWNLOAD_EXPORTS_UNPUBLISHED = "download_exports_unpublished"
    DOWNLOAD_EXPORTS_PUBLISHED = "download_exports_published"
    VIEW_MEASUREMENTS = "view_measurements"  # the KPI register, trends and KPI tree
    MANAGE_MEASUREMENTS = "manage_measurements"  # add, edit, delete values; import CSV files
    # Role holders, the steering rhythm and its agenda (facilitators edit them with EDIT_CONSENSUS_ROADMAP_RACI).
    VIEW_STEERING = "view_steering"
    RECORD_DECISIONS = "record_decisions"  # the steering committee's decision log (issue #17)


_EVERYONE = {Action.VIEW_ORGANISATION, Action.VIEW_RESULTS_PUBLISHED, Action.DOWNLOAD_EXPORTS_PUBLISHED, Action.VIEW_MEASUREMENTS}

RIGHTS: dict[str, frozenset[Action]] = {
    Role.FACILITATOR: frozenset(Action),
    Role.SPONSOR: frozenset(
        _EVERYONE
        | {
            Action.INVITE_MEMBERS,
            Action.INVITE_PARTICIPANTS,
            Action.ANSWER,
            Action.VIEW_RESULTS_UNPUBLISHED,
            Action.SET_TARGETS,
            Action.UPDATE_INITIATIVE_STATUS,
            # The sponsor follows delivery with the committee, as for initiative statuses.
            Action.RECORD_DECISIONS,
            Action.DOWNLOAD_EXPORTS_UNPUBLISHED,
            Action.MANAGE_MEASUREMENTS,
            Action.VIEW_STEERING,
        }
    ),
    Role.RESPONDENT: frozenset(_EVERYONE | {Action.ANSWER}),
    Role.VIEWER: frozenset(_EVERYONE),
}

# Roles a member may hand out when inviting: sponsors may invite, but never make a facilitator.
INVITABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.FACILITATOR: (Role.FACILITATOR, Role.SPONSOR, Role.RESPONDENT, Role.VIEWER),
    Role.SPONSOR: (Role.SPONSOR, Role.RESPONDENT, Role.VIEWER),
}


def role_can(role: str, action: Action) -> bool:
    return action in RIGHTS.get(role, frozenset())


# Firms have no roles: every member of a firm may see and edit its settings (name, logo, colour) and
# manage its engagement templates; anyone else gets a 404 for the firm's pages (selectors.firm_get).
# Operators add and remove firm members in the Django admin.
