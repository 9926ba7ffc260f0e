"""The annual reports come out as PDF/A + PDF/UA: declared in XMP, with tagged structure."""

from __future__ import annotations

import re

import pytest

from delaktig.followup.selectors import report_data
from delaktig.reports.render import render_pdf
from tests.followup import known_year
from tests.reports.pdf_layout import overlapping_words

pytestmark = pytest.mark.django_db


def _assert_accessible_pdf(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert re.search(rb"<pdfaid:part>2</pdfaid:part>", pdf)
    assert re.search(rb"<pdfaid:conformance>A</pdfaid:conformance>", pdf)
    assert re.search(rb"<pdfuaid:part>1</pdfuaid:part>", pdf)
    assert b"/StructTreeRoot" in pdf
    assert b"/MarkInfo" in pdf
    assert b"/Lang" in pdf


def test_municipality_report_pdf(client, municipality):
    known_year.build(municipality)
    response = client.get("/uppfoljning/kommunen/2025/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    _assert_accessible_pdf(response.content)


def test_body_annual_report_pdf(client, municipality):
    year = known_year.build(municipality)
    response = client.get(f"/uppfoljning/organ/{year['sbn'].pk}/2025/pdf/")
    assert response.status_code == 200
    assert "samhallsbyggnadsnamnden" in response["Content-Disposition"]
    _assert_accessible_pdf(response.content)


def test_an_empty_year_still_renders(municipality):
    _assert_accessible_pdf(render_pdf("municipality_report.typ", report_data(municipality, 2019)))


def test_user_text_cannot_inject_typst(municipality):
    year = known_year.build(municipality)
    year["a"].title = '#panic("x") ]) = Rubrik'
    year["a"].save()
    pdf = render_pdf("annual_report.typ", report_data(municipality, 2025, year["sbn"]))
    _assert_accessible_pdf(pdf)


@pytest.mark.parametrize("template", ["annual_report.typ", "municipality_report.typ"])
def test_no_columns_overlap_at_any_length_of_name(municipality, template):
    """Long committee names, dialogue titles and words: every table cell wraps in its column."""
    year = known_year.build(municipality)
    body = year["sbn"]
    body.name = "Samhällsbyggnads- och miljö- och hälsoskyddsnämndens arbetsutskott för planfrågor"
    body.save()
    # As long as the plan form allows (200 characters).
    title = "Medborgardialog om ombyggnaden av Stationsparken och trafiksäkerheten " * 3
    year["a"].title = title[: year["a"]._meta.get_field("title").max_length].strip()
    year["a"].save()
    data = report_data(municipality, 2025, body if template == "annual_report.typ" else None)
    pdf = render_pdf(template, data)
    _assert_accessible_pdf(pdf)
    assert overlapping_words(pdf) == []
