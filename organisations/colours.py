"""Brand colours (an organisation's, a firm's): one rule, used by the forms, the stylesheets and the charts.

A colour is exactly ``#RRGGBB``. It ends up in CSS and SVG attributes, so a stored value that is
anything else (an import, the admin, older data) is replaced by the default where it is used.
"""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

DEFAULT_BRAND = "#1f4e79"
BRAND_PATTERN = r"#[0-9a-fA-F]{6}"
_BRAND_RE = re.compile(BRAND_PATTERN)

# `$` (not `\Z`) keeps the validator the migrations recorded; form fields strip a trailing newline anyway.
colour_validator = RegexValidator(rf"^{BRAND_PATTERN}$", _("Enter a colour as #RRGGBB, for example #1f4e79."))


def valid_brand(colour: object) -> str:
    """``colour`` (lower case) if it is exactly ``#RRGGBB``, else :data:`DEFAULT_BRAND`."""
    if isinstance(colour, str) and _BRAND_RE.fullmatch(colour):
        return colour.lower()
    return DEFAULT_BRAND
