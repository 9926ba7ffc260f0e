"""G6: the register of assignments considered for dialogue, through the UI: record, link,
update with history, export (CSV/XLSX), and the public page."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from delaktig.core.models import AuditEvent
from delaktig.governance import actions
from delaktig.governance.models import AssignmentConsideration, Dialogue, DialogueStatus
from delaktig.organisation.models import Body

pytestmark = pytest.mark.django_db

LIST = "/handlaggning/provning-av-uppdrag/"
PUBLIC = "/provade-uppdrag/"


@pytest.fixture
def dialogue(municipality, people):
    d = actions.create_dialogue(
        actor=people["official"],
        municipality=municipality,
        title="Framtidens Centrumpark",
        description="Parken rustas.",
    )
    return d


@pytest.fixture
def official(client, people):
    people["official"].first_name, people["official"].last_name = "Olle", "Tjänstesson"
    people["official"].save()
    client.force_login(people["official"])
    return people["official"]


def entry(today, **overrides):
    data = {
        "title": "Upprustning av Centrumparken",
        "case_number": "SBN 2026/41",
        "body": "",
        "considered_on": today.isoformat(),
        "outcome": "dialogue",
        "reason": "Påverkar många boende och frågan är öppen.",
        "dialogue": "",
        "unlinked_reason": "",
    }
    return {**data, **overrides}


def pending(actor, municipality, title):
    """An entry still under consideration, as the back office form records it."""
    return actions.record_consideration(
        actor=actor,
        municipality=municipality,
        title=title,
        considered_on=timezone.localdate(),
        outcome="pending",
        reason="Prövas.",
    )


def test_an_official_records_an_entry_linked_to_its_dialogue(
    client, official, municipality, dialogue, today
):
    body = Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden")
    response = client.post(LIST, entry(today, dialogue=dialogue.pk, body=body.pk))
    assert response.status_code == 302
    row = AssignmentConsideration.objects.get()
    assert (row.dialogue, row.body, row.recorded_by) == (dialogue, body, official)
    event = AuditEvent.objects.for_object(row).get()
    assert event.action == "consideration.recorded"
    assert event.data["dialogue"] == {"id": dialogue.pk, "name": dialogue.title}
    page = client.get(LIST).content.decode()
    assert "Upprustning av Centrumparken" in page
    assert f'href="/handlaggning/dialog/{dialogue.pk}/"' in page
    assert f'href="/handlaggning/provning-av-uppdrag/{row.pk}/"' in page


def test_a_double_submission_gives_one_entry(client, official, dialogue, today):
    data = entry(today, dialogue=dialogue.pk)
    assert client.post(LIST, data).status_code == 302
    assert client.post(LIST, data).status_code == 302
    assert AssignmentConsideration.objects.count() == 1
    assert AuditEvent.objects.filter(action="consideration.recorded").count() == 1


def test_no_dialogue_and_pending_need_no_link_and_a_dialogue_outcome_may_say_why_none(
    client, official, today
):
    for data in [
        entry(today, outcome="no_dialogue", reason="Beslutet följer av lag."),
        entry(today, outcome="pending", title="Skolskjuts", reason="Prövas i nämnden."),
        entry(
            today,
            title="Detaljplan Västra hamnen",
            unlinked_reason="Samrådet enligt plan- och bygglagen hålls i planärendet.",
        ),
    ]:
        assert client.post(LIST, data).status_code == 302, data
    assert AssignmentConsideration.objects.filter(dialogue=None).count() == 3


def _other_municipality_objects(make_municipality, people):
    other = make_municipality("ljungby", name="Annan kommun")
    foreign_dialogue = Dialogue.objects.create(municipality=other, title="Deras", slug="deras")
    return other, foreign_dialogue


BAD = [
    ({"title": "  "}, "Skriv vilket uppdrag som prövades."),
    ({"considered_on": "2026-13-45"}, "Skriv datumet som ÅÅÅÅ-MM-DD"),
    ({"considered_on": ""}, "Ange datum för prövningen."),
    ({"considered_on": "FUTURE"}, "Datumet för prövningen kan inte ligga i framtiden."),
    ({"outcome": "kanske"}, "Välj ett av utfallen i listan."),
    ({"reason": ""}, "Skriv skälet till utfallet."),
    ({"dialogue": "", "unlinked_reason": " "}, "Utfallet är dialog: koppla dialogen"),
    ({"dialogue": "FOREIGN"}, "Välj en dialog i kommunens lista."),
    ({"body": "FOREIGN_BODY"}, "Välj ett organ i kommunens lista."),
]


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m for _c, m in BAD])
def test_bad_input_is_refused_in_swedish_and_nothing_typed_is_lost(
    client, official, make_municipality, people, municipality, dialogue, today, change, message
):
    other, foreign = _other_municipality_objects(make_municipality, people)
    replace = {
        "FUTURE": (today + datetime.timedelta(days=1)).isoformat(),
        "FOREIGN": foreign.pk,
        "FOREIGN_BODY": Body.objects.filter(municipality=other).first().pk,
    }
    change = {k: replace.get(v, v) for k, v in change.items()}
    data = entry(today, dialogue=dialogue.pk, reason="Ett skäl som jag skrev.", **{})
    data.update(change)

    # Recording a new entry.
    response = client.post(LIST, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert 'role="alert"' in text
    for typed in ("SBN 2026/41", data["reason"] if data["reason"] else data["title"]):
        assert typed in text
    assert not AssignmentConsideration.objects.exists()

    # Updating an existing one: refused the same way, and the entry is unchanged.
    row = pending(official, municipality, "Upprustning av Centrumparken")
    response = client.post(f"{LIST}{row.pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    fresh = AssignmentConsideration.objects.get(pk=row.pk)
    assert (fresh.outcome, fresh.reason, fresh.dialogue_id) == ("pending", "Prövas.", None)
    assert not AuditEvent.objects.filter(action="consideration.updated").exists()


def test_the_entry_moves_on_and_keeps_its_history(client, official, dialogue, today, people):
    client.post(LIST, entry(today, outcome="pending", reason="Prövas i nämnden i nästa månad."))
    row = AssignmentConsideration.objects.get()
    url = f"{LIST}{row.pk}/"
    page = client.get(url).content.decode()
    assert "Prövas i nämnden i nästa månad." in page  # the form starts from the entry

    # The committee said yes and the dialogue was registered: link it.
    response = client.post(
        url, entry(today, outcome="dialogue", reason="Nämnden sa ja.", dialogue=dialogue.pk)
    )
    assert response.status_code == 302 and response["Location"] == url
    row.refresh_from_db()
    assert (row.outcome, row.reason, row.dialogue) == ("dialogue", "Nämnden sa ja.", dialogue)
    event = AuditEvent.objects.get(action="consideration.updated")
    assert event.actor == official
    assert event.data["outcome"] == {"from": "pending", "to": "dialogue"}
    assert event.data["dialogue"] == {
        "from": None,
        "to": {"id": dialogue.pk, "name": dialogue.title},
    }
    assert "Utfall: Under prövning → Dialog genomförs" in event.summary

    # Sending the same again changes nothing and writes no second row.
    client.post(
        url, entry(today, outcome="dialogue", reason="Nämnden sa ja.", dialogue=dialogue.pk)
    )
    assert AuditEvent.objects.filter(action="consideration.updated").count() == 1

    history = client.get(url).content.decode()
    history = history[history.index('id="historik"') :]
    assert "Registrerad" in history and "Under prövning → Dialog genomförs" in history
    assert "Olle Tjänstesson" in history  # officials see who changed what

    client.force_login(people["strategist"])
    log = client.get("/handlaggning/logg/?atgard=consideration").content.decode()
    assert "consideration.updated" in log and "consideration.recorded" in log


def test_an_entry_of_another_municipality_cannot_be_opened(
    client, official, make_municipality, people, today
):
    other = make_municipality("ljungby", name="Annan kommun")
    row = pending(people["strategist"], other, "Deras uppdrag")
    assert client.get(f"{LIST}{row.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("resident", 403), ("elected", 403), ("official", 200), ("admin", 200)],
)
def test_who_may_update_an_entry(client, people, municipality, today, role, expected):
    row = pending(people["strategist"], municipality, "Uppdrag")
    if people[role]:
        client.force_login(people[role])
    assert client.get(f"{LIST}{row.pk}/").status_code == expected
    response = client.post(f"{LIST}{row.pk}/", entry(today, outcome="no_dialogue"))
    assert response.status_code == (302 if expected == 200 else expected)
    assert AssignmentConsideration.objects.get(pk=row.pk).outcome == (
        "no_dialogue" if expected == 200 else "pending"
    )


@pytest.fixture
def register(client, official, municipality, dialogue, today):
    """Three entries: one linked to a public dialogue, one to a dialogue still being
    prepared, one with no dialogue and the reason why."""
    public = actions.create_dialogue(
        actor=official, municipality=municipality, title="Cykelstrategi 2030"
    )
    Dialogue.objects.filter(pk=public.pk).update(status=DialogueStatus.OPEN)
    public.refresh_from_db()
    for data in [
        entry(today, title="Cykelplan", dialogue=public.pk, reason="=SUMMA(A1)"),
        entry(today, title="Parkupprustning", outcome="pending", dialogue=dialogue.pk),
        entry(
            today,
            title="Detaljplan Västra hamnen",
            unlinked_reason="Samrådet hålls i planärendet.",
        ),
    ]:
        assert client.post(LIST, data).status_code == 302
    client.logout()
    return public


def test_the_public_page_shows_the_register_without_officials(client, register, dialogue):
    response = client.get(PUBLIC)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Cykelplan", "Parkupprustning", "Detaljplan Västra hamnen", "SBN 2026/41"):
        assert text in page
    assert f'href="/dialoger/{register.slug}/"' in page
    # A dialogue still being prepared is not public: the page says so, without its title.
    assert "Dialogen förbereds" in page and dialogue.title not in page
    assert "Samrådet hålls i planärendet." in page
    assert "Olle" not in page and "Tjänstesson" not in page and "official" not in page
    assert "<caption" in page and '<th scope="col">' in page and '<th scope="row">' in page
    # The public dialogue register links to it.
    assert f'href="{PUBLIC}"' in client.get("/dialoger/").content.decode()


def test_the_public_page_in_english(client, register):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(PUBLIC).content.decode()
    assert "Assessed assignments" in page
    assert "Date assessed" in page and "The dialogue is being prepared" in page


def test_the_register_exports_as_csv(client, register):
    response = client.get(f"{PUBLIC}provade-uppdrag.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:7] == [
        "Prövat datum",
        "Uppdrag",
        "Diarienummer",
        "Organ",
        "Utfall",
        "Skäl",
        "Dialog",
    ]
    by_title = {r[1]: r for r in rows[1:]}
    assert set(by_title) == {"Cykelplan", "Parkupprustning", "Detaljplan Västra hamnen"}
    assert by_title["Cykelplan"][6] == "Cykelstrategi 2030"
    assert by_title["Cykelplan"][5] == "'=SUMMA(A1)"  # not run as a formula
    assert by_title["Cykelplan"][-1].endswith(f"/dialoger/{register.slug}/")
    assert by_title["Parkupprustning"][6] == "Dialogen förbereds"
    assert by_title["Parkupprustning"][-1] == ""
    assert by_title["Detaljplan Västra hamnen"][6] == "Samrådet hålls i planärendet."
    assert "Olle" not in raw and "Tjänstesson" not in raw


def test_the_register_exports_as_xlsx(client, register):
    from openpyxl import load_workbook

    response = client.get(f"{PUBLIC}provade-uppdrag.xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][1] == "Uppdrag" and len(rows) == 4
    cykel = next(r for r in rows if r[1] == "Cykelplan")
    assert cykel[4] == "Dialog genomförs" and cykel[6] == "Cykelstrategi 2030"
    # A reason that looks like a formula stays text.
    assert cykel[5] == "'=SUMMA(A1)"
    assert sheet.cell(row=rows.index(cykel) + 1, column=6).data_type == "s"


def test_an_unknown_export_format_is_not_found(client, register):
    assert client.get(f"{PUBLIC}provade-uppdrag.pdf").status_code == 404


def test_the_back_office_page_links_the_exports_and_the_public_page(client, official):
    page = client.get(LIST).content.decode()
    for href in (PUBLIC, f"{PUBLIC}provade-uppdrag.csv", f"{PUBLIC}provade-uppdrag.xlsx"):
        assert f'href="{href}"' in page


def test_a_linked_user_dialogue_stays_out_of_the_public_register(
    client, official, municipality, today
):
    """A user dialogue (brukardialog) is recorded but never public: its title is not shown."""
    user_dialogue = actions.create_dialogue(
        actor=official, municipality=municipality, title="Enkät till elever i kulturskolan"
    )
    actions.update_plan(actor=official, dialogue=user_dialogue, changes={"kind": "user"})
    Dialogue.objects.filter(pk=user_dialogue.pk).update(status=DialogueStatus.OPEN)
    assert client.post(LIST, entry(today, dialogue=user_dialogue.pk)).status_code == 302
    client.logout()
    page = client.get(PUBLIC).content.decode()
    assert "Upprustning av Centrumparken" in page
    assert user_dialogue.title not in page and "Dialogen förbereds" not in page
