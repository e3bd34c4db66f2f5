"""The one rule for "which language version to show": two letters, French by default."""

import pytest
from django.utils import translation

from cxgov.language import active_language


@pytest.mark.parametrize(
    ("active", "expected"),
    [("fr", "fr"), ("en", "en"), ("en-gb", "en"), ("fr-ca", "fr"), (None, "fr"), ("de", "fr")],
)
def test_active_language_is_two_letters_with_french_fallback(active, expected):
    with translation.override(active):
        assert active_language() == expected
