"""An e-proposal's threshold starts formal handling, so only a person counts toward it.

A support counts toward the threshold only from someone at the identity level the policy
profile sets for counts that decide (at least a verified e-mail account,
`eligibility.counts_toward_threshold`). Anyone else's support is recorded and shown as
interest, and never fills the threshold. The dialogue is set up through the back office's
forms (`Walk`); residents make their accounts through the registration form.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.governance.walk import RESIDENT_PASSWORD, Walk, post_ok, verified_resident
from tests.participation.test_eligibility import person

from delaktig.accounts.actions import make_verification_token
from delaktig.accounts.models import User
from delaktig.governance.models import Dialogue
from delaktig.participation.eligibility import counts_toward_threshold
from delaktig.participation.ideas.models import Idea, IdeaSupport
from delaktig.participation.models import Activity

pytestmark = pytest.mark.django_db


def open_proposals(municipality: Any, threshold: int) -> tuple[Walk, int]:
    # The municipality's own setting (set up with the organisation, like its profile).
    municipality.proposal_support_threshold = threshold
    municipality.save()
    walk = Walk.begin(municipality, "Badplatsen vid sjön")
    walk.to_decided_to_conduct()
    proposals = walk.add_activity("e_proposal", "E-förslag om badplatsen", place="Webben")
    walk.add_activity("cafe", "Dialogcafé", place="Träffpunkt Eken")
    walk.step("announce", "announced")
    walk.step("open", "open")
    return walk, proposals


def propose(client: Client, activity_id: int) -> Idea:
    post_ok(
        client,
        f"/delta/ideer/{activity_id}/",
        {"title": "Badbrygga", "text": "En brygga vid stranden.", "category": ""},
    )
    return Idea.objects.get(title="Badbrygga")


def test_ten_anonymous_supports_do_not_reach_a_threshold_of_ten_and_ten_accounts_do(
    municipality: Any,
) -> None:
    _walk, activity_id = open_proposals(municipality, threshold=10)
    idea = propose(verified_resident("forslagsstallare@exempel.se"), activity_id)
    support = reverse("ideas:support", args=[idea.pk])
    page = reverse("ideas:idea", args=[idea.pk])
    for _n in range(10):
        post_ok(Client(), support, {})  # ten fresh, cookie-less sessions
    idea.refresh_from_db()
    assert idea.threshold_reached_at is None
    html = Client().get(page).content.decode()
    assert "0 av 10 stöd" in html and "10 visar intresse utan verifierat konto" in html
    assert "Har nått målet" not in html
    assert "Bara stöd från den som är inloggad med konto med verifierad e-post" in html

    for n in range(10):
        post_ok(verified_resident(f"stod-{n}@exempel.se"), support, {})
    idea.refresh_from_db()
    assert idea.threshold_reached_at is not None
    html = Client().get(page).content.decode()
    assert "10 av 10 stöd" in html and "10 visar intresse" in html
    assert "Har nått målet" in html
    assert IdeaSupport.objects.filter(idea=idea).count() == 20


def test_an_account_not_yet_verified_is_interest_until_it_is(municipality: Any) -> None:
    _walk, activity_id = open_proposals(municipality, threshold=1)
    idea = propose(verified_resident("forslagsstallare@exempel.se"), activity_id)
    support = reverse("ideas:support", args=[idea.pk])
    anna = Client()
    post_ok(
        anna,
        "/konto/skapa-konto/",
        {
            "email": "anna@exempel.se",
            "password1": RESIDENT_PASSWORD,
            "password2": RESIDENT_PASSWORD,
            "birth_year": "",
            "display_name": "",
            "attest_residency": "on",
        },
    )
    signing_in = {"username": "anna@exempel.se", "password": RESIDENT_PASSWORD}
    post_ok(anna, "/konto/logga-in/", signing_in)
    post_ok(anna, support, {})
    idea.refresh_from_db()
    assert idea.threshold_reached_at is None
    assert "0 av 1 stöd" in anna.get(reverse("ideas:idea", args=[idea.pk])).content.decode()
    # She follows the link in the e-mail, then supports again: the same support, now counted.
    token = make_verification_token(User.objects.get(email="anna@exempel.se"))
    assert anna.get(f"/konto/bekrafta/{token}/").status_code == 200
    post_ok(anna, support, {})
    idea.refresh_from_db()
    assert idea.threshold_reached_at is not None
    assert IdeaSupport.objects.filter(idea=idea).count() == 1


# (the profile's level for counts that decide, the person) -> counts toward the threshold
COUNTS = {
    ("email", "anonymous"): False,
    ("email", "unverified"): False,
    ("email", "email"): True,
    ("email", "eid"): True,
    ("eid", "anonymous"): False,
    ("eid", "unverified"): False,
    ("eid", "email"): False,
    ("eid", "eid"): True,
}


@pytest.mark.parametrize(("deciding", "who"), list(COUNTS))
def test_who_counts_toward_a_threshold_matrix(municipality: Any, deciding: str, who: str) -> None:
    municipality.profile.deciding_identity_level = deciding
    municipality.profile.save()
    dialogue = Dialogue.objects.create(
        municipality=municipality, title="Badplatsen", slug="badplatsen", status="open"
    )
    activity = Activity.objects.create(
        dialogue=dialogue, method="e_proposal", title="E-förslag", slug="e-forslag"
    )
    assert counts_toward_threshold(person(who), activity) is COUNTS[(deciding, who)]
