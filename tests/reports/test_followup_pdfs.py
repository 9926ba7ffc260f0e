"""The annual reports come out as PDF/A + PDF/UA: declared in XMP, with tagged structure."""

from __future__ import annotations

import re

import pytest

from delaktig.followup.selectors import report_data
from delaktig.reports.render import render_pdf
from tests.followup import known_year

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
