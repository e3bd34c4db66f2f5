"""Writes on accounts."""

from django.db import transaction

from .models import User


@transaction.atomic
def user_create(*, email: str, password: str | None, full_name: str = "", language: str = "fr") -> User:
    return User.objects.create_user(email=email, password=password, full_name=full_name, language=language)


def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
