"""One normalisation of the e-mail identifier, shared by the login form and the lockout (django-axes)."""


def normalise_email(value) -> str:
    """Trimmed and case-folded: `Anne@Example.test ` and `anne@example.test` are one identity."""
    return str(value or "").strip().casefold()


def axes_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: failures count against the normalised address, so case or spaces never
    give fresh guesses on a locked account."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "data", request.POST).get("username") if request is not None else ""
    return normalise_email(raw)
