"""Accounts: e-mail login, lockout, sign-up setting, language per user, password reset in the user's language."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_is_case_insensitive(client):
    UserFactory(email="anne@example.test")
    response = client.post(reverse("accounts:login"), {"username": "Anne@Example.test", "password": "pass-1234-word"})
    assert response.status_code == 302


def test_lockout_after_repeated_failures(client, settings):
    UserFactory(email="bob@example.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "bob@example.test", "password": "wrong"})
    locked = client.post(reverse("accounts:login"), {"username": "bob@example.test", "password": "pass-1234-word"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signup_when_open_and_404_when_closed(client, settings):
    settings.CXGOV_OPEN_SIGNUP = False
    assert client.get(reverse("accounts:signup")).status_code == 404
    settings.CXGOV_OPEN_SIGNUP = True
    data = {
        "email": "new@example.test",
        "full_name": "Nina",
        "language": "en",
        "password1": "Tr3s-s3cret-pass",
        "password2": "Tr3s-s3cret-pass",
    }
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 302 and response.url == reverse("organisations:create")
    assert User.objects.get(email="new@example.test").language == "en"


def test_signup_errors_keep_what_was_typed(client):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "x@example.test", "full_name": "Xavier", "language": "fr", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    assert b'value="x@example.test"' in response.content and b'value="Xavier"' in response.content


def test_french_by_default_even_with_an_english_browser(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert '<html lang="fr">' in response.content.decode()
    assert b"Se connecter" in response.content


def test_language_switch_is_remembered_for_the_user(client):
    user = UserFactory(email="lang@example.test", language="fr")
    client.force_login(user)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en">' in client.get(reverse("workspace:home")).content.decode()


def test_language_switch_refuses_foreign_redirects(client):
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"


def test_password_reset_mail_in_the_users_language(client):
    UserFactory(email="eng@example.test", language="en")
    client.post(reverse("accounts:password_reset"), {"email": "eng@example.test"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert len(mail.outbox) == 1
    assert "choose a new password" in mail.outbox[0].subject


def test_password_change(client):
    user = UserFactory(email="pw@example.test")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pass-1234-word", "new_password1": "N3w-s3cret-pass", "new_password2": "N3w-s3cret-pass"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("N3w-s3cret-pass")
