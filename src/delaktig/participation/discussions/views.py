"""Thin views: parse, authorise, call an action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from delaktig.core.exceptions import DomainError
from delaktig.core.parsing import parse_int
from delaktig.participation import eligibility, feedback_optin
from delaktig.participation.ideas.views import viewer_key
from delaktig.participation.identity import participant_key, school_session_for
from delaktig.participation.models import Activity
from delaktig.participation.selectors import is_public, public_activity

from . import actions, forms, selectors
from .models import Comment, Section

METHODS = ("discussion", "text_review")


def _activity(activity_id: int) -> Activity:
    return public_activity(activity_id, METHODS)


def _comment_form(prefix: str, section: int | None = None, data: Any = None) -> forms.CommentForm:
    if data is not None:
        return forms.CommentForm(data, auto_id=f"{prefix}-%s")
    return forms.CommentForm(
        auto_id=f"{prefix}-%s",
        initial={"section": section, "submission_key": forms.new_submission_key()},
    )


def _page(
    request: HttpRequest,
    activity: Activity,
    *,
    bound: forms.CommentForm | None = None,
    bound_section: int | None = None,
    status: int = 200,
) -> HttpResponse:
    discussion = selectors.discussion_for(activity)
    key = viewer_key(request, activity)
    general, sections = selectors.threads_for(discussion, viewer_key=key, user=request.user)
    refusal = eligibility.refusal(request, activity, permission="discussions.participate")
    general_form = None
    if refusal is None:
        general_form = bound if bound is not None and bound_section is None else _comment_form("k")
        for s in sections:
            if bound is not None and bound_section == s.number:
                s.form = bound  # type: ignore[attr-defined]
            else:
                s.form = _comment_form(f"avsnitt-{s.number}", s.number)  # type: ignore[attr-defined]
    return render(
        request,
        "discussions/activity.html",
        {
            "activity": activity,
            "dialogue": activity.dialogue,
            "discussion": discussion,
            "general": general,
            "sections": sections,
            "form": general_form,
            "bound": bound,
            "refusal": refusal,
            "can_manage": request.user.has_perm("discussions.manage_activity", activity),
        },
        status=status,
    )


def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    if request.method != "POST":
        return _page(request, act)
    # The section number names the form's element ids: only a parsed number may do that.
    section_int = parse_int(request.POST.get("section"))
    prefix = f"avsnitt-{section_int}" if section_int is not None else "k"
    form = _comment_form(prefix, data=request.POST)
    if not form.is_valid():
        return _page(request, act, bound=form, bound_section=section_int, status=400)
    discussion = selectors.discussion_for(act)
    section = None
    if form.cleaned_data["section"]:
        section = get_object_or_404(
            Section, discussion=discussion, number=form.cleaned_data["section"]
        )
    try:
        opt_in = feedback_optin.read(request)
        comment = actions.post_comment(
            discussion=discussion,
            user=request.user,
            participant_key=participant_key(request, act),
            school=school_session_for(request, act),
            text=form.cleaned_data["text"],
            section=section,
            submission_key=form.cleaned_data["submission_key"] or None,
        )
        feedback_optin.keep(opt_in, activity=act, request=request)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _page(request, act, bound=form, bound_section=section_int, status=403)
    messages.success(request, _("Tack! Din kommentar är publicerad."))
    return redirect(f"{reverse('discussions:activity', args=[act.pk])}#kommentar-{comment.pk}")


def _comment(comment_id: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related(
            "discussion__activity__dialogue__municipality", "section", "parent"
        ),
        pk=comment_id,
    )
    if not is_public(comment.discussion.activity.dialogue):
        raise Http404
    return comment


def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    parent = _comment(comment_id)
    act = parent.discussion.activity
    if parent.is_hidden:
        return redirect("discussions:activity", activity_id=act.pk)
    refusal = eligibility.refusal(request, act, permission="discussions.participate")
    status = 200
    if request.method == "POST":
        form = forms.CommentForm(request.POST)
        if form.is_valid():
            try:
                opt_in = feedback_optin.read(request)
                comment = actions.post_comment(
                    discussion=parent.discussion,
                    user=request.user,
                    participant_key=participant_key(request, act),
                    school=school_session_for(request, act),
                    text=form.cleaned_data["text"],
                    parent=parent,
                    submission_key=form.cleaned_data["submission_key"] or None,
                )
                feedback_optin.keep(opt_in, activity=act, request=request)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 403
            else:
                messages.success(request, _("Tack! Ditt svar är publicerat."))
                url = reverse("discussions:activity", args=[act.pk])
                return redirect(f"{url}#kommentar-{comment.pk}")
        else:
            status = 400
    else:
        form = forms.CommentForm(initial={"submission_key": forms.new_submission_key()})
    return render(
        request,
        "discussions/reply.html",
        {
            "parent": parent,
            "activity": act,
            "dialogue": act.dialogue,
            "form": form if refusal is None or status != 200 else None,
            "refusal": refusal,
        },
        status=status,
    )


def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    act = comment.discussion.activity
    if not request.user.has_perm("discussions.report_comment", act):
        raise PermissionDenied
    status = 200
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.report_comment(
                    comment=comment,
                    user=request.user,
                    participant_key=participant_key(request, act),
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request, _("Tack! En moderator tittar på kommentaren så snart som möjligt.")
                )
                return redirect("discussions:activity", activity_id=act.pk)
        else:
            status = 400
    return render(
        request,
        "discussions/report.html",
        {"comment": comment, "activity": act, "dialogue": act.dialogue, "form": form},
        status=status,
    )


# --- Officials ---------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    if not request.user.has_perm("discussions.manage_activity", act):
        raise PermissionDenied
    discussion = selectors.discussion_for(act)
    form = forms.SetUpForm(
        request.POST or None,
        initial={"question": discussion.question, "document_title": discussion.document_title},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.set_up_discussion(activity=act, official=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("Samtalet är sparat."))
                return redirect("discussions:manage", activity_id=act.pk)
        else:
            status = 400
    return render(
        request,
        "discussions/manage.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "discussion": discussion,
            "sections": discussion.sections.all(),
            "form": form,
            "queue": _queue_items(request.user, Comment.objects.filter(discussion=discussion)),
        },
        status=status,
    )


def _queue_items(user: Any, qs: Any) -> list[Comment]:
    items = []
    comments = (
        qs.filter(reports__resolved_at__isnull=True)
        .distinct()
        .select_related("discussion__activity__dialogue", "section")
        .prefetch_related("reports")
    )
    hidden = (
        qs.filter(status="hidden")
        .select_related("discussion__activity__dialogue", "section")
        .prefetch_related("reports")
    )
    seen: set[int] = set()
    for c in [*comments, *hidden]:
        if c.pk in seen or not user.has_perm("discussions.manage_activity", c.discussion.activity):
            continue
        seen.add(c.pk)
        c.open_reports = [r for r in c.reports.all() if r.resolved_at is None]  # type: ignore[attr-defined]
        c.form = forms.ModerationForm(  # type: ignore[attr-defined]
            auto_id=f"mod-{c.pk}-%s", initial={"action": "restore" if c.is_hidden else "hide"}
        )
        items.append(c)
    return items


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("discussions.view_moderation_queue"):
        raise PermissionDenied
    items = _queue_items(request.user, Comment.objects.all())
    return render(request, "discussions/queue.html", {"items": items})


@login_required
def moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    if not request.user.has_perm("discussions.manage_activity", comment.discussion.activity):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("discussions:queue")
    form = forms.ModerationForm(request.POST, auto_id=f"mod-{comment.pk}-%s")
    if not form.is_valid():
        comment.open_reports = list(comment.reports.filter(resolved_at__isnull=True))  # type: ignore[attr-defined]
        comment.form = form  # type: ignore[attr-defined]
        return render(request, "discussions/queue.html", {"items": [comment]}, status=400)
    actions.moderate_comment(
        comment=comment,
        official=request.user,
        hide=form.cleaned_data["action"] == "hide",
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Modereringen är sparad."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("discussions:queue")
    return redirect(target)
