"""School codes: only those who run the dialogue hand them out, with bounded validity,
seats and number, and one redeeming browser is one pupil.

The dialogue is taken to "announced" through the back office's forms (`Walk`), run by the
Samhällsbyggnadsförvaltningen; officials create codes on /konto/skola/ny/ and pupils enter
them on /konto/skola/.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from delaktig.accounts.actions import (
    SCHOOL_CODE_MAX_DAYS,
    SCHOOL_CODE_MAX_SEATS,
    SCHOOL_CODES_PER_DIALOGUE,
)
from delaktig.accounts.models import SchoolSession
from delaktig.organisation.models import Gate, Office
from tests.governance.walk import Walk

pytestmark = pytest.mark.django_db

NEW = "/konto/skola/ny/"
ENTER = "/konto/skola/"


@pytest.fixture
def dialogue_id(municipality: Any, people: Any) -> int:
    walk = Walk.begin(municipality, "Skolgårdarna i Exempelby")
    walk.to_planning()
    walk.full_plan(walk.today, walk.today + datetime.timedelta(days=20))
    office = Office.objects.get(municipality=municipality, name="Samhällsbyggnadsförvaltningen")
    walk.plan(office=office.pk)  # the office that runs it, chosen on the plan
    walk.decide(Gate.CONDUCT, walk.today)
    walk.step("decide_to_conduct", "decided_to_conduct")
    walk.add_activity()
    walk.add_activity("cafe", "Dialogcafé", place="Träffpunkt Eken")
    walk.step("announce", "announced")
    assert walk.dialogue.office_id == office.pk
    return walk.pk


def signed_in(people: Any, role: str) -> Client:
    client = Client()
    client.force_login(people[role])
    return client


def local(delta: datetime.timedelta) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def code_form(dialogue_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "dialogue": dialogue_id,
        "class_label": "7B Tallbacka",
        "age_band": "13-15",
        "valid_until": local(datetime.timedelta(days=7)),
        "max_uses": "28",
        **fields,
    }


# Who may create a code for a dialogue that Samhällsbyggnadsförvaltningen runs.
WHO = {
    "official": 302,  # of the office that runs it
    "other_official": 403,  # of another office
    "strategist": 302,
    "admin": 302,
    "elected": 403,
    "resident": 403,
}


@pytest.mark.parametrize("role", list(WHO))
def test_only_those_who_run_the_dialogue_create_its_codes(people, dialogue_id, role):
    client = signed_in(people, role)
    response = client.post(NEW, code_form(dialogue_id))
    assert response.status_code == WHO[role]
    assert SchoolSession.objects.exists() is (WHO[role] == 302)
    if role == "other_official":
        html = response.content.decode()
        assert 'class="error-summary"' in html
        assert "Du kan bara skapa skolpass för dialoger som din förvaltning driver" in html
    if WHO[role] == 302:
        code = SchoolSession.objects.get().code
        assert client.get(response["Location"]).status_code == 200
        # Nor may another office look at the code.
        other = signed_in(people, "other_official")
        assert other.get(reverse("accounts:school_detail", args=[code])).status_code == 403


VALIDITY = {
    datetime.timedelta(hours=2): 302,
    datetime.timedelta(days=SCHOOL_CODE_MAX_DAYS) - datetime.timedelta(minutes=5): 302,
    datetime.timedelta(days=SCHOOL_CODE_MAX_DAYS, hours=1): 400,
    datetime.timedelta(days=365): 400,
    -datetime.timedelta(hours=1): 400,
}


@pytest.mark.parametrize("delta", list(VALIDITY))
def test_a_code_is_valid_for_a_month_at_most(people, dialogue_id, delta):
    response = signed_in(people, "official").post(
        NEW, code_form(dialogue_id, valid_until=local(delta))
    )
    assert response.status_code == VALIDITY[delta]
    html = response.content.decode()
    if delta > datetime.timedelta(days=SCHOOL_CODE_MAX_DAYS):
        assert f"Ett skolpass kan gälla högst {SCHOOL_CODE_MAX_DAYS} dagar" in html
    if delta < datetime.timedelta(0):
        assert "Välj en tid som inte har passerat." in html
    assert SchoolSession.objects.exists() is (VALIDITY[delta] == 302)


SEATS = {"1": 302, str(SCHOOL_CODE_MAX_SEATS): 302, str(SCHOOL_CODE_MAX_SEATS + 1): 400}
SEATS.update({"500": 400, "0": 400, "²": 400, "": 400})


@pytest.mark.parametrize("seats", list(SEATS))
def test_a_code_is_for_one_class(people, dialogue_id, seats):
    response = signed_in(people, "official").post(NEW, code_form(dialogue_id, max_uses=seats))
    assert response.status_code == SEATS[seats]
    if seats in ("500", str(SCHOOL_CODE_MAX_SEATS + 1)):
        html = response.content.decode()
        assert f"Ett skolpass är för en klass: högst {SCHOOL_CODE_MAX_SEATS} elever" in html
    assert SchoolSession.objects.exists() is (SEATS[seats] == 302)


def test_a_dialogue_has_a_bounded_number_of_valid_codes(people, dialogue_id):
    official = signed_in(people, "official")
    for n in range(SCHOOL_CODES_PER_DIALOGUE):
        response = official.post(NEW, code_form(dialogue_id, class_label=f"Klass {n}"))
        assert response.status_code == 302
    refused = official.post(NEW, code_form(dialogue_id, class_label="En till"))
    assert refused.status_code == 400
    assert f"Dialogen har redan {SCHOOL_CODES_PER_DIALOGUE} giltiga skolpass" in (
        refused.content.decode()
    )
    assert SchoolSession.objects.count() == SCHOOL_CODES_PER_DIALOGUE


def _pupil_key(client: Client) -> str:
    return client.session["delaktig_school"]["pupil_key"]


def test_one_redeeming_browser_is_one_pupil(people, dialogue_id):
    signed_in(people, "official").post(NEW, code_form(dialogue_id, max_uses="2"))
    school = SchoolSession.objects.get()
    pupil = Client()
    assert pupil.post(ENTER, {"code": school.code}).status_code == 302
    first = _pupil_key(pupil)
    # Entering the code again, also after leaving the pass, is the same pupil.
    assert pupil.post(ENTER, {"code": school.code.lower()}).status_code == 302
    assert _pupil_key(pupil) == first
    pupil.post(reverse("accounts:school_leave"))
    assert pupil.post(ENTER, {"code": school.code}).status_code == 302
    assert _pupil_key(pupil) == first
    school.refresh_from_db()
    assert school.uses == 1
    # Another browser is another pupil, and takes the last seat.
    classmate = Client()
    assert classmate.post(ENTER, {"code": school.code}).status_code == 302
    assert _pupil_key(classmate) != first
    late = Client().post(ENTER, {"code": school.code})
    assert late.status_code == 400 and "redan använts av hela klassen" in late.content.decode()
    # The first pupil still gets in: their seat is theirs.
    assert pupil.post(ENTER, {"code": school.code}).status_code == 302
    school.refresh_from_db()
    assert school.uses == 2
