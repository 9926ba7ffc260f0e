"""Import of answers from other survey tools: the real Upplands Väsby file, bad files, XLSX."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from delaktig.core.models import AuditEvent
from delaktig.participation.models import Contribution
from delaktig.participation.surveys import actions, importing
from delaktig.participation.surveys.models import Answer, QuestionKind, Response

from .conftest import shared_data

pytestmark = pytest.mark.django_db

VASBY_DEMOGRAPHICS = {
    "Var.bor.du.": "demo:district",
    "Vilken.är.din.högsta.utbildningsnivå.": "demo:education",
    "Vilken.är.din.huvudsakliga.sysselsättning.": "demo:occupation",
    "Hur.länge.har.du.bott.i.Upplands.Väsby.": "demo:years_lived",
    "Hur.gammal.är.du.": "demo:age_band",
    "Vilket.kön.har.du.": "demo:gender",
}


def vasby_table() -> importing.Table:
    path = shared_data("upplands-vasby-2015", "data.csv")
    return importing.read_table(path.name, path.read_bytes())


def test_suggested_mapping_for_upplands_vasby(activity: Any, people: Any) -> None:
    table = vasby_table()
    assert len(table.rows) == 1038
    assert len(table.header) == 79
    mapping = importing.suggest_mapping(table)
    by_header = {table.header[i]: t for i, t in mapping.items()}
    for header, target in VASBY_DEMOGRAPHICS.items():
        assert by_header[header] == target
    assert by_header["Serial"] == "id"
    assert by_header["IP.Address"] == "ignore"
    assert by_header["X1a..Bevara.existerande.större.grönområden"] == "new:scale"
    # A column that is "NA" for everyone is not imported.
    assert by_header["X12b..Bevara.natur.och.strandlinjer.intakta"] == "ignore"


def test_upplands_vasby_imports_with_demographics(activity: Any, people: Any) -> None:
    survey = actions.ensure_survey(activity=activity, actor=people["official"])
    table = vasby_table()
    mapping = importing.suggest_mapping(table)
    # One row in the export is shifted (a place name under a rating): strict mode refuses.
    with pytest.raises(importing.ImportFileError) as exc:
        importing.import_responses(
            survey=survey, actor=people["official"], table=table, mapping=mapping
        )
    assert any(
        "X12a..Bygga.bostäder.nära.vatten" in p and "Smedby 2" in p for p in exc.value.problems
    )
    assert not Response.objects.exists() and not survey.questions.exists()

    result = importing.import_responses(
        survey=survey, actor=people["official"], table=table, mapping=mapping, skip_invalid=True
    )
    assert result.created == 1038
    assert Response.objects.filter(survey=survey, status="submitted").count() == 1038
    assert Contribution.objects.filter(activity=activity, kind="answer").count() == 1038
    assert Contribution.objects.filter(entered_by=people["official"]).count() == 1038
    assert result.skipped_cells and all("Rad " in c for c in result.skipped_cells)
    # 50 ratings + 10 area priorities + 3 trade-offs become questions (all-NA columns do not).
    assert result.questions_created == 63
    q1a = survey.questions.get(import_column="X1a..Bevara.existerande.större.grönområden")
    assert q1a.kind == QuestionKind.SCALE
    assert q1a.label == "1a. Bevara existerande större grönområden"
    assert (q1a.scale_min, q1a.scale_max) == (0, 14)
    assert Answer.objects.filter(question=q1a).count() == 1038
    assert Answer.objects.filter(question=q1a, number=14).count() == 225

    def count(key: str) -> Counter[str]:
        return Counter(r.demographics.get(key) for r in Response.objects.filter(survey=survey))

    ages = count("age_band")
    assert ages["65+"] == 249 and ages["45-54"] == 245 and ages["15-24"] == 69
    genders = count("gender")
    assert (genders["kvinna"], genders["man"], genders["annat"]) == (501, 513, 3)
    assert genders[None] == 1038 - 501 - 513 - 3  # "Vill ej uppge" and blanks
    districts = count("district")
    assert districts["Vilunda/Korpkulla"] == 108 and districts["Runby"] == 100
    assert count("years_lived")["10 år eller mer"] == 839
    assert count("education")["Högskola/universitet"] == 487
    assert count("occupation")["Pensionär"] == 244
    contribution = Contribution.objects.filter(activity=activity).order_by("pk").first()
    assert contribution.data["demographics"]["age_band"]
    assert AuditEvent.objects.filter(action="survey.imported").count() == 1

    # Importing the same file again is refused (ids already imported), nothing doubles.
    with pytest.raises(importing.ImportFileError, match="Ingenting har importerats"):
        importing.import_responses(
            survey=survey,
            actor=people["official"],
            table=table,
            mapping=importing.suggest_mapping(table, survey),
            skip_invalid=True,
        )
    assert Response.objects.filter(survey=survey).count() == 1038


def test_comma_csv_into_existing_questions(activity: Any, people: Any) -> None:
    official = people["official"]
    survey = actions.ensure_survey(activity=activity, actor=official)
    color = actions.add_question(
        survey=survey,
        actor=official,
        kind=QuestionKind.SINGLE,
        label="Färg",
        options=["Röd", "Grön"],
    )
    many = actions.add_question(
        survey=survey,
        actor=official,
        kind=QuestionKind.MULTIPLE,
        label="Djur",
        options=["Katt", "Hund", "Häst"],
    )
    content = "id,Färg,Djur,Ålder,Kön\n1,röd,Katt|Häst,25–34,Kvinna\n2,Grön,,65+,man\n3,NA,Hund,,\n"
    table = importing.read_table("svar.csv", content.encode())
    mapping = importing.suggest_mapping(table, survey)
    assert mapping == {
        0: "id",
        1: f"q:{color.pk}",
        2: f"q:{many.pk}",
        3: "demo:age_band",
        4: "demo:gender",
    }
    result = importing.import_responses(survey=survey, actor=official, table=table, mapping=mapping)
    assert result.created == 3 and result.questions_created == 0
    assert sorted(Answer.objects.filter(question=color).values_list("option", flat=True)) == [0, 1]
    assert sorted(Answer.objects.filter(question=many).values_list("option", flat=True)) == [
        0,
        1,
        2,
    ]
    r1 = Response.objects.get(source_ref="1")
    assert r1.demographics == {"age_band": "25-34", "gender": "kvinna"}
    assert Response.objects.get(source_ref="3").demographics == {}


def test_bad_file_lists_rows_and_columns_and_imports_nothing(activity: Any, people: Any) -> None:
    official = people["official"]
    survey = actions.ensure_survey(activity=activity, actor=official)
    content = "id;Betyg;Kommentar\n1;3;Bra\n2;tre;Okej\n3;99;\n4;2;Fint\n"
    table = importing.read_table("svar.csv", content.encode())
    mapping = {0: "id", 1: "new:number", 2: "new:text"}
    q_before = survey.questions.count()
    # A number column with a word in it.
    with pytest.raises(importing.ImportFileError) as exc:
        importing.import_responses(survey=survey, actor=official, table=table, mapping=mapping)
    assert exc.value.problems == ["Rad 3, kolumn ”Betyg”: ”tre” är inte ett tal."]
    assert survey.questions.count() == q_before
    assert not Response.objects.exists() and not Contribution.objects.exists()
    # Ragged rows are refused when reading.
    with pytest.raises(importing.ImportFileError) as exc:
        importing.read_table("svar.csv", b"a;b\n1;2\n3\n")
    assert exc.value.problems == ["Rad 3 har 1 kolumner men rubrikraden har 2."]
    with pytest.raises(importing.ImportFileError, match="tom"):
        importing.read_table("svar.csv", b"")
    with pytest.raises(importing.ImportFileError, match="XLSX"):
        importing.read_table("svar.xlsx", b"PK\x03\x04 trasig")
    with pytest.raises(importing.ImportFileError, match="CSV eller XLSX"):
        importing.read_table("svar.pdf", b"%PDF")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_import_through_the_official_pages(client: Client, activity: Any, people: Any) -> None:
    official = people["official"]
    survey = actions.ensure_survey(activity=activity, actor=official)
    content = xlsx_bytes(
        [
            ["Respondent", "Hur nöjd är du?", "Varför?", "Kön"],
            [101, 4, "<script>alert(1)</script>", "Kvinna"],
            [102, 5, "Fin park", "Man"],
            [103, 2, None, None],
        ]
    )
    client.force_login(official)
    upload = reverse("surveys:import", kwargs={"activity_id": activity.pk})
    r = client.post(upload, {"file": SimpleUploadedFile("svar.xlsx", content)})
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "Filen har 3 svar" in html
    assert 'value="new:scale" selected' in html
    post = {"col_0": "id", "col_1": "new:scale", "col_2": "new:text", "col_3": "demo:gender"}
    r = client.post(r["Location"], post)
    assert r.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 3
    assert sorted(
        Answer.objects.filter(question__kind="scale").values_list("number", flat=True)
    ) == [2.0, 4.0, 5.0]
    results = client.get(reverse("surveys:results", kwargs={"activity_id": activity.pk}))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in results.content.decode()


def test_bad_upload_shows_swedish_errors_with_400(
    client: Client, activity: Any, people: Any
) -> None:
    actions.ensure_survey(activity=activity, actor=people["official"])
    client.force_login(people["official"])
    upload = reverse("surveys:import", kwargs={"activity_id": activity.pk})
    r = client.post(upload, {"file": SimpleUploadedFile("svar.csv", b"a;b\n1;2;3\n")})
    assert r.status_code == 400
    assert "Rad 2 har 3 kolumner men rubrikraden har 2." in r.content.decode()


def test_mapping_errors_are_reported(client: Client, activity: Any, people: Any) -> None:
    actions.ensure_survey(activity=activity, actor=people["official"])
    client.force_login(people["official"])
    upload = reverse("surveys:import", kwargs={"activity_id": activity.pk})
    r = client.post(upload, {"file": SimpleUploadedFile("s.csv", b"id;Betyg\n1;5\n2;x\n")})
    r = client.post(r["Location"], {"col_0": "id", "col_1": "new:number"})
    assert r.status_code == 400
    assert "Rad 3, kolumn ”Betyg”: ”x” är inte ett tal." in r.content.decode()
    assert not Response.objects.exists()
