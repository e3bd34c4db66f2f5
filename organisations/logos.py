"""Logo files of organisations and firms: checked before decoding, replaced atomically, never left behind.

A logo's file and the row that names it change together: the new file is written first, the row
saved, and the old file deleted only once the transaction has committed. A refused image, or a
save that fails, leaves the old logo and its file exactly as they were. Deleting an organisation
or a firm deletes its logo file after the deletion commits.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .models import Firm, Organisation

logger = logging.getLogger(__name__)

# A logo is shown at most 800 × 400: 16 million pixels (4000 × 4000) is plenty, and decoding that
# costs about 64 MB. The size is read from the file's header, before any pixel is decoded: a
# 0.7 MB PNG of 13000 × 13000 pixels would otherwise take 1.4 GB to decode.
LOGO_MAX_PIXELS = 16_000_000


def branded_form_save(form, update) -> bool:
    """Saves a valid organisation or firm form through ``update(logo_upload=, remove_logo=, **fields)``.

    The two pages with a logo (organisation settings, firm settings) share this: the logo fields go
    to the service apart from the others, and an image the service refuses becomes an error next to
    the upload field instead of an exception. Returns whether the change was saved.
    """
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("logo_upload", "remove_logo")}
    try:
        update(logo_upload=form.cleaned_data.get("logo_upload"), remove_logo=form.cleaned_data.get("remove_logo"), **data)
    except ValidationError as error:
        form.add_error("logo_upload", error)
        return False
    return True


def logo_check_dimensions(upload) -> None:
    """Refuses an image with too many pixels, reading only its header; the upload is rewound."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image we can read.")) from None
    finally:
        upload.seek(0)
    if width * height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("This image is %(width)d × %(height)d pixels: a logo may have at most 16 million pixels (for example 4000 × 4000).")
            % {"width": width, "height": height}
        )


def logo_replace(instance, *, content=None, filename: str = "", remove: bool = False) -> None:
    """Saves `instance` with its new logo (`content`) or none (`remove`); the old file goes after commit.

    Must run inside the caller's transaction. If saving the row fails, the new file is deleted and
    the old one kept, so the row never names a missing file.
    """
    field = instance.logo
    old_name = field.name or ""
    if content is not None:
        field.save(filename, content, save=False)  # the storage picks a free name: the old file is untouched
    elif remove:
        instance.logo = ""
    new_name = instance.logo.name or ""
    try:
        instance.save()
    except Exception:
        if new_name and new_name != old_name:
            instance.logo.storage.delete(new_name)
        instance.logo = old_name
        raise
    if old_name and old_name != new_name:
        storage = instance.logo.storage
        transaction.on_commit(lambda: _delete_file(storage, old_name))


def logo_response(field) -> FileResponse:
    """The stored PNG; no logo, or a file gone from storage (an older, non-atomic save lost it), is a 404."""
    if not field:
        raise Http404
    try:
        return FileResponse(field.open("rb"), content_type="image/png")
    except FileNotFoundError:
        raise Http404 from None


def _delete_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        # The row no longer names it: a file that cannot be removed now is only wasted space.
        logger.warning("could not delete the replaced logo file %s", name, exc_info=True)


@receiver(post_delete, sender=Organisation, dispatch_uid="organisations.logos.organisation_deleted")
@receiver(post_delete, sender=Firm, dispatch_uid="organisations.logos.firm_deleted")
def _logo_file_deleted_with_its_owner(sender, instance, **kwargs):
    if instance.logo and instance.logo.name:
        storage, name = instance.logo.storage, instance.logo.name
        transaction.on_commit(lambda: _delete_file(storage, name))
