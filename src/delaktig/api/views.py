"""Read-only public JSON API: the dialogue register, decisions and activities.

Plain Django views returning JSON. Only what the public register shows is exposed
(dialogues from planning onwards, never ideas under assessment or user dialogues).
Errors are JSON in Swedish: 400 for a bad parameter, 404 for what does not exist,
405 for any method other than GET/HEAD.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from delaktig.api.schema import (
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    SLUG_PATTERN,
    STATUS_GROUPS,
    openapi_document,
)
from delaktig.core.parsing import parse_int
from delaktig.governance import selectors
from delaktig.governance.models import Decision, Dialogue, DialogueStatus
from delaktig.participation.models import Activity, Method
from delaktig.participation.selectors import public_activities

MAX_ID = 2**63 - 1  # the largest id a database column holds


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class PageNotFound(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def error(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    body: dict[str, Any] = {"fel": {"kod": code, "meddelande": message, **extra}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def not_found(message: str = "Det du letar efter finns inte.") -> JsonResponse:
    return error(404, "hittades_inte", message)


def api_view(func: Callable[..., JsonResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; bad parameters become a Swedish 400; responses are never cached
    by shared caches with another language (Vary) and always JSON."""

    @csrf_exempt  # read-only; any other method is refused before anything happens
    @wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = error(
                405,
                "metoden_stods_inte",
                "API:t går bara att läsa. Använd GET.",
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            response = func(request, *args, **kwargs)
        except BadParameter as exc:
            response = error(400, "ogiltig_parameter", exc.message, parameter=exc.parameter)
        except PageNotFound as exc:
            response = not_found(exc.message)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _ensure_ascii_free(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


# --- parameters ----------------------------------------------------------------------------


def _int_param(request: HttpRequest, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    value = parse_int(raw)
    if value is None:
        raise BadParameter(name, f"Parametern {name} måste vara ett heltal.")
    if not lo <= value <= hi:
        raise BadParameter(name, f"Parametern {name} måste vara mellan {lo} och {hi}.")
    return value


def _choice_param(request: HttpRequest, name: str, choices: list[str]) -> str:
    raw = request.GET.get(name)
    if raw is None:
        return ""
    if raw not in choices:
        raise BadParameter(name, f"Okänt värde för {name}. Tillåtna värden: {', '.join(choices)}.")
    return raw


def _slug_param(request: HttpRequest, name: str) -> str:
    raw = request.GET.get(name)
    if raw is None:
        return ""
    if len(raw) > 220 or not re.fullmatch(SLUG_PATTERN, raw):
        raise BadParameter(
            name,
            f"Parametern {name} måste vara en dialogs adress: bokstäverna a–z, siffror, "
            "bindestreck och understreck.",
        )
    return raw


def _bool_param(request: HttpRequest, name: str) -> bool | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    if raw == "true":
        return True
    if raw == "false":
        return False
    raise BadParameter(name, f"Parametern {name} måste vara true eller false.")


def _paginate(request: HttpRequest, qs: Any) -> tuple[Any, dict[str, Any]]:
    size = _int_param(request, "per_sida", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX)
    number = _int_param(request, "sida", 1, 1, 1_000_000)
    paginator = Paginator(qs, size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        if number == 1:  # no rows at all: an empty first page
            return [], {"antal": 0, "sida": 1, "sidor": 1, "per_sida": size}
        raise PageNotFound(f"Sidan finns inte. Det finns {paginator.num_pages} sidor.") from None
    meta = {
        "antal": paginator.count,
        "sida": page.number,
        "sidor": paginator.num_pages,
        "per_sida": size,
    }
    return page.object_list, meta


# --- serialisers ---------------------------------------------------------------------------


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _url(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def dialogue_summary(request: HttpRequest, d: Dialogue) -> dict[str, Any]:
    return {
        "id": d.pk,
        "slug": d.slug,
        "rubrik": d.title,
        "sammanfattning": d.summary,
        "status": d.status,
        "status_text": str(d.get_status_display()),  # type: ignore[attr-defined]
        "grad_av_inflytande": d.influence_level or None,
        "ansvarig_namnd": d.owner_body.name if d.owner_body_id else None,  # type: ignore[union-attr]
        "oppnar": _date(d.starts_on),
        "stanger": _date(d.ends_on),
        "aterkoppling_senast": _date(d.feedback_due),
        "aterkoppling_forsenad": d.is_feedback_overdue,
        "url": _url(request, reverse("governance:dialogue", kwargs={"slug": d.slug})),
        "api_url": _url(request, reverse("api:dialogue", kwargs={"slug": d.slug})),
    }


def decision_data(x: Decision) -> dict[str, Any]:
    return {
        "beslutspunkt": x.gate,
        "beslutspunkt_text": str(x.get_gate_display()),  # type: ignore[attr-defined]
        "organ": x.body.name,
        "datum": _date(x.decided_on),
        "paragraf": x.paragraph,
        "diarienummer": x.case_number,
        "utfall": x.outcome,
        "utfall_text": str(x.get_outcome_display()),  # type: ignore[attr-defined]
        "motivering": x.rationale,
    }


def activity_data(request: HttpRequest, a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "dialog": a.dialogue.slug,
        "metod": a.method,
        "metod_text": str(a.get_method_display()),  # type: ignore[attr-defined]
        "rubrik": a.title,
        "beskrivning": a.description,
        "oppnar": a.opens_at.isoformat() if a.opens_at else None,
        "stanger": a.closes_at.isoformat() if a.closes_at else None,
        "plats": a.place,
        "tillganglighet": a.accessibility_info,
        "identifiering": a.identity_level,
        "vem_far_delta": a.residency_rule,
        "lagsta_alder": a.min_age,
        "for_barn_och_unga": a.for_children,
        "oppen_nu": a.is_open,
        "url": _url(request, a.get_absolute_url()),
    }


def dialogue_detail_data(request: HttpRequest, d: Dialogue) -> dict[str, Any]:
    data = dialogue_summary(request, d)
    data.update(
        {
            "fragan": d.question,
            "syfte": d.purpose,
            "mal": d.goal,
            "inflytande_betyder": d.influence_meaning or None,
            "sa_anvands_synpunkterna": d.input_use,
            "beslut_vantas": _date(d.decision_expected_on),
            "beslutet_i_korthet": d.final_decision_summary,
            "sa_paverkade_dialogen_beslutet": d.influence_on_decision,
            "beslut": [decision_data(x) for x in d.decisions.all()],
            "aktiviteter": [activity_data(request, a) for a in d.activities.all()],
        }
    )
    return data


# --- views ---------------------------------------------------------------------------------


def _public_activities() -> Any:
    return public_activities().select_related("dialogue")


@api_view
def dialogue_list(request: HttpRequest) -> JsonResponse:
    status = _choice_param(request, "status", list(STATUS_GROUPS) + list(DialogueStatus.values))
    qs = selectors.public_dialogues()
    if status in STATUS_GROUPS:
        qs = qs.filter(status__in=STATUS_GROUPS[status])
    elif status:
        qs = qs.filter(status=status)
    rows, meta = _paginate(request, qs.order_by("-starts_on", "-created_at", "-id"))
    return _ensure_ascii_free({**meta, "resultat": [dialogue_summary(request, d) for d in rows]})


@api_view
def dialogue_detail(request: HttpRequest, slug: str) -> JsonResponse:
    dialogue = (
        selectors.public_dialogues()
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("body")),
            Prefetch("activities", queryset=Activity.objects.select_related("dialogue")),
        )
        .filter(slug=slug)
        .first()
    )
    if dialogue is None:
        return not_found("Det finns ingen offentlig dialog med den adressen.")
    return _ensure_ascii_free(dialogue_detail_data(request, dialogue))


@api_view
def activity_list(request: HttpRequest) -> JsonResponse:
    method = _choice_param(request, "metod", list(Method.values))
    open_now = _bool_param(request, "oppen")
    dialogue_slug = _slug_param(request, "dialog")
    qs = _public_activities()
    if method:
        qs = qs.filter(method=method)
    if dialogue_slug:
        qs = qs.filter(dialogue__slug=dialogue_slug)
    if open_now is not None:
        open_ids = Activity.objects.open_now().values("pk")
        qs = qs.filter(pk__in=open_ids) if open_now else qs.exclude(pk__in=open_ids)
    rows, meta = _paginate(request, qs.order_by("dialogue_id", "order", "id"))
    return _ensure_ascii_free({**meta, "resultat": [activity_data(request, a) for a in rows]})


@api_view
def activity_detail(request: HttpRequest, activity_id: int) -> JsonResponse:
    if activity_id > MAX_ID:
        return not_found("Det finns ingen offentlig aktivitet med det numret.")
    activity = _public_activities().filter(pk=activity_id).first()
    if activity is None:
        return not_found("Det finns ingen offentlig aktivitet med det numret.")
    return _ensure_ascii_free(activity_data(request, activity))


@api_view
def openapi(request: HttpRequest) -> JsonResponse:
    return _ensure_ascii_free(openapi_document(server_url=request.build_absolute_uri("/")[:-1]))


@api_view
def unknown(request: HttpRequest, rest: str = "") -> JsonResponse:
    return not_found("Adressen finns inte i API:t. Se /api/openapi.json.")
