"""Sessions: in the database for signed-in people, in the cache only for anonymous visitors.

Django's `cached_db` engine writes every session to the database, also the one an
anonymous resident gets when they support an idea or answer a survey. That was three
statements and two commits on every anonymous submission (a uniqueness check, an INSERT
and an UPDATE), more than the submission itself. An anonymous session holds nothing
that must outlive the cache: a participant key, a draft's resume token, rate-limit
state. If Redis loses it, the visitor is a new anonymous visitor, which they can become
at any time by clearing their cookies. A session that belongs to a signed-in person is
written to the database as before (and cached), so sign-ins survive a cache restart.

Used when Redis is configured (settings: REDIS_URL); without it, the plain database
engine is used.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, SessionBase
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.utils.crypto import get_random_string


class SessionStore(CachedDBStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        # Whether a row for this session is in the database. Only such a session may be
        # updated there; a signed-in session whose row is gone was signed out elsewhere,
        # and Django then refuses the request (SessionInterrupted) instead of bringing
        # the sign-in back.
        self._in_database = False
        self._stored: bytes | None = None  # what this store last wrote to the cache

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        self._in_database = SESSION_KEY in data
        return data

    def create(self) -> None:
        self._in_database = False  # a new key has no row yet
        super().create()

    def _get_new_session_key(self) -> str:
        # No lookup first: 32 characters from 36 are 165 random bits, and a collision is
        # still caught when the key is stored (cache.add / INSERT raise CreateError).
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        # django-stubs do not describe the session stores' private helpers.
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        if SESSION_KEY not in data and not self._in_database:
            self._save_in_cache(data, must_create)
            return
        if not must_create and not self._in_database:
            must_create = True  # signed in just now: the first write to the database
        super().save(must_create)
        self._in_database = True

    def draw_key(self) -> str:
        """A key for a new anonymous session now, stored with the session's data when the
        request ends (SessionMiddleware saves a modified session): one cache write."""
        self._session_key = self._get_new_session_key()
        self.modified = True
        return self._session_key

    def _save_in_cache(self, data: dict[str, Any], must_create: bool) -> None:
        # A new session is stored when its key is needed (create) and again when the
        # request ends, since it is then marked modified; the second write is skipped
        # when it would store the same data.
        stored = self.serializer().dumps(data)
        if not must_create and stored == self._stored:
            return
        age = self.get_expiry_age()
        if must_create:
            if not self._cache.add(self.cache_key, data, age):  # type: ignore[attr-defined]
                raise CreateError
        else:
            self._cache.set(self.cache_key, data, age)  # type: ignore[attr-defined]
        self._stored = stored


def ensure_session_key(session: SessionBase) -> str:
    """The session's key, drawn now if it has none (an anonymous participant key, a rate
    limit). With this engine a new anonymous session is then stored once, with its data,
    when the request ends (SessionMiddleware saves a modified session); with another
    engine it is saved at once."""
    if session.session_key:
        return session.session_key
    if isinstance(session, SessionStore) and SESSION_KEY not in session:
        return session.draw_key()
    session.save()
    return str(session.session_key)
