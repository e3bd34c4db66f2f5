"""Logos: a pixel bomb is refused from its header, the form is atomic, and no logo file outlives its use."""

import os
import re
import subprocess
import sys
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from organisations.models import Firm, Organisation

pytestmark = pytest.mark.django_db(transaction=True)  # old logo files are deleted on commit

SETTINGS = {"sector": "retail", "size_band": "1000-4999", "country": "FR", "brand_colour": "#123456"}


def _spaces(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", str(text))


def png(size=(40, 20), colour="red", mode="RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes, name="logo.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


def bomb() -> bytes:
    """A small PNG (a few hundred kB) of 13000 × 13000 pixels: decoding it takes over a gigabyte."""
    return png(size=(13000, 13000), colour=0, mode="1")


def noisy_png_over_2_mb() -> bytes:
    """A valid image the form field accepts, that the logo rules refuse (over 2 MB)."""
    image = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    buffer = BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    data = buffer.getvalue()
    assert len(data) > 2 * 1024 * 1024
    return data


def org_settings(client, org, **data):
    return client.post(reverse("organisations:settings", args=[org.slug]), {"name": org.name, **SETTINGS, **data})


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any pixel data is decoded."""

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"a {self.size[0]} × {self.size[1]} image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # production does not turn it into an error
def test_a_pixel_bomb_logo_is_refused_next_to_the_field_without_being_decoded(org, client_for, no_decoding):
    client = client_for(org.members_by_role["facilitator"])
    data = bomb()
    assert len(data) < 1024 * 1024
    response = org_settings(client, org, name="Acme Retail (renamed)", logo_upload=upload(data))
    assert response.status_code == 200
    errors = response.context["form"].errors["logo_upload"]
    # French sets the dimensions with no-break spaces: compare with spaces folded.
    assert any("13000 × 13000" in _spaces(e) for e in errors), errors
    page = response.content.decode()
    assert "13000 × 13000" in _spaces(page) and 'value="Acme Retail (renamed)"' in page  # what was typed is kept
    org.refresh_from_db()
    assert not org.logo and org.name == "Acme Retail"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_pixel_bomb_firm_logo_is_refused_without_being_decoded(org, client_for, no_decoding):
    consultant = org.members_by_role["facilitator"]
    firm = Firm.objects.create(name="Conseil", brand_colour="#7a1f4e")
    firm.members.add(consultant)
    response = client_for(consultant).post(
        reverse("workspace:firm_settings", args=[firm.pk]),
        {"name": "Conseil", "brand_colour": "#7a1f4e", "logo_upload": upload(bomb())},
    )
    assert response.status_code == 200
    assert any("13000 × 13000" in _spaces(e) for e in response.context["form"].errors["logo_upload"])


def test_logo_reencode_refuses_a_pixel_bomb_past_the_form(no_decoding):
    from django.core.exceptions import ValidationError

    from organisations.services import logo_reencode

    with pytest.raises(ValidationError):
        logo_reencode(upload(png(size=(5000, 4000), colour=0, mode="1")))


def test_decoding_a_pixel_bomb_logo_stays_small(tmp_path):
    """Measured in a fresh process: checking the 13000 × 13000 PNG leaves the peak memory near its baseline."""
    from django.conf import settings

    path = tmp_path / "bomb.png"
    Image.new("RGBA", (13000, 13000), (200, 30, 30, 255)).save(path)  # 0.69 MB: the file of the issue
    script = f"""
import resource, warnings, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxgov.settings.test")
django.setup()
warnings.simplefilter("ignore")
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from organisations.services import logo_reencode
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    logo_reencode(SimpleUploadedFile("bomb.png", open({str(path)!r}, "rb").read(), content_type="image/png"))
except ValidationError:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""
    env = dict(os.environ, PYTHONPATH=str(settings.BASE_DIR))
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR, env=env
    )
    grown_kb = int(run.stdout.split()[-1])
    # Decoding it takes about 1.3 GB (measured before the header check: +1294 MB in 10 s).
    assert grown_kb < 50 * 1024, f"checking the logo grew the process by {grown_kb // 1024} MB"


def test_remove_logo_with_a_refused_image_changes_nothing(org, client_for):
    client = client_for(org.members_by_role["facilitator"])
    assert org_settings(client, org, logo_upload=upload(png())).status_code == 302
    org.refresh_from_db()
    name = org.logo.name
    response = org_settings(client, org, remove_logo="on", logo_upload=upload(noisy_png_over_2_mb()))
    assert response.status_code == 200 and response.context["form"].errors["logo_upload"]
    org.refresh_from_db()
    assert org.logo.name == name and org.logo.storage.exists(name)
    served = client.get(reverse("organisations:logo", args=[org.slug]))
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_a_replaced_logo_file_is_deleted_and_the_new_one_kept(org, client_for):
    client = client_for(org.members_by_role["facilitator"])
    org_settings(client, org, logo_upload=upload(png(colour="red")))
    org.refresh_from_db()
    first = org.logo.name
    assert org_settings(client, org, logo_upload=upload(png(colour="blue"))).status_code == 302
    org.refresh_from_db()
    assert org.logo.name != first and org.logo.storage.exists(org.logo.name)
    assert not org.logo.storage.exists(first)
    second = org.logo.name
    assert org_settings(client, org, remove_logo="on").status_code == 302
    org.refresh_from_db()
    assert not org.logo and not org.logo.storage.exists(second)


def test_a_replaced_firm_logo_file_is_deleted(org, client_for):
    consultant = org.members_by_role["facilitator"]
    firm = Firm.objects.create(name="Conseil", brand_colour="#7a1f4e")
    firm.members.add(consultant)
    client = client_for(consultant)
    url = reverse("workspace:firm_settings", args=[firm.pk])
    client.post(url, {"name": "Conseil", "brand_colour": "#7a1f4e", "logo_upload": upload(png(colour="red"))})
    firm.refresh_from_db()
    first = firm.logo.name
    assert (
        client.post(url, {"name": "Conseil", "brand_colour": "#7a1f4e", "logo_upload": upload(png(colour="blue"))}).status_code
        == 302
    )
    firm.refresh_from_db()
    assert firm.logo.storage.exists(firm.logo.name) and not firm.logo.storage.exists(first)
    second = firm.logo.name
    refused = client.post(
        url, {"name": "Conseil", "brand_colour": "#7a1f4e", "remove_logo": "on", "logo_upload": upload(noisy_png_over_2_mb())}
    )
    assert refused.status_code == 200
    firm.refresh_from_db()
    assert firm.logo.name == second and firm.logo.storage.exists(second)


def test_deleting_an_organisation_or_a_firm_deletes_its_logo_file(org, client_for):
    from organisations.services import firm_update, organisation_update

    organisation_update(organisation=org, logo_upload=upload(png()))
    firm = Firm.objects.create(name="Conseil", brand_colour="#7a1f4e")
    firm_update(firm=firm, logo_upload=upload(png()))
    names = [(org.logo.storage, org.logo.name), (firm.logo.storage, firm.logo.name)]
    assert all(storage.exists(name) for storage, name in names)
    Organisation.objects.filter(pk=org.pk).delete()
    Firm.objects.filter(pk=firm.pk).delete()
    assert not any(storage.exists(name) for storage, name in names)


def test_a_logo_whose_file_is_gone_is_a_404_not_a_500(org, client_for):
    """Rows left by the earlier non-atomic save name a file that no longer exists."""
    client = client_for(org.members_by_role["facilitator"])
    org_settings(client, org, logo_upload=upload(png()))
    org.refresh_from_db()
    org.logo.storage.delete(org.logo.name)
    assert client.get(reverse("organisations:logo", args=[org.slug])).status_code == 404
    assert client.get(reverse("organisations:settings", args=[org.slug])).status_code == 200
