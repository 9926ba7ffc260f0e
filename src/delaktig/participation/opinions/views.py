"""Thin views: parse, authorise, call an action, render. Works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from delaktig.core.exceptions import DomainError
from delaktig.participation import eligibility, feedback_optin
from delaktig.participation.identity import participant_key, school_session_for
from delaktig.participation.models import Activity
from delaktig.participation.selectors import public_activity

from . import actions, forms, selectors
from .models import Statement, StatementStatus, StatementVote

REFUSAL_CODES = {"closed", "identity", "residency", "age"}
SHAPES = ["circle", "square", "triangle", "diamond", "cross"]
SHAPE_LABELS = {
    "circle": gettext_lazy("cirkel"),
    "square": gettext_lazy("kvadrat"),
    "triangle": gettext_lazy("triangel"),
    "diamond": gettext_lazy("romb"),
    "cross": gettext_lazy("kors"),
}
GROUP_FILLS = ["#1b5e9e", "#b3400f", "#2e7d32", "#6a1b9a", "#4e4e4e"]


def _activity(activity_id: int) -> Activity:
    return public_activity(activity_id, "opinions")


def _viewer_key(request: HttpRequest, activity: Activity) -> str:
    """The viewer's key, without creating a session just to look."""
    if request.user.is_authenticated or request.session.session_key:
        return participant_key(request, activity)
    return ""


def _page(
    request: HttpRequest,
    activity: Activity,
    *,
    vote_form: forms.VoteForm | None = None,
    statement_form: forms.StatementForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    key = _viewer_key(request, activity)
    refusal = eligibility.refusal(request, activity)
    current = selectors.next_statement(activity, key) if refusal is None else None
    done, total = (
        selectors.progress(activity, key)
        if key
        else (0, selectors.published_statements(activity).count())
    )
    my_pending = (
        Statement.objects.filter(
            activity=activity, participant_key=key, status=StatementStatus.PENDING
        )
        if key
        else Statement.objects.none()
    )
    summary = None
    if refusal is not None:
        summary = selectors.published_statements(activity).annotate(
            n_agree=Count("votes", filter=Q(votes__value=1)),
            n_disagree=Count("votes", filter=Q(votes__value=-1)),
            n_pass=Count("votes", filter=Q(votes__value=0)),
        )
    return render(
        request,
        "opinions/activity.html",
        {
            "activity": activity,
            "dialogue": activity.dialogue,
            "refusal": refusal,
            "current": current,
            "done": done,
            "total": total,
            "vote_form": vote_form,
            "form": statement_form
            or forms.StatementForm(initial={"submission_key": forms.new_submission_key()}),
            "error": error,
            "my_pending": my_pending,
            "summary": summary,
            "can_moderate": request.user.has_perm("opinions.moderate_statements", activity),
            "can_view_map": request.user.has_perm("opinions.view_opinion_map", activity),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    return _page(request, _activity(activity_id))


@require_POST
def vote(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    form = forms.VoteForm(request.POST)
    if not form.is_valid():
        return _page(request, act, vote_form=form, status=400)
    statement = Statement.objects.filter(activity=act, pk=form.cleaned_data["statement"]).first()
    if statement is None:
        return _page(request, act, error=_("Påståendet finns inte."), status=400)
    try:
        opt_in = feedback_optin.read(request)
        actions.cast_vote(
            statement=statement,
            user=request.user,
            participant_key=participant_key(request, act),
            school=school_session_for(request, act),
            value=form.cleaned_data["vote"],
        )
        feedback_optin.keep(opt_in, activity=act, request=request)
    except DomainError as exc:
        return _page(
            request, act, error=exc.message, status=403 if exc.code in REFUSAL_CODES else 400
        )
    return redirect("opinions:activity", activity_id=act.pk)


@require_POST
def add_statement(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    form = forms.StatementForm(request.POST)
    if not form.is_valid():
        return _page(request, act, statement_form=form, status=400)
    try:
        opt_in = feedback_optin.read(request)
        actions.submit_statement(
            activity=act,
            user=request.user,
            participant_key=participant_key(request, act),
            school=school_session_for(request, act),
            text=form.cleaned_data["text"],
            submission_key=form.cleaned_data.get("submission_key") or "",
        )
        feedback_optin.keep(opt_in, activity=act, request=request)
    except DomainError as exc:
        form.add_error("text", exc.message)
        return _page(
            request,
            act,
            statement_form=form,
            status=403 if exc.code in REFUSAL_CODES else 400,
        )
    messages.success(request, _("Tack! Ditt påstående visas när det har granskats."))
    return redirect("opinions:activity", activity_id=act.pk)


def _require(request: HttpRequest, perm: str, act: Activity) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, act):
        raise PermissionDenied
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def moderate(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    denied = _require(request, "opinions.moderate_statements", act)
    if denied:
        return denied
    status = 200
    bound: forms.ModerationForm | None = None
    seed_form = forms.SeedStatementForm()
    if request.method == "POST":
        if "text" in request.POST:
            seed_form = forms.SeedStatementForm(request.POST)
            if seed_form.is_valid():
                actions.add_seed_statement(
                    activity=act, actor=request.user, text=seed_form.cleaned_data["text"]
                )
                messages.success(request, _("Påståendet är publicerat."))
                return redirect("opinions:moderate", activity_id=act.pk)
            status = 400
        else:
            bound = forms.ModerationForm(request.POST, prefix=f"p{request.POST.get('pk', '')}")
            statement = Statement.objects.filter(
                activity=act,
                pk=request.POST.get("pk"),  # type: ignore[misc]  # a missing pk matches nothing
            ).first()
            if statement is None:
                status = 400
            elif bound.is_valid():
                try:
                    actions.moderate_statement(
                        statement=statement,
                        actor=request.user,
                        decision=bound.cleaned_data["decision"],
                        reason=bound.cleaned_data["reason"],
                    )
                except DomainError as exc:
                    bound.add_error(None, exc.message)
                    status = 400
                else:
                    messages.success(request, _("Beslutet är sparat."))
                    return redirect("opinions:moderate", activity_id=act.pk)
            else:
                status = 400
    queue = []
    for statement in selectors.moderation_queue(act):
        prefix = f"p{statement.pk}"
        if bound is not None and bound.prefix == prefix:
            form = bound
        else:
            form = forms.ModerationForm(prefix=prefix)
        queue.append((statement, form))
    decided = Statement.objects.filter(activity=act).exclude(status=StatementStatus.PENDING)
    return render(
        request,
        "opinions/moderate.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "queue": queue,
            "decided": decided.order_by("-moderated_at", "-id")[:50],
            "seed_form": seed_form,
            "form": bound if bound is not None else seed_form,
        },
        status=status,
    )


def _marker(shape: str, x: float, y: float, r: float = 4.5) -> str:
    """An SVG path for a point marker; groups differ by shape, not only by colour."""
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}Z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}Z"
    if shape == "diamond":
        return (
            f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y:.1f}"
            f"L{x:.1f},{y + r + 1:.1f}L{x - r - 1:.1f},{y:.1f}Z"
        )
    w = r / 2.5
    return (
        f"M{x - w:.1f},{y - r:.1f}h{2 * w}v{r - w}h{r - w}v{2 * w}h{-(r - w)}v{r - w}"
        f"h{-2 * w}v{-(r - w)}h{-(r - w)}v{-2 * w}h{r - w}Z"
    )


def _svg(points: list[dict[str, Any]], size: int = 400, pad: int = 20) -> list[dict[str, Any]]:
    if not points:
        return []
    xs = [p["x"] for p in points]
    ys = [p["y"] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = (size - 2 * pad) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    out = []
    for p in points:
        g = p["group"] - 1
        sx = size / 2 + (p["x"] - cx) * scale
        sy = size / 2 - (p["y"] - cy) * scale
        shape = SHAPES[g % len(SHAPES)]
        out.append(
            {
                **p,
                "d": _marker(shape, sx, sy),
                "shape": shape,
                "fill": GROUP_FILLS[g % len(GROUP_FILLS)],
            }
        )
    return out


@require_http_methods(["GET", "HEAD"])
def opinion_map(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    denied = _require(request, "opinions.view_opinion_map", act)
    if denied:
        return denied
    form = forms.MapForm(request.GET or None)
    k = form.cleaned_data["k"] if form.is_bound and form.is_valid() else None
    result = selectors.activity_opinion_map(act, k=k)
    groups = result.groups
    for g in groups:
        g["shape"] = SHAPE_LABELS[SHAPES[(g["number"] - 1) % len(SHAPES)]]
        g["fill"] = GROUP_FILLS[(g["number"] - 1) % len(GROUP_FILLS)]
    return render(
        request,
        "opinions/map.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "map": result,
            "groups": groups,
            "consensus": result.consensus,
            "points": _svg(result.points),
            "form": form,
            "n_votes": StatementVote.objects.filter(statement__activity=act).count(),
            "n_unclustered": int((~result.result.clustered).sum()),
            "explained": [round(v * 100) for v in result.result.explained_variance],
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
