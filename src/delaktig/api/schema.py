"""The OpenAPI 3.1 document for the public read-only API (served at /api/openapi.json)."""

from __future__ import annotations

from typing import Any

from delaktig.governance.models import Decision, DialogueStatus, InfluenceLevel
from delaktig.governance.states import Feature, states_in_group, states_with
from delaktig.organisation.models import Gate
from delaktig.participation.models import IdentityLevel, Method, ResidencyRule

PAGE_SIZE_DEFAULT = 25
PAGE_SIZE_MAX = 100
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"  # Django's SlugField without allow_unicode

# The public register's groups under the API's Swedish names.
STATUS_GROUPS: dict[str, list[str]] = {
    name: list(states_in_group(group))
    for name, group in (
        ("planerad", "planned"),
        ("pagar", "open"),
        ("avslutad", "closed"),
        ("ingen_dialog", "no_dialogue"),
    )
}

PUBLIC_STATUSES = list(states_with(Feature.PUBLIC))


def _str(description: str = "", **kw: Any) -> dict[str, Any]:
    return {"type": "string", **({"description": description} if description else {}), **kw}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    out = dict(schema)
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    out["type"] = [out["type"], "null"]
    return out


DATE = _str(format="date")
DATETIME = _str(format="date-time")
URL = _str(format="uri")

PAGE_PARAMS = [
    {
        "name": "sida",
        "in": "query",
        "required": False,
        "description": "Sidnummer, från 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1},
    },
    {
        "name": "per_sida",
        "in": "query",
        "required": False,
        "description": f"Antal per sida, högst {PAGE_SIZE_MAX}.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": PAGE_SIZE_MAX,
            "default": PAGE_SIZE_DEFAULT,
        },
    },
]

PAGE_META = {
    "antal": {"type": "integer", "minimum": 0, "description": "Antal träffar totalt."},
    "sida": {"type": "integer", "minimum": 1},
    "sidor": {"type": "integer", "minimum": 1},
    "per_sida": {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        out["description"] = description
    return out


def _page_of(ref: str) -> dict[str, Any]:
    return _object({**PAGE_META, "resultat": {"type": "array", "items": {"$ref": ref}}})


def components() -> dict[str, Any]:
    dialogue_summary = {
        "id": {"type": "integer"},
        "slug": _str(),
        "rubrik": _str(),
        "sammanfattning": _str(),
        "status": _str("Var i processen dialogen är.", enum=PUBLIC_STATUSES),
        "status_text": _str(),
        "grad_av_inflytande": _nullable(
            _str("Steg på delaktighetstrappan.", enum=list(InfluenceLevel.values))
        ),
        "ansvarig_namnd": _nullable(_str()),
        "oppnar": _nullable(DATE),
        "stanger": _nullable(DATE),
        "aterkoppling_senast": _nullable(DATE),
        "aterkoppling_forsenad": {"type": "boolean"},
        "url": URL,
        "api_url": URL,
    }
    decision = {
        "beslutspunkt": _str(enum=list(Gate.values)),
        "beslutspunkt_text": _str(),
        "organ": _str(),
        "datum": DATE,
        "paragraf": _str(),
        "diarienummer": _str(),
        "utfall": _str(enum=list(Decision.Outcome.values)),
        "utfall_text": _str(),
        "motivering": _str(),
    }
    activity = {
        "id": {"type": "integer"},
        "dialog": _str("Dialogens slug."),
        "metod": _str(enum=list(Method.values)),
        "metod_text": _str(),
        "rubrik": _str(),
        "beskrivning": _str(),
        "oppnar": _nullable(DATETIME),
        "stanger": _nullable(DATETIME),
        "plats": _str(),
        "tillganglighet": _str(),
        "identifiering": _str(enum=list(IdentityLevel.values)),
        "vem_far_delta": _str(enum=list(ResidencyRule.values)),
        "lagsta_alder": {"type": ["integer", "null"], "minimum": 0},
        "for_barn_och_unga": {"type": "boolean"},
        "oppen_nu": {"type": "boolean"},
        "url": URL,
    }
    detail = {
        **dialogue_summary,
        "fragan": _str(),
        "syfte": _str(),
        "mal": _str(),
        "inflytande_betyder": _nullable(_str("Vad graden av inflytande betyder för invånaren.")),
        "sa_anvands_synpunkterna": _str(),
        "beslut_vantas": _nullable(DATE),
        "beslutet_i_korthet": _str(),
        "sa_paverkade_dialogen_beslutet": _str(),
        "beslut": {"type": "array", "items": {"$ref": "#/components/schemas/Beslut"}},
        "aktiviteter": {"type": "array", "items": {"$ref": "#/components/schemas/Aktivitet"}},
    }
    error = _object(
        {
            "fel": {
                "type": "object",
                "properties": {
                    "kod": _str(
                        enum=[
                            "ogiltig_parameter",
                            "hittades_inte",
                            "metoden_stods_inte",
                            "for_manga_anrop",
                        ]
                    ),
                    "meddelande": _str("Vad som är fel, på svenska."),
                    "parameter": _str(),
                },
                "required": ["kod", "meddelande"],
                "additionalProperties": False,
            }
        }
    )
    return {
        "schemas": {
            "DialogSammanfattning": _object(dialogue_summary),
            "Dialog": _object(detail),
            "Beslut": _object(decision, "Ett politiskt beslut med paragraf och diarienummer."),
            "Aktivitet": _object(activity, "Ett dialogtillfälle: en metod, tid och plats."),
            "DialogSida": _page_of("#/components/schemas/DialogSammanfattning"),
            "AktivitetSida": _page_of("#/components/schemas/Aktivitet"),
            "Fel": error,
        },
        "responses": {
            "Ogiltig": {
                "description": "Ogiltig parameter.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fel"}}},
            },
            "SaknasInte": {
                "description": "Finns inte.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fel"}}},
            },
        },
    }


def _ok(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ref}}},
    }


def openapi_document(server_url: str = "") -> dict[str, Any]:
    # Every state may be asked for; those not public yet simply give nothing.
    status_values = list(STATUS_GROUPS) + PUBLIC_STATUSES
    status_values += [s for s in DialogueStatus.values if s not in PUBLIC_STATUSES]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Delaktig – öppet API för medborgardialoger",
            "version": "1.0.0",
            "description": (
                "Läs kommunens register över medborgardialoger: grad av inflytande, "
                "politiska beslut och dialogtillfällen. API:t går bara att läsa och kräver "
                "ingen inloggning. Fel beskrivs på svenska i fältet fel.meddelande."
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": server_url or "/"}],
        "paths": {
            "/api/dialoger/": {
                "get": {
                    "operationId": "listaDialoger",
                    "summary": "Alla offentliga dialoger",
                    "parameters": [
                        {
                            "name": "status",
                            "in": "query",
                            "required": False,
                            "description": (
                                "En grupp (planerad, pagar, avslutad, ingen_dialog) "
                                "eller en exakt status."
                            ),
                            "schema": {"type": "string", "enum": status_values},
                        },
                        *PAGE_PARAMS,
                    ],
                    "responses": {
                        "200": _ok("#/components/schemas/DialogSida", "En sida med dialoger."),
                        "400": {"$ref": "#/components/responses/Ogiltig"},
                        "404": {"$ref": "#/components/responses/SaknasInte"},
                    },
                }
            },
            "/api/dialoger/{slug}/": {
                "get": {
                    "operationId": "hamtaDialog",
                    "summary": "En dialog med beslut och aktiviteter",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": SLUG_PATTERN},
                        }
                    ],
                    "responses": {
                        "200": _ok("#/components/schemas/Dialog", "Dialogen."),
                        "404": {"$ref": "#/components/responses/SaknasInte"},
                    },
                }
            },
            "/api/aktiviteter/": {
                "get": {
                    "operationId": "listaAktiviteter",
                    "summary": "Dialogtillfällen i offentliga dialoger",
                    "parameters": [
                        {
                            "name": "metod",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": list(Method.values)},
                        },
                        {
                            "name": "dialog",
                            "in": "query",
                            "required": False,
                            "description": "Bara aktiviteter i dialogen med denna slug.",
                            "schema": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 220},
                        },
                        {
                            "name": "oppen",
                            "in": "query",
                            "required": False,
                            "description": "true: bara de som är öppna nu; false: de andra.",
                            "schema": {"type": "string", "enum": ["true", "false"]},
                        },
                        *PAGE_PARAMS,
                    ],
                    "responses": {
                        "200": _ok("#/components/schemas/AktivitetSida", "En sida."),
                        "400": {"$ref": "#/components/responses/Ogiltig"},
                        "404": {"$ref": "#/components/responses/SaknasInte"},
                    },
                }
            },
            "/api/aktiviteter/{activity_id}/": {
                "get": {
                    "operationId": "hamtaAktivitet",
                    "summary": "En aktivitet",
                    "parameters": [
                        {
                            "name": "activity_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 0},
                        }
                    ],
                    "responses": {
                        "200": _ok("#/components/schemas/Aktivitet", "Aktiviteten."),
                        "404": {"$ref": "#/components/responses/SaknasInte"},
                    },
                }
            },
        },
        "components": components(),
    }
