"""The year's figures are computed from the data: exact numbers from a known year."""

from __future__ import annotations

import re

import pytest

from delaktig.followup import indicators
from delaktig.followup.selectors import report_data
from tests.followup import known_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(municipality):
    return known_year.build(municipality)


def test_municipality_indicators_for_a_known_year(municipality, year):
    figures = indicators.compute(municipality, 2025)
    assert [r.dialogue.title for r in figures.rows] == [
        "B Skolvägen",
        "A Parken",
        "C Fritidsgården",
    ]
    assert figures.dialogues == 3
    assert figures.by_body == [("Barn- och utbildningsnämnden", 1), ("Samhällsbyggnadsnämnden", 2)]
    assert figures.by_influence == [
        ("Information", 0),
        ("Konsultation", 1),
        ("Dialog", 1),
        ("Inflytande", 1),
        ("Medbeslutande", 0),
    ]
    assert figures.by_body_and_influence == [
        {"body": "Barn- och utbildningsnämnden", "levels": [0, 0, 0, 1, 0]},
        {"body": "Samhällsbyggnadsnämnden", "levels": [0, 1, 1, 0, 0]},
    ]
    # A: k1,k2,k3 and a paper answer without a key (one person); B: k1,k2 (another
    # dialogue); C: k9 — counted as the compilation counts them (issue 13)
    assert figures.participants == 7
    assert figures.participants_by_channel == [("Digitalt", 6), ("Papper", 1)]
    assert figures.contributions == 8
    assert figures.contributions_without_key == 1
    assert figures.target_groups == 3
    assert (figures.target_groups_reached, figures.target_groups_evaluated) == (1, 2)
    assert figures.target_groups_reached_share == 50
    assert figures.dialogues_for_children == 2  # A by target group, B by activity
    assert figures.children_share == 67
    assert figures.activities_for_children == 1
    assert figures.participants_in_children_activities == 2
    assert (
        figures.feedback_due,
        figures.feedback_on_time,
        figures.feedback_late,
        figures.feedback_missing,
    ) == (3, 1, 1, 1)
    assert figures.feedback_on_time_share == 33
    assert figures.effects_on_decision == 2  # A (recorded with the decision) and C
    assert figures.effects_share == 67
    assert figures.organiser_evaluations == 1
    assert figures.participant_evaluations == 5
    assert figures.averages == {
        "question_clear": pytest.approx(4.2),
        "understood_influence": pytest.approx(3.0),
        "got_feedback": pytest.approx(3.0),
    }
    assert figures.handled == {"adopted": 1, "partly": 1, "not_adopted": 0}
    row_a = figures.rows[1]
    assert (row_a.participants, row_a.contributions, row_a.feedback_on_time) == (4, 5, True)
    assert row_a.participants_by_channel == [("Digitalt", 3), ("Papper", 1)]
    assert row_a.final_decision == "Samhällsbyggnadsnämnden 2025-06-10 § 12 (SBN 2026/100)"
    assert (row_a.adopted, row_a.partly, row_a.not_adopted, row_a.evaluated) == (1, 1, 0, True)
    assert figures.rows[0].feedback_on_time is False
    assert figures.rows[2].feedback_on_time is False and figures.rows[2].feedback_published is None


def test_body_annual_report_counts_only_the_body(municipality, year):
    figures = indicators.compute(municipality, 2025, year["sbn"])
    assert figures.dialogues == 2
    assert figures.participants == 6
    assert (figures.feedback_due, figures.feedback_on_time) == (2, 1)
    assert figures.feedback_on_time_share == 50
    assert figures.effects_share == 50
    bun = indicators.compute(municipality, 2025, year["bun"])
    assert (bun.dialogues, bun.participants, bun.feedback_missing) == (1, 1, 1)


def test_averages_are_hidden_below_the_minimum_group(municipality, year, settings):
    settings.DELAKTIG_MIN_GROUP_SIZE = 6
    figures = indicators.compute(municipality, 2025)
    assert figures.averages == {
        "question_clear": None,
        "understood_influence": None,
        "got_feedback": None,
    }


def test_an_empty_year_has_no_shares(municipality, year):
    figures = indicators.compute(municipality, 2019)
    assert figures.dialogues == 0
    assert figures.feedback_on_time_share is None and figures.effects_share is None


def _cell(html: str, key: str) -> str:
    return re.search(rf'data-key="{key}">(.*?)</td>', html).group(1)


def test_municipality_report_page(client, municipality, year):
    response = client.get("/uppfoljning/kommunen/2025/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Medborgardialog 2025 – uppföljning för årsbokslutet</h1>" in html
    assert _cell(html, "dialogues") == "3"
    assert _cell(html, "participants") == "7"
    assert 'data-channel="Papper">1<' in html
    assert _cell(html, "contributions") == "8"
    assert _cell(html, "feedback_on_time") == "1 / 3 (33 %)"
    assert _cell(html, "effects") == "2 / 3 (67 %)"
    assert _cell(html, "children") == "2 / 3 (67 %)"
    assert _cell(html, "reached") == "1 / 2 (50 %)"
    assert "4,2" in html  # average shown with a Swedish decimal comma
    assert f'href="/uppfoljning/organ/{year["sbn"].pk}/2025/"' in html
    assert "Kvällsmöten." in html  # the organisers' own evaluation
    assert "<caption" in html and 'scope="col"' in html


def test_body_annual_report_page(client, municipality, year):
    response = client.get(f"/uppfoljning/organ/{year['sbn'].pk}/2025/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Medborgardialog 2025 – Samhällsbyggnadsnämnden" in html
    assert _cell(html, "dialogues") == "2"
    assert _cell(html, "participants") == "6"
    assert "C Fritidsgården" not in html
    assert client.get("/uppfoljning/organ/999999/2025/").status_code == 404
    assert client.get(f"/uppfoljning/organ/{year['sbn'].pk}/1800/").status_code == 404


def test_report_data_is_plain_data_for_the_pdf(municipality, year):
    data = report_data(municipality, 2025)
    assert data["title"] == "Medborgardialog 2025 – uppföljning för årsbokslutet"
    assert data["bodies"] == [
        {
            "body_id": year["bun"].pk,
            "body": "Barn- och utbildningsnämnden",
            "dialogues": 1,
            "participants": 1,
            "feedback_due": 1,
            "feedback_on_time": 0,
            "feedback_on_time_share": 0,
            "effects": 1,
        },
        {
            "body_id": year["sbn"].pk,
            "body": "Samhällsbyggnadsnämnden",
            "dialogues": 2,
            "participants": 6,
            "feedback_due": 2,
            "feedback_on_time": 1,
            "feedback_on_time_share": 50,
            "effects": 1,
        },
    ]
    assert data["averages"] == {
        "question_clear": "4,2",
        "understood_influence": "3,0",
        "got_feedback": "3,0",
    }


def test_index_lists_years_and_bodies(client, municipality, year):
    html = client.get("/uppfoljning/").content.decode()
    assert 'href="/uppfoljning/kommunen/2025/"' in html
    assert 'href="/uppfoljning/kommunen/2024/"' in html
