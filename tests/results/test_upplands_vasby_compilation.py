"""Acceptance (issue 5): the real Upplands Väsby 2015 survey imports and compiles into a
readable report with cross-tabs and representativeness.

Uses the surveys engineer's importer on /work/shared/data/upplands-vasby-2015/data.csv
(env DELAKTIG_SHARED_DATA overrides the folder; skipped only when it is absent) and an
illustrative population table in SCB PxWeb layout (tests/results/data/README.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from delaktig.results import representativeness
from delaktig.results.report import build_report, render_compilation_pdf
from tests.shared_data import vasby_csv

DATA = Path(__file__).parent / "data"


@pytest.mark.slow
def test_upplands_vasby_survey_compiles_into_a_report(
    dialogue, activity, people, municipality, settings
) -> None:
    from delaktig.participation.surveys import actions as survey_actions
    from delaktig.participation.surveys import importing

    settings.DELAKTIG_MIN_GROUP_SIZE = 5
    path = vasby_csv()
    survey = survey_actions.ensure_survey(activity=activity, actor=people["official"])
    table = importing.read_table(path.name, path.read_bytes())
    result = importing.import_responses(
        survey=survey,
        actor=people["official"],
        table=table,
        mapping=importing.suggest_mapping(table),
        skip_invalid=True,
    )
    assert result.created == 1038
    representativeness.import_population_csv(
        municipality=municipality,
        actor=people["official"],
        content=(DATA / "upplands_vasby_2015_illustrativ.csv").read_bytes(),
        name="Upplands Väsby 2015 (illustrativ)",
        source="Illustrativ approximation i SCB:s PxWeb-format",
    )

    report = build_report(dialogue)
    assert report["participation"]["participants"] == 1038
    (section,) = report["surveys"]
    assert section["respondents"] == 1038
    assert len(section["scale_summary"]) >= 50
    assert all(q["mean"] is not None for q in section["scale_summary"] if q["answered"])
    # cross-tabs by age band and by gender, with the survey's own groups
    bys = {c["by_label"] for c in section["crosstabs"]}
    assert bys == {"Ålder", "Kön"}
    age_tab = next(c for c in section["crosstabs"] if c["by_label"] == "Ålder")
    labels = {g["label"] for g in age_tab["groups"]}
    assert {"15-24", "25-34", "65+"} <= labels
    assert all(g["mean"] is not None for g in age_tab["groups"] if not g["suppressed"])

    rep = report["representativeness"]
    age = next(d for d in rep["dimensions"] if d["key"] == "age_band")
    rows = {r["label"]: r for r in age["rows"]}
    assert rows["65+ år"]["participants"] == "249"
    assert rows["15–24 år"]["participants"] == "69"
    # 15-24 year olds are ~12 % of the population aged 15+ but 7 % of the respondents
    assert rows["15–24 år"]["under_represented"] is True
    assert rows["65+ år"]["under_represented"] is False
    assert any(m.startswith("15–24 år") for m in rep["missing"])
    gender = next(d for d in rep["dimensions"] if d["key"] == "gender")
    assert {r["label"] for r in gender["rows"]} >= {"Kvinnor", "Män"}
    # every shown participant count respects the minimum group size
    for dim in rep["dimensions"]:
        for r in dim["rows"]:
            assert r["suppressed"] or int(r["participants"]) >= 5

    pdf = render_compilation_pdf(dialogue)
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"<pdfuaid:part>1</pdfuaid:part>", pdf)
    assert re.search(rb"<pdfaid:part>2</pdfaid:part>", pdf)
