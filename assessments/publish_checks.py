"""What publishing a round needs, checked by the apps that know (roadmaps: a to-be RACI without errors).

Those apps sit above assessments: each registers its check here from its ``AppConfig.ready``, so
assessments never imports them. ``round_transition`` runs every check before publishing and refuses
with all their messages (services.PublishBlocked).
"""

from collections.abc import Callable

#: ``check(round_=)`` → what blocks publication, one translated message each (empty: nothing blocks).
Check = Callable[..., list[str]]

_CHECKS: list[Check] = []


def register(check: Check) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def problems(*, round_) -> list[str]:
    """Every registered check's messages for the round, in registration order."""
    return [message for check in _CHECKS for message in check(round_=round_)]
