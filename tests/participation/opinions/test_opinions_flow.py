"""Residents vote and add statements without JavaScript; officials moderate and see the map."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.core.exceptions import DomainError, NotAllowed
from delaktig.core.models import AuditEvent
from delaktig.participation.models import Contribution
from delaktig.participation.opinions import actions
from delaktig.participation.opinions.models import Statement, StatementStatus, StatementVote

pytestmark = pytest.mark.django_db

INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def login(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def seed(activity: Any, official: Any, texts: list[str]) -> list[Statement]:
    return [actions.add_seed_statement(activity=activity, actor=official, text=t) for t in texts]


def test_page_shows_influence_before_the_form(activity: Any, people: Any) -> None:
    seed(activity, people["official"], ["Parken behöver fler bänkar."])
    html = Client().get(reverse("opinions:activity", kwargs={"activity_id": activity.pk}))
    assert html.status_code == 200
    content = html.content.decode()
    assert activity.get_absolute_url() == f"/delta/pastaenden/{activity.pk}/"
    assert "Så mycket kan du påverka" in content
    assert "Åsiktskartan lämnas till samhällsbyggnadsnämnden" in content
    assert content.index("Så mycket kan du påverka") < content.index('name="vote"')
    assert "Parken behöver fler bänkar." in content
    for label in ("Håller med", "Håller inte med", "Vet inte / avstår"):
        assert label in content
    assert "<script" not in content.split("<body")[1]


def test_vote_flow_one_statement_at_a_time_latest_vote_wins(activity: Any, people: Any) -> None:
    first, second = seed(activity, people["official"], ["Fler bänkar.", "Mer belysning."])
    client = Client()
    url = reverse("opinions:vote", kwargs={"activity_id": activity.pk})
    page = reverse("opinions:activity", kwargs={"activity_id": activity.pk})
    assert f'value="{first.pk}"' in client.get(page).content.decode()
    response = client.post(url, {"statement": first.pk, "vote": "1"})
    assert response.status_code == 302
    content = client.get(page).content.decode()
    assert f'name="statement" value="{second.pk}"' in content
    assert "1 av 2" in content
    client.post(url, {"statement": second.pk, "vote": "0"})
    assert "alla påståenden" in client.get(page).content.decode()
    # Changing one's mind: the latest vote wins, still one vote and one contribution.
    client.post(url, {"statement": first.pk, "vote": "-1"})
    votes = StatementVote.objects.filter(statement=first)
    assert votes.count() == 1 and votes.get().value == -1
    contributions = Contribution.objects.filter(kind="statement_vote", activity=activity)
    assert contributions.count() == 2
    mine = contributions.get(source_id=str(votes.get().pk))
    assert mine.data == {"statement": first.pk, "vote": -1}
    assert mine.source_type == "opinions.StatementVote"


@pytest.mark.parametrize("value", ["2", "", "ja", "-2"])
def test_invalid_vote_is_400_and_saves_nothing(activity: Any, people: Any, value: str) -> None:
    (statement,) = seed(activity, people["official"], ["Fler bänkar."])
    url = reverse("opinions:vote", kwargs={"activity_id": activity.pk})
    response = Client().post(url, {"statement": statement.pk, "vote": value})
    assert response.status_code == 400
    assert "Välj håller med" in response.content.decode()
    assert not StatementVote.objects.exists()


def test_cannot_vote_on_hidden_pending_or_foreign_statement(
    activity: Any, dialogue: Any, people: Any
) -> None:
    client = Client()
    pending = actions.submit_statement(
        activity=activity, user=None, participant_key="k1", text="Väntar"
    )
    url = reverse("opinions:vote", kwargs={"activity_id": activity.pk})
    assert client.post(url, {"statement": pending.pk, "vote": "1"}).status_code == 400
    from delaktig.participation.models import Activity

    other = Activity.objects.create(dialogue=dialogue, method="opinions", title="B", slug="b")
    (foreign,) = seed(other, people["official"], ["Annan aktivitet"])
    assert client.post(url, {"statement": foreign.pk, "vote": "1"}).status_code == 400
    assert not StatementVote.objects.exists()


def test_closed_activity_refuses_votes_and_statements(activity: Any, people: Any) -> None:
    (statement,) = seed(activity, people["official"], ["Fler bänkar."])
    activity.dialogue.status = "compiling"
    activity.dialogue.save()
    client = Client()
    r = client.post(
        reverse("opinions:vote", kwargs={"activity_id": activity.pk}),
        {"statement": statement.pk, "vote": "1"},
    )
    assert r.status_code == 403
    assert "inte öppen" in r.content.decode()
    r = client.post(
        reverse("opinions:add", kwargs={"activity_id": activity.pk}), {"text": "Nytt påstående"}
    )
    assert r.status_code == 403
    assert not StatementVote.objects.exists()
    assert Statement.objects.count() == 1
    page = client.get(reverse("opinions:activity", kwargs={"activity_id": activity.pk}))
    assert "Hur deltagarna tog ställning" in page.content.decode()


def test_identity_level_is_enforced(activity: Any, people: Any, verify: Any) -> None:
    (statement,) = seed(activity, people["official"], ["Fler bänkar."])
    activity.identity_level = "email"
    activity.save()
    url = reverse("opinions:vote", kwargs={"activity_id": activity.pk})
    assert Client().post(url, {"statement": statement.pk, "vote": "1"}).status_code == 403
    assert (
        login(people["resident"]).post(url, {"statement": statement.pk, "vote": "1"}).status_code
        == 403
    )
    resident = verify(people["resident"])
    assert login(resident).post(url, {"statement": statement.pk, "vote": "1"}).status_code == 302
    vote = StatementVote.objects.get()
    assert Contribution.objects.get(kind="statement_vote").author == resident
    assert vote.value == 1


def test_statement_submission_moderation_and_idempotency(activity: Any, people: Any) -> None:
    client = Client()
    url = reverse("opinions:add", kwargs={"activity_id": activity.pk})
    data = {"text": "  Fler   träd i parken ", "submission_key": "abc123"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # double submission
    statement = Statement.objects.get()
    assert statement.text == "Fler träd i parken"
    assert statement.status == StatementStatus.PENDING
    contribution = Contribution.objects.get(kind="statement")
    assert contribution.status == "pending" and contribution.text == "Fler träd i parken"
    # Others do not see it yet; the author sees it waiting.
    page = reverse("opinions:activity", kwargs={"activity_id": activity.pk})
    assert "Fler träd i parken" in client.get(page).content.decode()
    assert "Fler träd i parken" not in Client().get(page).content.decode()


@pytest.mark.parametrize("text", ["", "   ", "x" * 281])
def test_bad_statement_is_400(activity: Any, text: str) -> None:
    r = Client().post(reverse("opinions:add", kwargs={"activity_id": activity.pk}), {"text": text})
    assert r.status_code == 400
    assert "error-summary" in r.content.decode()
    assert not Statement.objects.exists() and not Contribution.objects.exists()


def test_injection_is_escaped_everywhere(activity: Any, people: Any) -> None:
    client = Client()
    client.post(reverse("opinions:add", kwargs={"activity_id": activity.pk}), {"text": INJECTION})
    statement = Statement.objects.get()
    official = login(people["official"])
    queue = official.get(reverse("opinions:moderate", kwargs={"activity_id": activity.pk}))
    assert INJECTION not in queue.content.decode()
    assert "&lt;script&gt;" in queue.content.decode()
    actions.moderate_statement(statement=statement, actor=people["official"], decision="approve")
    for c in (client, Client()):
        html = c.get(reverse("opinions:activity", kwargs={"activity_id": activity.pk}))
        assert INJECTION not in html.content.decode()
        assert "&lt;img src=x onerror=alert(1)&gt;" in html.content.decode()
    StatementVote.objects.create(statement=statement, participant_key="a", value=1)
    html = official.get(reverse("opinions:map", kwargs={"activity_id": activity.pk})).content
    assert INJECTION.encode() not in html


def test_moderation_via_the_page_with_reason_and_audit(activity: Any, people: Any) -> None:
    statement = actions.submit_statement(
        activity=activity, user=None, participant_key="k", text="Dumt påstående"
    )
    client = login(people["official"])
    url = reverse("opinions:moderate", kwargs={"activity_id": activity.pk})
    prefix = f"p{statement.pk}"
    r = client.post(url, {"pk": statement.pk, f"{prefix}-decision": "hide"})
    assert r.status_code == 400
    assert "Ange ett skäl" in r.content.decode()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PENDING
    r = client.post(
        url,
        {"pk": statement.pk, f"{prefix}-decision": "hide", f"{prefix}-reason": "Kränkande"},
    )
    assert r.status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.HIDDEN
    assert statement.moderation_reason == "Kränkande"
    assert statement.moderated_by == people["official"]
    contribution = Contribution.objects.get(kind="statement")
    assert contribution.status == "hidden" and contribution.moderation_reason == "Kränkande"
    event = AuditEvent.objects.get(action="opinions.statement_hidden")
    assert event.actor == people["official"] and event.data["reason"] == "Kränkande"
    # Seed statements from the page are published at once and audited.
    r = client.post(url, {"text": "Parken ska vara öppen på natten."})
    assert r.status_code == 302
    assert Statement.objects.get(is_seed=True).status == StatementStatus.PUBLISHED
    assert AuditEvent.objects.filter(action="opinions.statement_added").count() == 1


def test_moderation_refuses_unknown_decision(activity: Any, people: Any) -> None:
    statement = actions.submit_statement(
        activity=activity, user=None, participant_key="k", text="Något"
    )
    with pytest.raises(DomainError):
        actions.moderate_statement(statement=statement, actor=people["official"], decision="x")
    with pytest.raises(DomainError):
        actions.moderate_statement(statement=statement, actor=people["official"], decision="hide")


def _camps(activity: Any, official: Any) -> list[Statement]:
    statements = seed(activity, official, [f"Påstående {i}" for i in range(8)])
    for camp, sign in (("a", 1), ("b", -1)):
        for n in range(10):
            for i, s in enumerate(statements):
                value = sign if i < 4 else -sign
                if i == 7:
                    value = 1
                StatementVote.objects.create(statement=s, participant_key=f"{camp}{n}", value=value)
    return statements


def test_official_opinion_map_page(activity: Any, people: Any) -> None:
    _camps(activity, people["official"])
    client = login(people["official"])
    r = client.get(reverse("opinions:map", kwargs={"activity_id": activity.pk}))
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<h1") == 1
    assert "<svg" in html and 'role="img"' in html
    assert "Deltagarnas placering på kartan" in html  # the equivalent table
    assert html.count('<path d="M') == 20
    assert html.count('<tr><th scope="row">') >= 20 + 2
    assert "Grupp 1" in html and "Grupp 2" in html and "Grupp 3" not in html
    assert "Påstående 7" in html  # consensus
    # What is counted, and Polis's smoothed estimate called an estimate: 20 of 20 is 95 %.
    assert "20 av 20" in html and "Uppskattad andel" in html and ">95 %<" in html
    assert '<th scope="col" class="num">Andel</th>' not in html
    assert "style=" not in html.split("<body")[1]
    # Forcing more groups needs as many distinct opinions: a third camp, split on the first four.
    statements = list(Statement.objects.filter(activity=activity).order_by("pk"))
    for n in range(10):
        for i, s in enumerate(statements):
            value = 1 if i in (0, 1, 4, 5) else -1
            StatementVote.objects.create(statement=s, participant_key=f"c{n}", value=value)
    forced = client.get(reverse("opinions:map", kwargs={"activity_id": activity.pk}), {"k": "3"})
    assert "Grupp 3" in forced.content.decode()
    bad = client.get(reverse("opinions:map", kwargs={"activity_id": activity.pk}), {"k": "9"})
    assert bad.status_code == 400


def test_map_of_an_empty_activity(activity: Any, people: Any) -> None:
    r = login(people["official"]).get(reverse("opinions:map", kwargs={"activity_id": activity.pk}))
    assert r.status_code == 200
    assert "inte tillräckligt många" in r.content.decode()


def test_seed_statement_needs_permission(activity: Any, people: Any) -> None:
    with pytest.raises(NotAllowed):
        actions.add_seed_statement(activity=activity, actor=people["resident"], text="x")


def test_import_polis_export(activity: Any, people: Any) -> None:
    from tests.results.test_opinion_map import polis_dirs

    folder = next((p for p in polis_dirs() if p.name == "london.youth.policing"), None)
    if folder is None:
        pytest.skip("shared Polis data absent")
    counts = actions.import_polis_export(activity=activity, directory=folder, actor=people["admin"])
    assert counts == {"statements": 39, "votes": 638}
    again = actions.import_polis_export(activity=activity, directory=folder)
    assert again == {"statements": 0, "votes": 0}
    assert Statement.objects.filter(status=StatementStatus.HIDDEN).count() == 3
    assert Contribution.objects.filter(kind="statement_vote").count() == 638
    assert StatementVote.objects.values("participant_key").distinct().count() == 26
    r = login(people["official"]).get(
        reverse("opinions:map", kwargs={"activity_id": activity.pk}), {"k": "3"}
    )
    assert r.status_code == 200
    assert re.search(r"Grupp 3", r.content.decode())
