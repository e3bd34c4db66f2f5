"""Frameworks (versioned bilingual question banks), rounds, participants and their answers."""

from collections.abc import Mapping

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cxgov.language import active_language

from .domain.answers import not_applicable_allowed, variant_index
from .domain.snapshot import Results


class Bilingual:
    """Reads `<name>_fr` / `<name>_en` in the active language, falling back to French."""

    def tr(self, name: str) -> str:
        value = getattr(self, f"{name}_{active_language()}", "")
        return value or getattr(self, f"{name}_fr")


class Area(models.TextChoices):
    ROLE_DEFINITION = "role_definition", _("Role definition")
    STAKEHOLDER_ALIGNMENT = "stakeholder_alignment", _("Stakeholder alignment")
    SHARED_OBJECTIVES = "shared_objectives", _("Shared objectives")
    MEASUREMENT = "measurement", _("Measurement practice")


class Framework(Bilingual, models.Model):
    """A (key, version) is immutable once it exists: edits go into a new version."""

    key = models.SlugField(max_length=60)
    version = models.CharField(max_length=20)
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    levels = models.JSONField(help_text="[{level, label: {fr, en}}] × 5")
    raci_question_fr = models.CharField(max_length=300)
    raci_question_en = models.CharField(max_length=300)
    imported_at = models.DateTimeField(auto_now_add=True)
    # The contract the framework was imported with, so that it is exported in the same one (frameworks/loader.py).
    schema = models.CharField(max_length=40, default="cxgov.framework/1")
    short_form = models.JSONField(null=True, blank=True, help_text="{title: {fr, en}, questions: [question key]} (schema 2)")
    # The one-line meaning of each RACI letter, shown where the RACI question is asked (schema 2; null when the file has none).
    raci_definitions = models.JSONField(null=True, blank=True, help_text="{R, A, C, I: {fr, en}} (schema 2)")

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="unique_framework_version")]
        ordering = ["key", "version"]

    def __str__(self):
        return f"{self.key} {self.version}"

    def level_label(self, level: int) -> str:
        language = active_language()
        for entry in self.levels:
            if entry["level"] == level:
                return entry["label"].get(language) or entry["label"]["fr"]
        return str(level)


class Dimension(Bilingual, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    key = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    area = models.CharField(max_length=30, choices=Area.choices, blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    # Why the dimension matters, shown before its questions (schema 2; empty before).
    intro_fr = models.TextField(blank=True, default="")
    intro_en = models.TextField(blank=True, default="")

    # Not a column: the ordered questions selectors.dimensions_with_questions attaches in one query.
    question_list: list["Question"]

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="unique_dimension_key")]

    def __str__(self):
        return f"{self.key} {self.title_en}"


class Question(Bilingual, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    text_fr = models.TextField()
    text_en = models.TextField()
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    level_texts = models.JSONField(help_text="[{level, text: {fr, en}}] × 5; schema 2 adds title and evidence: {fr, en}")
    # Schema 2 (empty or null before): the facilitator's notes, when "not applicable" may be answered
    # ({when: {context key: [choices]}, reason: {fr, en}}) and the wording variants ([{when, text: {fr, en}}];
    # null when the file has none, so that it is exported as it was written).
    guidance_fr = models.TextField(blank=True, default="")
    guidance_en = models.TextField(blank=True, default="")
    not_applicable = models.JSONField(null=True, blank=True)
    variants = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="unique_question_key")]

    def __str__(self):
        return self.key

    def _level_entry(self, level: int, name: str) -> str:
        language = active_language()
        for entry in self.level_texts:
            if entry["level"] == level and name in entry:
                return entry[name].get(language) or entry[name]["fr"]
        return ""

    def level_text(self, level: int) -> str:
        return self._level_entry(level, "text")

    def level_title(self, level: int) -> str:
        """The level's short title (schema 2; "" for a framework that has none)."""
        return self._level_entry(level, "title")

    def level_evidence(self, level: int) -> str:
        """What a facilitator may ask to see at this level (schema 2; "" for a framework that has none)."""
        return self._level_entry(level, "evidence")

    def not_applicable_allowed(self, context: Mapping[str, str]) -> bool:
        """Whether "not applicable" may be answered by a respondent in ``context`` (context key → choice)."""
        return not_applicable_allowed(self.not_applicable, context)

    def text_in(self, context: Mapping[str, str]) -> str:
        """The question's wording for ``context``: the first variant whose condition holds, else its text."""
        variants = self.variants or []
        index = variant_index(variants, context)
        if index is None:
            return self.tr("text")
        wording = variants[index]["text"]
        return wording.get(active_language()) or wording["fr"]


class ContextScope(models.TextChoices):
    ROUND = "round", _("Round")
    RESPONDENT = "respondent", _("Respondent")


class ContextQuestion(Bilingual, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="context_questions")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    text_fr = models.TextField()
    text_en = models.TextField()
    choices = models.JSONField(help_text="[{key, label: {fr, en}}]")
    # Schema 2: answered once for the round or by each respondent for themselves ("" before: unsaid).
    scope = models.CharField(max_length=12, choices=ContextScope.choices, blank=True, default="")

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="unique_context_key")]

    def __str__(self):
        return self.key

    def choice_label(self, key: str) -> str:
        language = active_language()
        for choice in self.choices:
            if choice["key"] == key:
                return choice["label"].get(language) or choice["label"]["fr"]
        return key


class RaciActivity(Bilingual, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="raci_activities")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="unique_activity_key")]

    def __str__(self):
        return self.key


class RaciRole(Bilingual, models.Model):
    """The framework's default RACI roles (an organisation may rename and extend them later)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="raci_roles")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    title_fr = models.CharField(max_length=100)
    title_en = models.CharField(max_length=100)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="unique_raci_role_key")]

    def __str__(self):
        return self.key


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published")


class Function(models.TextChoices):
    CEO = "ceo", _("CEO")
    CXO = "cxo", _("CXO")
    CMO = "cmo", _("CMO")
    CFO = "cfo", _("CFO")
    CHRO = "chro", _("CHRO")
    COO = "coo", _("COO")
    CIO = "cio", _("CIO")
    SALES = "sales", _("Sales")
    SERVICE = "service", _("Customer service")
    PRODUCT = "product", _("Product")
    OTHER = "other", _("Other")


class Round(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="rounds")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(_("title"), max_length=150)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("No answer is linked to a person or a function anywhere.")
    )
    # Framework 2.0's short form (12–15 questions, a first pulse of the executive committee): the
    # same scale and the same dimensions, so its scores sit beside a full round's (issue #16).
    short_form = models.BooleanField(
        _("short form"),
        default=False,
        help_text=_(
            "A first pulse of the executive committee: only the framework's short form is asked, on the same scale and dimensions."
        ),
    )
    # Each question with an evidence rule is scored at most at the level the KPI register supports
    # (measurement's claims, through assessments/score_caps.py; issue #18). Off: no score changes.
    cap_by_evidence = models.BooleanField(
        _("cap by evidence"),
        default=False,
        help_text=_(
            "Each question with an evidence rule is scored at most at the level the KPI register supports. Changing it recomputes the results."
        ),
    )
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cxo_exists = models.BooleanField(_("a CXO exists"), null=True, blank=True)
    cxo_reports_to = models.CharField(_("the CXO reports to"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    everyone_submitted_notified_at = models.DateTimeField(null=True, blank=True)
    # The minimum response rule (assessments/domain/sample.py): below it, closing needs an explicit
    # override and every output carries a low-sample caveat.
    min_respondents = models.PositiveSmallIntegerField(
        _("minimum respondents per dimension"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Below this number of people in any dimension, the results are marked as resting on too few answers."),
    )
    min_response_percent = models.PositiveSmallIntegerField(
        _("minimum share of participants per dimension (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the invited participants who must have answered each dimension."),
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def accepts_answers(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def question_keys(self) -> frozenset[str] | None:
        """The keys of the questions this round asks, or None for every question of its framework."""
        if self.short_form and self.framework.short_form:
            return frozenset(self.framework.short_form.get("questions", ()))
        return None

    def asked_questions(self):
        """The round's questions (a queryset): its framework's, restricted to the short form when chosen.

        Every place that lists, counts or accepts a round's questions goes through here, so that a
        short-form round never shows, estimates or stores an answer to a question it does not ask.
        """
        questions = self.framework.questions.all()
        keys = self.question_keys
        return questions if keys is None else questions.filter(key__in=keys)

    @property
    def anonymity_frozen(self) -> bool:
        """Once opened (even if back to draft since), answers may have been given under its anonymity."""
        return self.opened_at is not None or self.status != RoundStatus.DRAFT


class Participant(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations")
    function = models.CharField(_("function"), max_length=12, choices=Function.choices)
    nonce = models.CharField(max_length=32)
    invited_at = models.DateTimeField(null=True, blank=True)
    # No longer read: the personal link now works until submission or closing (links.py). The column
    # stays so that organisation files exported before (privacy/portability.py) import unchanged.
    link_expires_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    last_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="unique_participant")]
        ordering = ["round", "id"]

    def __str__(self):
        return f"{self.user} in {self.round}"


class RoundInvitation(models.Model):
    """What an organisation invitation means for a round: accepting it makes the person a participant.

    Kept here, not on organisations.Invitation, because tenancy knows nothing of what it guards: the
    organisations app sends `invitation_accepted` and assessments enrols (assessments/handlers.py).
    The name is the one the inviter typed, never an account's; it goes with the invitation.
    """

    invitation = models.OneToOneField("organisations.Invitation", on_delete=models.CASCADE, related_name="round_invitation")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    function = models.CharField(_("function"), max_length=12, blank=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("round invitation")
        verbose_name_plural = _("round invitations")

    def __str__(self):
        return f"invitation {self.invitation_id} to {self.round_id}"


class Confidence(models.TextChoices):
    LOW = "low", _("Low confidence")
    HIGH = "high", _("High confidence")


class Answer(models.Model):
    """One row per (participant, question) — i.e. per (round, respondent, question); null level = don't know.

    Framework 2.0 adds "not applicable" (a null level with ``not_applicable``, accepted only where the
    question's rule holds: services.clean_answer) and how sure the respondent is of the level
    (``confidence``, null when not said). Scoring rules: assessments/domain/answers.py and scoring.py.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    # Database defaults too, as for the delegation columns below: services._upsert writes raw SQL.
    not_applicable = models.BooleanField(_("not applicable"), default=False, db_default=False)
    confidence = models.CharField(_("confidence"), max_length=4, choices=Confidence.choices, null=True, blank=True)
    comment = models.TextField(max_length=2000, blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Delegation (see Delegation): who answered for the participant, denormalised so that the
    # questionnaire shows it without a join. The answer counts as delegated while `delegated_at` is
    # set and `level` is still `delegated_level` (null = don't know): once the participant picks
    # another level, the answer is theirs again. The name is shown on the participant's own
    # questionnaire only, never in results, exports or the workshop.
    # Database defaults too: services._upsert inserts rows with raw SQL that leaves these columns out.
    delegated_by_name = models.CharField(_("answered by"), max_length=150, blank=True, default="", db_default="")
    delegate_email = models.EmailField(_("e-mail address of the colleague who answered"), blank=True, default="", db_default="")
    delegated_level = models.PositiveSmallIntegerField(null=True, blank=True)
    delegated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "question"], name="unique_answer"),
            models.CheckConstraint(condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5), name="answer_level_1_5"),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(level__isnull=True), name="answer_not_applicable_no_level"
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__in=Confidence.values), name="answer_confidence_low_high"
            ),
        ]

    def __str__(self):
        return f"{self.participant_id}/{self.question_id}={'na' if self.not_applicable else self.level}"


class DimensionImportance(models.Model):
    """How important a participant holds one dimension to be (1–3; null: not said), framework 2.0.

    The committee's importance of a dimension (assessments/domain/answers.committee_importance) is
    meant to feed the roadmap's priority where no target sets one.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="importances")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    importance = models.PositiveSmallIntegerField(_("importance"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("importance of a dimension")
        verbose_name_plural = _("importances of the dimensions")
        constraints = [
            models.UniqueConstraint(fields=["participant", "dimension"], name="unique_dimension_importance"),
            models.CheckConstraint(
                condition=Q(importance__isnull=True) | Q(importance__gte=1, importance__lte=3), name="dimension_importance_1_3"
            ),
        ]

    def __str__(self):
        return f"{self.participant_id}/{self.dimension_id}={self.importance}"


class AnswerNote(models.Model):
    """A comment or evidence link typed on a question that has no level yet.

    Kept apart from Answer so that it counts nowhere (PRODUCT.md: a question left untouched
    counts nowhere, and a null level already means "don't know"). Giving a level moves the
    note onto the new Answer row and deletes it (services.answer_save), so a person who types a
    comment first and picks the level afterwards loses nothing.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answer_notes")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(max_length=2000, blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "question"], name="unique_answer_note")]

    def __str__(self):
        return f"{self.participant_id}/{self.question_id} (note)"


class Delegation(models.Model):
    """One question a participant forwarded to a named colleague (no account) by e-mail.

    The e-mailed link is signed (id + nonce) and opens that question only. The colleague's answer
    is saved as the participant's, marked with the colleague's name (see Answer.delegated_*).
    The link works while the round is open, until it expires, is revoked (by the participant, or
    by a newer forward of the same question) or the participant changes the delegated answer.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="delegations")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    delegate_email = models.EmailField(_("colleague's e-mail address"))
    delegate_name = models.CharField(_("colleague's name"), max_length=150)
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["participant", "question"], name="delegation_participant_q")]

    def __str__(self):
        return f"{self.participant_id}/{self.question_id} → {self.delegate_email}"


class RaciAnswer(models.Model):
    """As-is RACI vote: who is accountable for the activity today (a role key, 'nobody' or 'dont_know')."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="raci_answers")
    activity = models.ForeignKey(RaciActivity, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "activity"], name="unique_raci_answer")]

    def __str__(self):
        return f"{self.participant_id}/{self.activity_id}={self.choice}"


class RaciLetter(models.Model):
    """As-is RACI 2.0: a letter R, C or I a participant gives one role for one activity, as they see it today.

    The A stays in RaciAnswer (one role, "nobody" or "dont_know" per activity), so that one A at most
    holds by construction and a 1.0 round, which asked for the A only, reads the same way. A role
    holds at most one of R, C and I; the role a participant names as A may also be R (it does the work).
    """

    class Letter(models.TextChoices):
        R = "R", _("R · Responsible")
        C = "C", _("C · Consulted")
        I = "I", _("I · Informed")  # noqa: E741

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="raci_letters")
    activity = models.ForeignKey(RaciActivity, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40)
    letter = models.CharField(max_length=1, choices=Letter.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "activity", "role"], name="unique_raci_letter"),
            models.CheckConstraint(condition=Q(letter__in=["R", "C", "I"]), name="raci_letter_rci"),
        ]

    def __str__(self):
        return f"{self.participant_id}/{self.activity_id}/{self.role}={self.letter}"


class ContextAnswer(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="context_answers")
    question = models.ForeignKey(ContextQuestion, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "question"], name="unique_context_answer")]

    def __str__(self):
        return f"{self.participant_id}/{self.question_id}={self.choice}"


class Consensus(models.Model):
    """The level the committee agreed on for a question, with why; it replaces the question's score only."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="consensus")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("agreed level"))
    rationale = models.TextField(_("rationale"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consensus")
        verbose_name_plural = _("consensus")
        constraints = [
            models.UniqueConstraint(fields=["round", "question"], name="unique_consensus"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="consensus_level_1_5"),
        ]

    def __str__(self):
        return f"{self.round_id}/{self.question_id}={self.level}"


class ResultSnapshot(models.Model):
    """The round's results as computed at closing (refreshed by consensus): what pages, exports and the PDF read."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="snapshot")
    data = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("result snapshot")
        verbose_name_plural = _("result snapshots")

    def __str__(self):
        return f"snapshot of {self.round_id} at {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def results(self) -> Results:
        """``data`` read through its type (assessments/domain/snapshot.py): every reader goes through this.

        Parsed once per instance (a request reads the round's one snapshot instance), and again only
        when ``data`` is replaced (``refresh_from_db``, a new computation assigned to it).
        """
        cached = self.__dict__.get("_results")
        if cached is None or cached[0] is not self.data:
            cached = (self.data, Results.from_data(self.data))
            self.__dict__["_results"] = cached
        return cached[1]
