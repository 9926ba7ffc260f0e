"""Thin views: parse, authorise, call an action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delaktig.core.exceptions import DomainError
from delaktig.participation import eligibility, feedback_optin
from delaktig.participation.identity import participant_key, school_session_for
from delaktig.participation.models import Activity
from delaktig.participation.selectors import is_public, public_activity

from . import actions, forms, selectors
from .models import Idea, IdeaComment

METHODS = ("idea_workshop", "future_workshop", "e_proposal")


def viewer_key(request: HttpRequest, activity: Activity) -> str:
    """The viewer's participant key, without creating a session just to look."""
    if request.user.is_authenticated or request.session.session_key:
        return participant_key(request, activity)
    return ""


def _activity(activity_id: int) -> Activity:
    return public_activity(activity_id, METHODS)


def _page(
    request: HttpRequest, activity: Activity, form: Any = None, status: int = 200
) -> HttpResponse:
    order = request.GET.get("ordning", "nyast")
    key = viewer_key(request, activity)
    ideas = list(
        selectors.ideas_for(activity, viewer_key=key, user=request.user).sorted_by(
            "stod" if order == "stod" else "nyast"
        )
    )
    refusal = eligibility.refusal(request, activity, permission="ideas.participate")
    if form is None and refusal is None:
        form = forms.IdeaForm(initial={"submission_key": forms.new_submission_key()})
    return render(
        request,
        "ideas/activity.html",
        {
            "activity": activity,
            "dialogue": activity.dialogue,
            "ideas": ideas,
            "order": order,
            "form": form,
            "refusal": refusal,
            "is_proposal": activity.method == "e_proposal",
            "can_manage": request.user.has_perm("ideas.manage_activity", activity),
        },
        status=status,
    )


def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    if request.method != "POST":
        return _page(request, act)
    form = forms.IdeaForm(request.POST)
    if not form.is_valid():
        return _page(request, act, form=form, status=400)
    try:
        opt_in = feedback_optin.read(request)
        idea = actions.submit_idea(
            activity=act,
            user=request.user,
            participant_key=participant_key(request, act),
            school=school_session_for(request, act),
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            category=form.cleaned_data["category"],
            submission_key=form.cleaned_data["submission_key"] or None,
        )
        feedback_optin.keep(opt_in, activity=act, request=request)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _page(request, act, form=form, status=403)
    messages.success(request, _("Tack! Din idé är publicerad."))
    return redirect("ideas:idea", idea_id=idea.pk)


def _idea_page(
    request: HttpRequest,
    idea: Idea,
    comment_form: Any = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    act = idea.activity
    key = viewer_key(request, act)
    own = selectors.is_own(idea, viewer_key=key, user=request.user)
    can_manage = request.user.has_perm("ideas.manage_activity", act)
    if idea.is_hidden and not (own or can_manage):
        return render(request, "ideas/hidden.html", {"idea": idea, "activity": act}, status=404)
    refusal = eligibility.refusal(request, act, permission="ideas.participate")
    if comment_form is None and refusal is None:
        comment_form = forms.CommentForm(initial={"submission_key": forms.new_submission_key()})
    comments = [
        c
        for c in idea.comments.all()
        if not c.is_hidden or can_manage or selectors.is_own(c, viewer_key=key, user=request.user)
    ]
    supported = bool(key) and idea.supports.filter(participant_key=key).exists()
    school = school_session_for(request, act)
    support_counts = school is None and eligibility.counts_toward_threshold(request.user, act)
    threshold_level = eligibility.deciding_level(act.dialogue.municipality.profile)
    return render(
        request,
        "ideas/idea.html",
        {
            "idea": idea,
            "activity": act,
            "dialogue": act.dialogue,
            "comments": comments,
            "comment_form": comment_form,
            "refusal": refusal,
            "supported": supported,
            "support_counts": support_counts,
            "threshold_level": str(threshold_level.label)[:1].lower()
            + str(threshold_level.label)[1:],
            "own": own,
            "can_manage": can_manage,
            "error": error,
            "moderation_form": forms.ModerationForm() if can_manage else None,
            "answer_form": forms.AnswerForm(initial={"answer": idea.answer})
            if can_manage
            else None,
        },
        status=status,
    )


def _idea(idea_id: int) -> Idea:
    idea = get_object_or_404(
        Idea.objects.with_support_count().select_related("activity__dialogue__municipality"),
        pk=idea_id,
    )
    if not is_public(idea.activity.dialogue):
        raise Http404
    return idea


def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    return _idea_page(request, _idea(idea_id))


@require_POST
def support(request: HttpRequest, idea_id: int) -> HttpResponse:
    # No support count here: it is only shown when the page is rendered again below. The
    # idea is read alone; its activity and dialogue come from the public cache.
    idea = get_object_or_404(Idea, pk=idea_id)
    idea.activity = public_activity(idea.activity_id)
    try:
        opt_in = feedback_optin.read(request)
        actions.support_idea(
            idea=idea,
            user=request.user,
            participant_key=participant_key(request, idea.activity),
            school=school_session_for(request, idea.activity),
        )
        feedback_optin.keep(opt_in, activity=idea.activity, request=request)
    except DomainError as exc:
        status = 409 if exc.code == "duplicate" else 403
        return _idea_page(request, _idea(idea_id), status=status, error=exc.message)
    messages.success(request, _("Tack för ditt stöd!"))
    return redirect("ideas:idea", idea_id=idea.pk)


@require_POST
def comment(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(idea_id)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        return _idea_page(request, idea, comment_form=form, status=400)
    try:
        opt_in = feedback_optin.read(request)
        actions.comment_on_idea(
            idea=idea,
            user=request.user,
            participant_key=participant_key(request, idea.activity),
            school=school_session_for(request, idea.activity),
            text=form.cleaned_data["text"],
            submission_key=form.cleaned_data["submission_key"] or None,
        )
        feedback_optin.keep(opt_in, activity=idea.activity, request=request)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _idea_page(request, idea, comment_form=form, status=403)
    messages.success(request, _("Tack! Din kommentar är publicerad."))
    return redirect("ideas:idea", idea_id=idea.pk)


# --- Officials ---------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    if not request.user.has_perm("ideas.manage_activity", act):
        raise PermissionDenied
    form = forms.PaperIdeaForm(request.POST or None, initial={"channel": "paper"})
    status = 200
    if request.method == "POST":
        opt_in, refused = feedback_optin.read_into(request, form)
        if not refused:
            with transaction.atomic():
                idea = actions.enter_idea_on_paper(
                    activity=act,
                    official=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    category=form.cleaned_data["category"],
                    channel=form.cleaned_data["channel"],
                    author_name=form.cleaned_data["author_name"],
                )
                feedback_optin.keep(opt_in, activity=act, entered_by=request.user, given_with=idea)
            messages.success(request, _("Idén är registrerad."))
            return redirect("ideas:manage", activity_id=act.pk)
        status = 400
    ideas = Idea.objects.filter(activity=act).with_support_count().order_by("-created_at")
    hidden_comments = IdeaComment.objects.filter(idea__activity=act, status="hidden")
    return render(
        request,
        "ideas/manage.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "ideas": ideas,
            "hidden_comments": hidden_comments,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def moderate(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(idea_id)
    if not request.user.has_perm("ideas.manage_activity", idea.activity):
        raise PermissionDenied
    form = forms.ModerationForm(request.POST)
    if not form.is_valid():
        return _idea_page(request, idea, status=400, error=_("Välj åtgärd och skriv ett skäl."))
    actions.moderate_idea(
        idea=idea,
        official=request.user,
        hide=form.cleaned_data["action"] == "hide",
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Modereringen är sparad."))
    return redirect("ideas:idea", idea_id=idea.pk)


@login_required
@require_POST
def moderate_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment_obj = get_object_or_404(
        IdeaComment.objects.select_related("idea__activity__dialogue"), pk=comment_id
    )
    if not request.user.has_perm("ideas.manage_activity", comment_obj.idea.activity):
        raise PermissionDenied
    form = forms.ModerationForm(request.POST)
    if not form.is_valid():
        return _idea_page(
            request,
            _idea(comment_obj.idea_id),
            status=400,
            error=_("Välj åtgärd och skriv ett skäl."),
        )
    actions.moderate_comment(
        comment=comment_obj,
        official=request.user,
        hide=form.cleaned_data["action"] == "hide",
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Modereringen är sparad."))
    return redirect("ideas:idea", idea_id=comment_obj.idea_id)


@login_required
@require_POST
def answer(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = _idea(idea_id)
    if not request.user.has_perm("ideas.manage_activity", idea.activity):
        raise PermissionDenied
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        return _idea_page(request, idea, status=400, error=_("Skriv ett svar."))
    actions.answer_idea(idea=idea, official=request.user, answer=form.cleaned_data["answer"])
    messages.success(request, _("Svaret är publicerat."))
    return redirect("ideas:idea", idea_id=idea.pk)
