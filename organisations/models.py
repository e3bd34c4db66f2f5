"""Organisations (tenants), their members' roles, and invitations to join them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# One rule for every brand colour, also applied where colours are used (stylesheets, charts, PDF).
from .colours import colour_validator


class Sector(models.TextChoices):
    RETAIL = "retail", _("Retail")
    BANKING = "banking", _("Banking and finance")
    INSURANCE = "insurance", _("Insurance")
    TELECOM = "telecom", _("Telecommunications")
    ENERGY = "energy", _("Energy and utilities")
    TRANSPORT = "transport", _("Transport and travel")
    HEALTHCARE = "healthcare", _("Healthcare")
    PUBLIC = "public", _("Public sector")
    INDUSTRY = "industry", _("Industry")
    SERVICES = "services", _("Business services")
    SOFTWARE = "software", _("Software and technology")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    XS = "1-49", _("1–49 employees")
    S = "50-249", _("50–249 employees")
    M = "250-999", _("250–999 employees")
    L = "1000-4999", _("1,000–4,999 employees")
    XL = "5000+", _("5,000 employees or more")


class Country(models.TextChoices):
    FR = "FR", _("France")
    BE = "BE", _("Belgium")
    CH = "CH", _("Switzerland")
    LU = "LU", _("Luxembourg")
    CA = "CA", _("Canada")
    MA = "MA", _("Morocco")
    SN = "SN", _("Senegal")
    CI = "CI", _("Côte d'Ivoire")
    DE = "DE", _("Germany")
    ES = "ES", _("Spain")
    IT = "IT", _("Italy")
    GB = "GB", _("United Kingdom")
    US = "US", _("United States")
    OTHER = "ZZ", _("Other")


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    SPONSOR = "sponsor", _("Sponsor")
    RESPONDENT = "respondent", _("Respondent")
    VIEWER = "viewer", _("Viewer")


class Committee(models.TextChoices):
    """What the organisation calls its executive committee (the texts about the RACI and its steering use it)."""

    COMEX = "comex", _("COMEX (executive committee)")
    CODIR = "codir", _("CODIR (management committee)")
    COMITE_EXECUTIF = "comite_executif", _("Executive committee (comité exécutif)")
    COMITE_DIRECTION = "comite_direction", _("Management committee (comité de direction)")
    OTHER = "other", _("Another name")


class ChiefExecutive(models.TextChoices):
    """What the organisation calls its chief executive (the title of the RACI's ``ceo`` column and the texts)."""

    DG = "dg", _("DG (managing director)")
    PDG = "pdg", _("PDG (chairman and chief executive)")
    PRESIDENT = "president", _("Président (president)")
    DIRECTEUR_GENERAL = "directeur_general", _("Directeur général (managing director)")
    OTHER = "other", _("Another title")


#: The French title the RACI's ``ceo`` column takes for each choice. None: the framework's own
#: ("Direction générale", which DG abbreviates), so an organisation that picks nothing reads as before.
CHIEF_EXECUTIVE_TITLES_FR: dict[str, str | None] = {
    ChiefExecutive.DG: None,
    ChiefExecutive.PDG: "PDG",
    ChiefExecutive.PRESIDENT: "Président",
    ChiefExecutive.DIRECTEUR_GENERAL: "Directeur général",
}


def chief_executive_title_fr(choice: str, other: str = "") -> str | None:
    """The French title of the RACI's ``ceo`` column for a chief-executive setting; None: the framework's own."""
    if choice == ChiefExecutive.OTHER:
        return other or None
    return CHIEF_EXECUTIVE_TITLES_FR.get(choice)


#: The longest name an organisation may give its committee or its chief executive.
NAME_MAX_LENGTH = 40


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, default=SizeBand.M)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.FR)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    brand_colour = models.CharField(_("brand colour"), max_length=7, default="#1f4e79", validators=[colour_validator])
    committee = models.CharField(
        _("executive committee"), max_length=20, choices=Committee.choices, default=Committee.COMITE_DIRECTION
    )
    committee_other = models.CharField(_("executive committee's name"), max_length=NAME_MAX_LENGTH, blank=True)
    chief_executive = models.CharField(
        _("chief executive"), max_length=20, choices=ChiefExecutive.choices, default=ChiefExecutive.DG
    )
    chief_executive_other = models.CharField(_("chief executive's title"), max_length=NAME_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(committee__in=Committee.values), name="organisation_committee_choice"),
            models.CheckConstraint(
                condition=models.Q(chief_executive__in=ChiefExecutive.values), name="organisation_chief_executive_choice"
            ),
        ]

    def __str__(self):
        return self.name

    def committee_name(self) -> str:
        """The executive committee as a sentence names it, in the reader's language: "le COMEX", "the executive
        committee". English has one word for the French choices; a name typed by the organisation is used as is."""
        if self.committee == Committee.OTHER and self.committee_other:
            return self.committee_other
        # One English word, a French word per choice: the context tells gettext which.
        names: dict[str, str] = {
            Committee.COMEX: pgettext("committee name: COMEX", "executive committee"),
            Committee.CODIR: pgettext("committee name: CODIR", "executive committee"),
            Committee.COMITE_EXECUTIF: pgettext("committee name: comité exécutif", "executive committee"),
        }
        return names.get(self.committee, pgettext("committee name: comité de direction", "executive committee"))

    def chief_executive_name(self) -> str:
        """The chief executive as a sentence names them, in the reader's language: "le PDG", "the CEO"."""
        if self.chief_executive == ChiefExecutive.OTHER and self.chief_executive_other:
            return self.chief_executive_other
        names: dict[str, str] = {
            ChiefExecutive.PDG: pgettext("chief executive name: PDG", "CEO"),
            ChiefExecutive.PRESIDENT: pgettext("chief executive name: Président", "CEO"),
            ChiefExecutive.DIRECTEUR_GENERAL: pgettext("chief executive name: directeur général", "CEO"),
        }
        return names.get(self.chief_executive, pgettext("chief executive name: DG", "CEO"))

    def chief_executive_title_fr(self) -> str | None:
        """The French title of the RACI's ``ceo`` column; None: the framework's own."""
        return chief_executive_title_fr(self.chief_executive, self.chief_executive_other)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"


class Invitation(models.Model):
    """An invitation to join an organisation; the e-mailed link is signed, expiring and single-use."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_pending(self):
        return self.accepted_at is None and self.expires_at > timezone.now()


class Firm(models.Model):
    """A consultancy whose facilitators run rounds; its name, logo and colour go on the PDF cover and in
    the header of the app for its members. Every member of a firm may edit it (no roles inside a firm)."""

    name = models.CharField(_("name"), max_length=120)
    logo = models.ImageField(_("logo"), upload_to="firm-logos/", blank=True)
    brand_colour = models.CharField(_("brand colour"), max_length=7, default="#1f4e79", validators=[colour_validator])
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="firms", blank=True, verbose_name=_("members"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("firm")
        verbose_name_plural = _("firms")
        ordering = ["name"]

    def __str__(self):
        return self.name
