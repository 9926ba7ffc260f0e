"""Votes: one verified person one vote, refusals, results only after closing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from delaktig.participation.models import Contribution
from delaktig.participation.votes import tally
from delaktig.participation.votes.models import VoteBallot

pytestmark = pytest.mark.django_db


def close(vote):
    vote.activity.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    vote.activity.save()


def test_single_vote_counts_once_and_result_waits_for_closing(client, make_vote, people, verify):
    vote = make_vote("single")
    options = list(vote.options.all())
    assert [o.title for o in options] == ["Skatepark", "Musikstudio", "Fritidsgård"]
    assert options[0].alternative is not None
    url = reverse("votes:activity", kwargs={"activity_id": vote.activity_id})
    client.force_login(verify(people["resident"]))
    page = client.get(url).content.decode()
    assert page.index("Så mycket kan du påverka") < page.index("Skicka rösten")
    r = client.post(url, {"alternativ": [options[1].pk]})
    assert r.status_code == 302
    # The same ballot again (the reply was lost): the vote already counted, a success.
    r = client.post(url, {"alternativ": [options[1].pk]})
    assert r.status_code == 302
    r = client.post(url, {"alternativ": [options[0].pk]})
    assert r.status_code == 409 and "redan röstat" in r.content.decode()
    assert VoteBallot.objects.count() == 1
    assert Contribution.objects.filter(kind="vote").count() == 1
    result_url = reverse("votes:result", kwargs={"activity_id": vote.activity_id})
    assert "publiceras när omröstningen har stängt" in client.get(result_url).content.decode()
    close(vote)
    page = client.get(result_url).content.decode()
    assert "Vinnare: Musikstudio" in page


@pytest.mark.parametrize(
    ("vote_type", "post", "status", "message"),
    [
        ("single", {"alternativ": [0, 1]}, 400, "exakt ett"),
        ("single", {}, 400, "minst ett"),
        ("single", {"alternativ": ["x"]}, 400, "finns inte"),
        ("approval", {"alternativ": [0, 2]}, 302, ""),
        ("ranked", {"rang-0": 1, "rang-1": 1}, 400, "dubbletter"),
        ("ranked", {"rang-2": 1, "rang-0": 2}, 302, ""),
    ],
)
def test_ballot_matrix(client, make_vote, people, verify, vote_type, post, status, message):
    vote = make_vote(vote_type)
    pks = [o.pk for o in vote.options.all()]
    data = {}
    for k, v in post.items():
        if k.startswith("rang-"):
            data[f"rang-{pks[int(k[5:])]}"] = v
        else:
            data[k] = [pks[x] if isinstance(x, int) else x for x in v]
    client.force_login(verify(people["resident"]))
    r = client.post(reverse("votes:activity", kwargs={"activity_id": vote.activity_id}), data)
    assert r.status_code == status
    if message:
        assert message in r.content.decode()
        assert VoteBallot.objects.count() == 0
    elif vote_type == "ranked":
        assert VoteBallot.objects.get().choices == [pks[2], pks[0]]


@pytest.mark.parametrize("who", ["anonymous", "unverified", "closed"])
def test_refusals(client, make_vote, people, verify, who):
    vote = make_vote("single")
    if who != "anonymous":
        client.force_login(
            people["resident"] if who == "unverified" else verify(people["resident"])
        )
    if who == "closed":
        close(vote)
    url = reverse("votes:activity", kwargs={"activity_id": vote.activity_id})
    r = client.post(url, {"alternativ": [vote.options.first().pk]})
    assert r.status_code == 403
    assert VoteBallot.objects.count() == 0


def test_instant_runoff_moves_votes_from_the_eliminated():
    # A 4, B 3, C 2 first choices; C's voters prefer B, so B wins in round 2.
    ballots = [[1, 2]] * 4 + [[2, 1]] * 3 + [[3, 2]] * 2
    t = tally.instant_runoff([1, 2, 3], ballots)
    assert t.winner == 2
    assert [r.eliminated for r in t.rounds] == [3, None]
    assert t.rounds[1].counts == {1: 4, 2: 5}


def test_plurality_tie_has_no_winner():
    t = tally.plurality([1, 2], [[1], [2]])
    assert t.winner is None and t.tie


def test_an_option_added_after_the_page_was_read_can_be_chosen(client, make_vote, people, verify):
    """The vote and its options are read from the public cache; saving an option moves
    the cache on, so the new option is on the page and accepted at once."""
    from delaktig.participation.votes.models import Option

    vote = make_vote("single")
    url = reverse("votes:activity", kwargs={"activity_id": vote.activity_id})
    client.force_login(verify(people["resident"]))
    assert "Ungdomscafé" not in client.get(url).content.decode()
    added = Option.objects.create(vote=vote, title="Ungdomscafé", order=9)
    assert "Ungdomscafé" in client.get(url).content.decode()
    assert client.post(url, {"alternativ": [added.pk]}).status_code == 302
    assert VoteBallot.objects.get().choices == [added.pk]
