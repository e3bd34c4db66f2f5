"""What roadmaps registers with the apps below it (assessments never imports roadmaps)."""

from django.utils.translation import gettext as _

from .exports import raci_errors


def raci_publish_check(*, round_) -> list[str]:
    """Publication needs a to-be RACI without errors (PRODUCT.md)."""
    errors = raci_errors(round_)
    if not errors:
        return []
    return [
        _("The round cannot be published while the to-be RACI has errors (%(count)d): fix them on the RACI page.")
        % {"count": len(errors)}
    ]


def connect() -> None:
    from assessments import publish_checks

    publish_checks.register(raci_publish_check)
