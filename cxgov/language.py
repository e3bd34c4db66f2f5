"""The active language as the two-letter key the bilingual content is stored under.

Library texts, templates and exports keep a French and an English version (`title_fr` / `title_en`,
`{"fr": …, "en": …}`). French is the product's default language, so when no language is active
(a management command, a worker before `translation.override`) or an unexpected one is, the
French version is the one shown. This module is part of the kernel: it imports Django but nothing
from the apps.
"""

from django.utils import translation

SUPPORTED = ("fr", "en")
DEFAULT = "fr"


def active_language() -> str:
    """ "fr" or "en": the active language's first two letters, French when none or another is active."""
    language = (translation.get_language() or DEFAULT)[:2]
    return language if language in SUPPORTED else DEFAULT
