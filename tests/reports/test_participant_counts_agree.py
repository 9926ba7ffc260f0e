"""Issue 13 item 8: the compilation, the annual report and the indicators give the same
participant count for a dialogue, with paper, imported and meeting input counted and
labelled by channel in Swedish ("Papper", "Import", "Möte", "Digitalt").

One dialogue with the real Upplands Väsby 2015 survey imported through the survey import
page (1,038 answers from another tool, no participant keys), two paper questionnaires
typed in on the paper page, residents answering digitally (one of them twice, in two
activities), and a documented meeting with its attendance. Read back from the officials'
compilation page and its PDF data, the survey results page, the annual report pages (body
and municipality) and their PDF data, and the indicators.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from delaktig.followup import indicators
from delaktig.followup.selectors import report_data
from delaktig.participation.meetings.actions import save_meeting
from delaktig.participation.surveys import actions as survey_actions
from delaktig.participation.surveys import importing
from delaktig.results.report import build_report
from tests.feedback.factories import activity, contribute, make_dialogue
from tests.shared_data import vasby_csv

pytestmark = pytest.mark.django_db

IMPORTED, PAPER, DIGITAL, ATTENDANCE = 1038, 2, 5, 12
TOTAL = IMPORTED + PAPER + DIGITAL + ATTENDANCE


@pytest.fixture
def mixed_dialogue(municipality: Any, people: Any) -> dict[str, Any]:
    official = Client()
    official.force_login(people["official"])
    dialogue = make_dialogue(municipality, status="compiling", title="Översiktsplanen")
    survey_activity = activity(dialogue)
    survey_actions.ensure_survey(activity=survey_activity, actor=people["official"])

    # 1,038 answers from another tool, through the import page
    path = vasby_csv()
    upload = reverse("surveys:import", kwargs={"activity_id": survey_activity.pk})
    r = official.post(upload, {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert r.status_code == 302, r.content.decode()[:2000]
    table = importing.read_table(path.name, path.read_bytes())
    mapping = importing.suggest_mapping(table)
    r = official.post(
        r["Location"],
        {**{f"col_{i}": target for i, target in mapping.items()}, "skip_invalid": "on"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]

    # two paper questionnaires typed in by the official
    question = survey_actions.add_question(
        survey=survey_activity.survey,
        actor=people["official"],
        kind="single",
        label="Har du svarat på papper?",
        options=["Ja", "Nej"],
    )
    paper = reverse("surveys:paper", kwargs={"activity_id": survey_activity.pk})
    for ref in ("P1", "P2"):
        r = official.post(paper, {f"q{question.pk}": "0", "reference": ref})
        assert r.status_code == 302, r.content.decode()[:2000]

    # five residents online, one of them in two activities (still one person)
    comments = activity(dialogue, method="discussion")
    for i in range(DIGITAL):
        contribute(comments, f"invanare-{i}")
    contribute(survey_activity, "invanare-0")

    # a documented meeting: what came up, and how many were there
    cafe = activity(dialogue, method="cafe")
    starts = timezone.now() - datetime.timedelta(days=40)
    save_meeting(
        activity=cafe,
        official=people["official"],
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    r = official.post(
        reverse("meetings:document", args=[cafe.pk]),
        {"points": "Fler bänkar\nBättre belysning", "channel": "meeting", "attendance": "12"},
    )
    assert r.status_code == 302
    return {"dialogue": dialogue, "official": official, "survey_activity": survey_activity}


EXPECTED_CHANNELS = {"Import": IMPORTED, "Papper": PAPER, "Digitalt": DIGITAL, "Möte": ATTENDANCE}
RAW_CODES = ("Kanal: paper", "Kanal: import", ">paper<", ">import<", ">digital<", ">meeting<")


def test_compilation_report_and_indicators_agree(mixed_dialogue, municipality) -> None:
    dialogue = mixed_dialogue["dialogue"]
    official = mixed_dialogue["official"]
    year = dialogue.starts_on.year

    # the compilation page and the data its PDF is made from
    html = official.get(
        reverse("results:compilation", kwargs={"dialogue_id": dialogue.pk})
    ).content.decode()
    assert re.search(rf'data-key="participants">{TOTAL} personer lämnade', html)
    for label, n in EXPECTED_CHANNELS.items():
        assert f'data-participants="{label}">{n}<' in html, label
    report = build_report(dialogue)
    assert report["participation"]["participants"] == TOTAL
    by_channel = {
        r["label"]: r["count"] for r in report["participation"]["participants_by_channel"]
    }
    assert by_channel == EXPECTED_CHANNELS
    contributions = {r["label"]: r["count"] for r in report["participation"]["by_channel"]}
    assert contributions["Import"] == IMPORTED and contributions["Papper"] == PAPER
    assert contributions["Möte"] == 2  # two points came up; the people are the attendance
    assert report["representativeness"]["participants"] == TOTAL

    # the survey's own results page: channels by name, imported answers not "Digitalt"
    results = official.get(
        reverse("surveys:results", kwargs={"activity_id": mixed_dialogue["survey_activity"].pk})
    ).content.decode()
    assert f'data-channel="Import">{IMPORTED}<' in results
    assert f'data-channel="Papper">{PAPER}<' in results
    assert 'data-channel="Digitalt"' not in results  # no survey answer was given online

    # the indicators and the annual reports (HTML and the data of their PDFs)
    figures = indicators.compute(municipality, year)
    (row,) = [r for r in figures.rows if r.dialogue.pk == dialogue.pk]
    assert row.participants == TOTAL
    assert dict(row.participants_by_channel) == EXPECTED_CHANNELS
    assert figures.participants == TOTAL
    body = dialogue.owner_body
    for url, data in [
        (f"/uppfoljning/kommunen/{year}/", report_data(municipality, year)),
        (f"/uppfoljning/organ/{body.pk}/{year}/", report_data(municipality, year, body)),
    ]:
        page = Client().get(url).content.decode()
        assert f'data-key="participants">{TOTAL}<' in page
        cell = re.search(rf'data-participants="{dialogue.title}">(.*?)</td>', page, re.S)
        assert cell and cell.group(1).startswith(str(TOTAL))
        for label, n in EXPECTED_CHANNELS.items():
            assert f"{label} {n}" in cell.group(1)
            assert f'data-channel="{label}">{n}<' in page
        (pdf_row,) = [r for r in data["rows"] if r["title"] == dialogue.title]
        assert pdf_row["participants"] == TOTAL
        assert {c["label"]: c["count"] for c in pdf_row["participants_by_channel"]} == (
            EXPECTED_CHANNELS
        )
        for text in (html, results, page):
            assert not any(code in text for code in RAW_CODES)
    pdf = Client().get(f"/uppfoljning/organ/{body.pk}/{year}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
