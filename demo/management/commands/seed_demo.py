"""Creates (or refreshes) the demo organisations and accounts; safe to run repeatedly.

It lives in the top layer because it composes every app's demo: each app seeds only its own data
(assessments the round and its answers, roadmaps the targets, roadmap and RACI, measurement the
KPIs), and this command calls them in order.
"""

from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from accounts.models import User
from assessments.demo import DEMO_ROUND_TITLE, seed_demo_round
from assessments.models import Round
from governance.demo import seed_demo_decisions
from measurement.demo import seed_demo_measurements
from organisations.models import Firm, Membership, Organisation, Role
from organisations.services import logo_reencode
from roadmaps.demo import seed_demo_roadmap, seed_demo_targets

DEMO_PASSWORD = "cxgov-demo"

ACCOUNTS = [
    # (e-mail, full name, language, organisation slug, role)
    ("consultant@demo.test", "Claire Consultante", "fr", "demo-retail", Role.FACILITATOR),
    ("sponsor@demo.test", "Sophie Martin (DG)", "fr", "demo-retail", Role.SPONSOR),
    ("respondent1@demo.test", "Marc Lefèvre", "fr", "demo-retail", Role.RESPONDENT),
    ("respondent2@demo.test", "Nadia Benali", "fr", "demo-retail", Role.RESPONDENT),
    ("respondent3@demo.test", "Julien Moreau", "fr", "demo-retail", Role.RESPONDENT),
    ("respondent4@demo.test", "Émilie Rousseau", "fr", "demo-retail", Role.RESPONDENT),
    ("respondent5@demo.test", "Thomas Girard", "fr", "demo-retail", Role.RESPONDENT),
    ("respondent6@demo.test", "Hélène Dubois", "fr", "demo-retail", Role.RESPONDENT),
    ("respondent7@demo.test", "Karim Haddad", "en", "demo-retail", Role.RESPONDENT),
    ("respondent8@demo.test", "Laura Petit", "fr", "demo-retail", Role.RESPONDENT),
    ("outsider@demo.test", "Olivier Extérieur", "fr", "other-bank", Role.FACILITATOR),
]

ORGANISATIONS = {
    "demo-retail": {
        "name": "Demo Retail",
        "sector": "retail",
        "size_band": "1000-4999",
        "country": "FR",
        "brand_colour": "#8a1538",
    },
    "other-bank": {"name": "Other Bank", "sector": "banking", "size_band": "5000+", "country": "BE", "brand_colour": "#0f5132"},
}


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help="Password of every demo account.")

    @transaction.atomic
    def handle(self, *args, password, **options):
        organisations = {}
        for slug, fields in ORGANISATIONS.items():
            organisations[slug], _created = Organisation.objects.update_or_create(slug=slug, defaults=fields)
        users = {}
        for email, name, language, slug, role in ACCOUNTS:
            user, created = User.objects.get_or_create(email=email, defaults={"full_name": name, "language": language})
            user.full_name, user.language, user.is_active = name, language, True
            user.set_password(password)
            user.save()
            Membership.objects.update_or_create(user=user, organisation=organisations[slug], defaults={"role": role})
            users[email] = user
        _seed_firm(users["consultant@demo.test"])
        retail = organisations["demo-retail"]
        # The workshop's targets are set once, with the round: a new run keeps targets edited since.
        round_existed = Round.objects.filter(organisation=retail, title=DEMO_ROUND_TITLE).exists()
        demo_round = seed_demo_round(retail, users)
        if demo_round is not None and not round_existed:
            seed_demo_targets(demo_round)
        seed_demo_measurements(retail)
        if demo_round is not None:
            seed_demo_roadmap(demo_round)
            seed_demo_decisions(demo_round)  # by the A holders of the RACI just proposed
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ with:"))
        for email, _name, _language, slug, role in ACCOUNTS:
            self.stdout.write(f"  {email:<24} {password}   ({role} of {ORGANISATIONS[slug]['name']})")


def _logo(text: str, colour: str):
    """A small generated logo (no binary asset in the repository), re-encoded like an upload."""
    font = ImageFont.truetype(str(settings.BASE_DIR / "static" / "fonts" / "LiberationSans-Bold.ttf"), 30)
    image = Image.new("RGB", (360, 120), colour)
    ImageDraw.Draw(image).text((24, 42), text, fill="white", font=font)
    out = BytesIO()
    image.save(out, format="PNG")
    # Through the upload's own re-encoding, so the stored bytes are what an upload (or an import) stores.
    return logo_reencode(ContentFile(out.getvalue(), name="logo.png"))


def _seed_firm(consultant) -> None:
    firm, created = Firm.objects.get_or_create(name="Conseil & Associés", defaults={"brand_colour": "#1f4e79"})
    if created or not firm.logo:
        firm.logo.save("conseil-associes.png", _logo("Conseil & Associés", "#1f4e79"), save=True)
    firm.members.add(consultant)
    retail = Organisation.objects.get(slug="demo-retail")
    if not retail.logo:
        retail.logo.save("demo-retail.png", _logo("DEMO RETAIL", "#8a1538"), save=True)
