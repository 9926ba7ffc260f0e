"""Bad input from a resident gets a Swedish answer, never a 500, and nothing is counted.

Two parts: numbers that `str.isdigit()` used to let through to `int()` ("²", "١٢", 30 digits)
on every endpoint that reads one, and a fuzz test that posts arbitrary Unicode to every field
of every form on every public participation page of the demo municipality, anonymous and
signed in. The forms are read from the pages themselves, so a new field is fuzzed too.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delaktig.core.public_cache import clear_local_copies
from delaktig.governance.demo import build_demo
from delaktig.participation.models import Activity, Contribution
from delaktig.participation.votes.models import Vote, VoteType

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BAD_NUMBERS = ["²", "①", "١٢", "-1", " ", "9" * 30, "1e3", "1_0", "\x00", "𝟙"]


@pytest.fixture
def demo() -> Any:
    ctx = build_demo()
    cache.clear()
    clear_local_copies()
    return ctx


def _signed_in(ctx: Any, key: str = "invanare") -> Client:
    client = Client(raise_request_exception=False)
    username = ctx.users[key].username
    password = next(p for _label, u, p in ctx.logins if u == username)
    response = client.post("/konto/logga-in/", {"username": username, "password": password})
    assert response.status_code == 302
    return client


def _open(method: str) -> Activity:
    return next(a for a in Activity.objects.filter(method=method) if a.is_open)


def test_a_ranked_vote_with_a_non_number_is_refused_in_swedish(demo: Any) -> None:
    vote = Vote.objects.filter(vote_type=VoteType.RANKED).select_related("activity").first()
    assert vote is not None and vote.activity.is_open
    client = _signed_in(demo)
    url = f"/delta/omrostning/{vote.activity_id}/"
    options = list(vote.options.values_list("pk", flat=True))
    before = Contribution.objects.count()
    for bad in BAD_NUMBERS:
        data = {f"rang-{pk}": str(i) for i, pk in enumerate(options, 1)}
        data[f"rang-{options[0]}"] = bad
        response = client.post(url, data)
        assert response.status_code == 400, (bad, response.status_code)
        html = response.content.decode()
        assert "Skriv platsen som en siffra" in html or "utan luckor" in html, bad
    assert Contribution.objects.count() == before


def test_numbers_in_requests_never_answer_500(demo: Any) -> None:
    anonymous = Client(raise_request_exception=False)
    discussion = _open("text_review")
    survey = _open("survey")
    for bad in BAD_NUMBERS:
        response = anonymous.post(
            f"/delta/samtal/{discussion.pk}/", {"section": bad, "k-text": "Bra förslag."}
        )
        assert response.status_code in (400, 404), (bad, response.status_code)
        # A page number that is not one shows the first page (NUL is refused outright).
        page = anonymous.get(f"/delta/enkat/{survey.pk}/", {"sida": bad})
        assert page.status_code in (200, 400), (bad, page.status_code)
        assert anonymous.get("/dialoger/", {"sida": bad}).status_code in (200, 400), bad
        for name in ("sida", "per_sida"):
            api = anonymous.get("/api/aktiviteter/", {name: bad})
            assert api.status_code == 400, (name, bad)
            assert api.json()["fel"]["kod"] == "ogiltig_parameter"


# --- fuzzing every form of every public participation page -----------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: action and the names (and offered values) of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
        elif self._fields is None:
            return
        elif tag in ("input", "textarea", "select", "button") and a.get("name"):
            values = self._fields.setdefault(a["name"], [])
            if a.get("value"):
                values.append(a["value"])
            self._select = a["name"] if tag == "select" else self._select
        elif tag == "option" and self._select and a.get("value"):
            self._fields[self._select].append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


def _targets(client: Client) -> list[tuple[str, dict[str, list[str]]]]:
    targets: list[tuple[str, dict[str, list[str]]]] = []
    for activity in Activity.objects.select_related("dialogue").order_by("pk"):
        if not activity.is_open:
            continue
        page = activity.get_absolute_url()
        response = client.get(page)
        if response.status_code != 200:
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            fields.pop("csrfmiddlewaretoken", None)
            target = action or page
            if target.startswith("/delta/") and fields:
                targets.append((target, fields))
    return targets


unicode_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)


@pytest.mark.parametrize("who", ["anonymous", "invanare"])
@given(data=st.data())
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_fuzz_every_participation_form(demo: Any, who: str, data: Any) -> None:
    # One client and one reading of the pages for all examples (hypothesis reuses `demo`).
    cached = demo.__dict__.setdefault("fuzz", {})
    if who not in cached:
        client = Client(raise_request_exception=False) if who == "anonymous" else _signed_in(demo)
        targets = _targets(client)
        # Every method's page offers something to post.
        assert len(targets) >= 8, targets
        cached[who] = (client, targets)
    client, targets = cached[who]
    url, fields = data.draw(st.sampled_from(targets))
    payload = {
        name: data.draw(
            st.one_of(unicode_text, st.sampled_from(offered)) if offered else unicode_text,
            label=name,
        )
        for name, offered in fields.items()
    }
    response = client.post(url, payload)
    assert response.status_code < 500, (url, payload, response.status_code)
