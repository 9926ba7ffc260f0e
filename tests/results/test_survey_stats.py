"""Survey statistics: denominators (conditional!), shares, means, medians, cross-tabs, SVG."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from delaktig.governance.models import Dialogue
from delaktig.participation.models import Activity, Method
from delaktig.participation.surveys import actions, importing
from delaktig.participation.surveys.models import QuestionKind
from delaktig.participation.surveys.stats import Row, compile_survey, cross_tab, svg_bar_chart

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats_survey(municipality: Any, people: Any, settings: Any) -> dict[str, Any]:
    settings.DELAKTIG_MIN_GROUP_SIZE = 5
    official = people["official"]
    dialogue = Dialogue.objects.create(
        municipality=municipality,
        title="Parken",
        slug="parken-stats",
        status="open",
        influence_level="konsultation",
    )
    activity = Activity.objects.create(
        dialogue=dialogue, method=Method.SURVEY, title="Parkenkät", slug="parkenkat"
    )
    survey = actions.ensure_survey(activity=activity, actor=official)
    add = actions.add_question
    q: dict[str, Any] = {"survey": survey}
    q["visit"] = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.SINGLE,
        label="Besöker du parken?",
        options=["Ja", "Nej"],
        required=True,
    )
    q["score"] = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.SCALE,
        label="Betyg",
        scale_min=1,
        scale_max=5,
        page=2,
        condition_question=q["visit"],
        condition_options=[1],
    )
    q["like"] = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.MULTIPLE,
        label="Gillar",
        options=["Träd", "Lek", "Bänk"],
    )
    q["minutes"] = add(survey=survey, actor=official, kind=QuestionKind.NUMBER, label="Minuter")
    q["rank"] = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.RANKING,
        label="Rang",
        options=["X", "Y", "Z"],
    )
    q["matrix"] = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.MATRIX,
        label="Trygghet",
        matrix_rows=["Dag", "Kväll"],
        options=["Trygg", "Otrygg"],
    )
    q["text"] = add(survey=survey, actor=official, kind=QuestionKind.TEXT, label="Övrigt")

    scores = [1, 2, 3, 4, 5, 5, None, None]  # 8 say "Ja"; 6 of them give a score
    for i in range(12):
        yes = i < 8
        answers: dict[int, Any] = {q["visit"].pk: 0 if yes else 1}
        if yes and scores[i] is not None:
            answers[q["score"].pk] = scores[i]
        if not yes:
            answers[q["score"].pk] = 1  # not shown to "Nej": must not count
        if i < 10:
            answers[q["like"].pk] = [0] if i % 2 else [0, 1]
        answers[q["minutes"].pk] = float(i)
        if i < 3:
            answers[q["rank"].pk] = [1, 2, 3] if i < 2 else [3, 1, 2]
        if i < 4:
            answers[q["matrix"].pk] = [0, 1] if i < 3 else [0, None]
        if i == 0:
            answers[q["text"].pk] = "Mer <b>skugga</b>"
        age = "25-34" if i < 6 else ("65+" if i < 10 else "")
        response = actions.start_response(survey=survey, participant_key=f"p{i}")
        actions.submit_response(
            response=response,
            answers=answers,
            consent=True,
            demographics={"age_band": age} if age else {},
        )
    for i in range(3):  # drafts never count
        draft = actions.start_response(survey=survey, participant_key=f"draft{i}")
        actions.save_draft(response=draft, raw={f"q{q['visit'].pk}": "0"}, page=1)
    return q


def test_compilation_counts_and_denominators(stats_survey: dict[str, Any]) -> None:
    q = stats_survey
    c = compile_survey(q["survey"])
    assert c.respondents == 12
    assert c.by_channel == {"digital": 12}
    assert c.with_demographics == 10

    visit = c.question(q["visit"].pk)
    assert (visit.denominator, visit.answered, visit.skipped) == (12, 12, 0)
    assert [(r.label, r.count) for r in visit.rows] == [("Ja", 8), ("Nej", 4)]
    assert visit.rows[0].share == pytest.approx(8 / 12)

    score = c.question(q["score"].pk)
    assert score.conditional and "Ja" in score.condition
    assert (score.denominator, score.answered, score.skipped) == (8, 6, 2)
    assert score.mean == pytest.approx(20 / 6)
    assert score.median == pytest.approx(3.5)
    assert [r.count for r in score.rows] == [1, 1, 1, 1, 2]
    assert score.rows[4].share == pytest.approx(2 / 8)

    like = c.question(q["like"].pk)
    assert (like.denominator, like.answered, like.skipped) == (12, 10, 2)
    assert [r.count for r in like.rows] == [10, 5, 0]
    assert like.multiple_note

    minutes = c.question(q["minutes"].pk)
    assert minutes.answered == 12
    assert minutes.mean == pytest.approx(5.5) and minutes.median == pytest.approx(5.5)
    assert (minutes.minimum, minutes.maximum) == (0, 11)

    rank = c.question(q["rank"].pk)
    assert rank.answered == 3
    by_label = {item.label: item for item in rank.ranking}
    assert by_label["X"].mean_rank == pytest.approx(5 / 3)
    assert by_label["Y"].first_places == 1 and by_label["X"].first_places == 2
    assert rank.ranking[0].label == "X"

    matrix = c.question(q["matrix"].pk)
    assert matrix.answered == 4
    assert [line.answered for line in matrix.matrix] == [4, 3]
    assert [r.count for r in matrix.matrix[0].rows] == [4, 0]
    assert [r.count for r in matrix.matrix[1].rows] == [0, 3]

    text = c.question(q["text"].pk)
    assert (text.answered, text.skipped) == (1, 11)
    assert text.texts == ["Mer <b>skugga</b>"]


def test_cross_tab_suppresses_small_groups(stats_survey: dict[str, Any]) -> None:
    q = stats_survey
    tab = cross_tab(q["survey"], q["visit"], by="age_band")
    assert tab.columns == ["Ja", "Nej"]
    groups = {g.label: g for g in tab.groups}
    assert groups["25-34"].n == 6 and groups["25-34"].counts == [6, 0]
    assert groups["25-34"].shares == [1.0, 0.0]
    assert groups["65+"].suppressed and groups["65+"].n is None
    assert groups["65+"].n_display == "färre än 5"
    assert groups["65+"].counts == [None, None]
    assert groups["Uppgift saknas"].suppressed
    assert tab.suppressed_groups == 2

    # The conditional question's groups only count those shown it (the 8 "Ja"): 6 aged
    # 25-34 and 2 aged 65+. Showing the 6 would give the 2 away (8 - 6), so both are hidden.
    score = cross_tab(q["survey"], q["score"].pk, by="age_band")
    g = {x.label: x for x in score.groups}
    assert g["65+"].suppressed and g["65+"].n_display == "färre än 5"
    assert g["25-34"].suppressed and g["25-34"].n_display == "dolt"
    assert g["25-34"].counts == [None] * 5 and g["25-34"].mean is None
    assert score.suppressed_groups == 2
    minutes = cross_tab(q["survey"], q["minutes"].pk, by="age_band")  # all 12 were shown it
    m = {x.label: x for x in minutes.groups}
    assert m["25-34"].n == 6 and m["25-34"].mean == pytest.approx(2.5)


def test_cross_tab_refuses_text_and_unknown_variable(stats_survey: dict[str, Any]) -> None:
    from delaktig.core.exceptions import DomainError

    with pytest.raises(DomainError):
        cross_tab(stats_survey["survey"], stats_survey["text"], by="age_band")
    with pytest.raises(DomainError):
        cross_tab(stats_survey["survey"], stats_survey["visit"], by="income")


def test_svg_chart_is_accessible_and_escaped() -> None:
    svg = svg_bar_chart(
        [
            Row(label="<script>x</script>", count=3, share=0.75),
            Row(label="Nej", count=1, share=0.25),
        ],
        "Fråga & svar",
    )
    assert 'role="img"' in svg
    assert re.search(r"<title id=\"[^\"]+\">Fråga &amp; svar</title>", svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "75 % (3)" in svg
    assert "aria-labelledby" in svg and "<desc" in svg


def test_results_page_has_table_beside_every_chart(
    client: Any, stats_survey: dict[str, Any], people: Any
) -> None:
    from django.urls import reverse

    client.force_login(people["official"])
    activity = stats_survey["survey"].activity
    url = reverse("surveys:results", kwargs={"activity_id": activity.pk})
    html = client.get(url, {"fraga": stats_survey["visit"].pk, "by": "age_band"}).content.decode()
    assert html.count('role="img"') == html.count("<svg")
    assert html.count("<svg") >= 4
    assert "färre än 5" in html
    assert "Mer &lt;b&gt;skugga&lt;/b&gt;" in html
    assert '<th scope="col">' in html


def test_upplands_vasby_compiles_with_cross_tabs(municipality: Any, people: Any) -> None:
    path = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data"))
    path = path / "upplands-vasby-2015" / "data.csv"
    if not path.exists():
        pytest.skip("shared data missing")
    dialogue = Dialogue.objects.create(
        municipality=municipality, title="Väsby", slug="vasby", status="compiling"
    )
    activity = Activity.objects.create(
        dialogue=dialogue, method=Method.SURVEY, title="Översiktsplan 2015", slug="op"
    )
    survey = actions.ensure_survey(activity=activity, actor=people["official"])
    table = importing.read_table(path.name, path.read_bytes())
    importing.import_responses(
        survey=survey,
        actor=people["official"],
        table=table,
        mapping=importing.suggest_mapping(table),
        skip_invalid=True,
    )
    c = compile_survey(survey)
    assert c.respondents == 1038
    assert c.by_channel == {"import": 1038}
    q1a = survey.questions.get(import_column="X1a..Bevara.existerande.större.grönområden")
    s = c.question(q1a.pk)
    assert (s.denominator, s.answered) == (1038, 1038)
    assert s.rows[-1].count == 225  # 14 = the top of the scale
    tab = cross_tab(survey, q1a, by="age_band")
    groups = {g.label: g for g in tab.groups}
    assert groups["65+"].n == 249 and sum(groups["65+"].counts) == 249
    assert groups["Uppgift saknas"].suppressed  # 3 without an age
    by_gender = {g.label: g.n for g in cross_tab(survey, q1a, by="gender").groups}
    assert by_gender["kvinna"] == 501 and by_gender["man"] == 513
