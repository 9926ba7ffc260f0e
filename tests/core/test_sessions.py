"""The session engine used with Redis: signed-in sessions in the database (and cached),
anonymous ones in the cache only (delaktig.core.sessions)."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from delaktig.accounts.models import User
from delaktig.core.sessions import SessionStore

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("engine"),
]


@pytest.fixture
def engine():
    with override_settings(SESSION_ENGINE="delaktig.core.sessions"):
        yield


def signed_in_data(user: User) -> dict[str, str]:
    return {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }


def test_an_anonymous_session_is_kept_in_the_cache_only() -> None:
    store = SessionStore()
    store["survey_4"] = "token"
    store.save()
    assert store.session_key
    assert not Session.objects.exists()
    assert SessionStore(store.session_key)["survey_4"] == "token"


def test_an_unchanged_anonymous_session_is_not_written_twice() -> None:
    store = SessionStore()
    store.save()  # a key is needed now (a participant key), stored empty
    key = store.cache_key
    cache.delete(key)  # so that a second write would show
    store.save()  # the request ends: nothing new to store
    assert cache.get(key) is None
    store["survey_4"] = "token"
    store.save()
    assert cache.get(key) == {"survey_4": "token"}


def test_a_signed_in_session_is_in_the_database_and_survives_a_lost_cache() -> None:
    user = User.objects.create_user("anna", password="Ett-langt-losenord-1")
    store = SessionStore()
    store.update(signed_in_data(user))
    store.create()
    store.save()
    assert Session.objects.filter(session_key=store.session_key).exists()
    cache.clear()
    assert SessionStore(store.session_key)[SESSION_KEY] == str(user.pk)


def test_signing_in_after_an_anonymous_visit_writes_the_session_to_the_database() -> None:
    user = User.objects.create_user("anna", password="Ett-langt-losenord-1")
    client = Client()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    cache.clear()
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 200


def test_a_session_signed_out_elsewhere_is_not_brought_back() -> None:
    user = User.objects.create_user("anna", password="Ett-langt-losenord-1")
    first = SessionStore()
    first.update(signed_in_data(user))
    first.create()
    second = SessionStore(first.session_key)
    assert second[SESSION_KEY] == str(user.pk)  # read before the other tab signs out
    first.delete()  # signed out in another tab
    second["language"] = "en"
    with pytest.raises(UpdateError):
        second.save()
    assert not Session.objects.exists()


def test_a_taken_key_is_refused_when_a_session_is_created() -> None:
    store = SessionStore()
    store["a"] = 1
    store.create()
    store.save()
    copy = SessionStore(store.session_key)
    copy._session_cache = {"b": 2}
    with pytest.raises(CreateError):
        copy.save(must_create=True)
    assert SessionStore(store.session_key)["a"] == 1


def test_signing_out_gives_a_new_anonymous_session_without_a_database_row() -> None:
    user = User.objects.create_user("anna", password="Ett-langt-losenord-1")
    client = Client()
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    assert not Session.objects.exists()
    assert client.get(reverse("accounts:me")).status_code == 302  # signed out


def test_the_sign_in_form_works_after_an_anonymous_visit() -> None:
    User.objects.create_user("anna", password="Ett-langt-losenord-1")
    client = Client()
    client.get(reverse("accounts:login"))
    client.session.save()  # an anonymous session first (it lives in the cache only)
    response = client.post(
        reverse("accounts:login"), {"username": "anna", "password": "Ett-langt-losenord-1"}
    )
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("accounts:me")).status_code == 200


def test_a_key_drawn_for_an_anonymous_visitor_is_stored_once_when_the_request_ends() -> None:
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from delaktig.core.sessions import ensure_session_key

    keys: list[str] = []

    def view(request):  # a submission that needs a participant key twice
        keys.append(ensure_session_key(request.session))
        keys.append(ensure_session_key(request.session))
        return HttpResponse("ok")

    request = RequestFactory().post("/")
    response = SessionMiddleware(view)(request)
    assert keys[0] == keys[1]
    assert response.cookies["sessionid"].value == keys[0]
    assert SessionStore(keys[0]).exists(keys[0])
    assert not Session.objects.exists()


def test_with_the_database_engine_a_drawn_key_is_saved_at_once() -> None:
    from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

    from delaktig.core.sessions import ensure_session_key

    session = DatabaseStore()
    key = ensure_session_key(session)
    assert Session.objects.filter(session_key=key).exists()
