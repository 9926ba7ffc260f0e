"""The public read-only JSON API: what it shows, what it hides, and its Swedish errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.security.world import PUBLIC_STATES, World

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, **params: Any) -> tuple[int, Any]:
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), url
    return response.status_code, json.loads(response.content)


def test_register_lists_only_public_dialogues(client: Client, world: World) -> None:
    status, body = get(client, "/api/dialoger/", per_sida=100)
    assert status == 200
    slugs = {row["slug"] for row in body["resultat"]}
    assert slugs == {world.dialogues[s].slug for s in PUBLIC_STATES}
    assert world.dialogues["idea"].slug not in slugs
    assert world.dialogues["assessment"].slug not in slugs
    assert body["antal"] == len(PUBLIC_STATES)


def test_register_filters_by_status_group(client: Client, world: World) -> None:
    status, body = get(client, "/api/dialoger/", status="pagar")
    assert status == 200
    assert [r["slug"] for r in body["resultat"]] == [world.dialogues["open"].slug]
    status, body = get(client, "/api/dialoger/", status="planerad")
    assert {r["status"] for r in body["resultat"]} == {
        "approved",
        "planning",
        "decided_to_conduct",
        "announced",
    }


def test_pagination(client: Client, world: World) -> None:
    _, first = get(client, "/api/dialoger/", per_sida=4)
    _, second = get(client, "/api/dialoger/", per_sida=4, sida=2)
    assert first["sidor"] == 3 and first["sida"] == 1
    assert len(first["resultat"]) == 4
    assert not {r["id"] for r in first["resultat"]} & {r["id"] for r in second["resultat"]}


def test_detail_has_influence_decisions_and_activities(client: Client, world: World) -> None:
    d = world.dialogues["open"]
    status, body = get(client, f"/api/dialoger/{d.slug}/")
    assert status == 200
    assert body["grad_av_inflytande"] == d.influence_level
    assert body["inflytande_betyder"] == d.influence_meaning
    assert body["sa_anvands_synpunkterna"] == d.input_use
    assert body["beslut"][0]["diarienummer"] == d.decisions.get().case_number
    assert body["beslut"][0]["organ"] == "Kommunstyrelsen"
    assert len(body["aktiviteter"]) == d.activities.count()
    assert all(a["oppen_nu"] for a in body["aktiviteter"])


def test_hidden_dialogue_is_404_in_swedish(client: Client, world: World) -> None:
    for key in ("idea", "assessment"):
        status, body = get(client, f"/api/dialoger/{world.dialogues[key].slug}/")
        assert status == 404
        assert body["fel"]["kod"] == "hittades_inte"
        assert "dialog" in body["fel"]["meddelande"]


def test_activities_filter_and_hidden(client: Client, world: World) -> None:
    _, body = get(client, "/api/aktiviteter/", per_sida=100)
    titles = {a["rubrik"] for a in body["resultat"]}
    assert "Hemlig enkät" not in titles
    assert "Enkät om trygghet" in titles
    _, open_body = get(client, "/api/aktiviteter/", oppen="true", per_sida=100)
    assert "Enkät om trygghet" not in {a["rubrik"] for a in open_body["resultat"]}
    _, closed = get(client, "/api/aktiviteter/", oppen="false", per_sida=100)
    assert [a["rubrik"] for a in closed["resultat"]] == ["Enkät om trygghet"]
    _, surveys = get(client, "/api/aktiviteter/", metod="survey")
    assert {a["metod"] for a in surveys["resultat"]} == {"survey"}
    hidden = world.dialogues["assessment"].activities.get()
    status, _ = get(client, f"/api/aktiviteter/{hidden.pk}/")
    assert status == 404
    status, one = get(client, f"/api/aktiviteter/{world.activities[0].pk}/")
    assert status == 200 and one["id"] == world.activities[0].pk


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/dialoger/", {"status": "påhittad"}, "status"),
        ("/api/dialoger/", {"status": ""}, "status"),
        ("/api/dialoger/", {"sida": "ett"}, "sida"),
        ("/api/dialoger/", {"sida": "0"}, "sida"),
        ("/api/dialoger/", {"per_sida": "1000"}, "per_sida"),
        ("/api/dialoger/", {"per_sida": "-1"}, "per_sida"),
        ("/api/aktiviteter/", {"metod": "telepati"}, "metod"),
        ("/api/aktiviteter/", {"oppen": "kanske"}, "oppen"),
        ("/api/aktiviteter/", {"dialog": "<script>"}, "dialog"),
        ("/api/aktiviteter/", {"dialog": ""}, "dialog"),
        ("/api/aktiviteter/", {"dialog": "a" * 221}, "dialog"),
    ],
)
def test_bad_parameters_are_400_in_swedish(
    client: Client, world: World, url: str, params: dict[str, str], parameter: str
) -> None:
    status, body = get(client, url, **params)
    assert status == 400
    assert body["fel"]["kod"] == "ogiltig_parameter"
    assert body["fel"]["parameter"] == parameter
    assert any(w in body["fel"]["meddelande"] for w in ("måste", "Okänt", "finns inte"))


def test_unknown_path_and_huge_id_are_json_404(client: Client, world: World) -> None:
    for url in (
        "/api/finns-inte/",
        "/api/aktiviteter/99999999999999999999999/",
        "/api/dialoger/?sida=99",
        "/api/aktiviteter/%0A/",
        "/api/aktiviteter/a%0Ab%C3%A0/",
        "/api/n%C3%A5got%0A",
    ):
        status, body = get(client, url)
        assert status == 404
        assert body["fel"]["kod"] == "hittades_inte"


def test_api_is_read_only(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/dialoger/")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert json.loads(response.content)["fel"]["kod"] == "metoden_stods_inte"


def test_openapi_document(client: Client, db: Any) -> None:
    status, doc = get(client, "/api/openapi.json")
    assert status == 200
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {
        "/api/dialoger/",
        "/api/dialoger/{slug}/",
        "/api/aktiviteter/",
        "/api/aktiviteter/{activity_id}/",
    }
