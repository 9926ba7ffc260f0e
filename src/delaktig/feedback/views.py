"""Thin views: parse, authorise, call an action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from delaktig.core.exceptions import DomainError, NotAllowed
from delaktig.feedback import actions, forms, selectors
from delaktig.feedback.models import FeedbackContact, FeedbackDelivery, Follower, ProposalHandling
from delaktig.governance.models import Dialogue
from delaktig.governance.selectors import public_dialogues
from delaktig.governance.states import Feature, allows

# --- Back office ---------------------------------------------------------------------------


def _managed(request: HttpRequest, pk: int) -> Dialogue:
    dialogue = get_object_or_404(
        Dialogue.objects.select_related("municipality__profile", "owner_body"), pk=pk
    )
    if not request.user.has_perm("feedback.manage_feedback", dialogue):
        raise PermissionDenied
    return dialogue


def _manage_context(dialogue: Dialogue, **bound: Any) -> dict[str, Any]:
    feedback = selectors.feedback_of(dialogue)
    handlings = selectors.handlings(dialogue)
    return {
        "dialogue": dialogue,
        "feedback": feedback,
        "deadline": selectors.deadline_state(dialogue),
        "blockers": actions.feedback_blockers(dialogue),
        "writable": allows(dialogue, Feature.FEEDBACK_WRITABLE),
        "handling_writable": allows(dialogue, Feature.HANDLING_WRITABLE),
        "deliveries": feedback.deliveries.all() if feedback else [],
        "sent": feedback.deliveries.filter(sent_at__isnull=False).count() if feedback else 0,
        "reach": selectors.feedback_reach(dialogue) if feedback and feedback.is_published else None,
        "reports": feedback.reports.select_related("body") if feedback else [],
        "handlings": handlings,
        "feedback_form": bound.get("feedback_form")
        or forms.FeedbackForm(
            initial={
                "results_summary": feedback.results_summary,
                "participation_effect": feedback.participation_effect,
                "next_steps": feedback.next_steps,
            }
            if feedback
            else None
        ),
        "report_form": bound.get("report_form") or forms.ReportForm(dialogue=dialogue),
        "handling_form": bound.get("handling_form") or forms.HandlingForm(dialogue=dialogue),
        "implementation_forms": {
            h.pk: (
                bound.get("implementation_form")
                if bound.get("implementation_pk") == h.pk
                else forms.ImplementationForm(
                    prefix=f"h{h.pk}",
                    initial={
                        "implementation_status": h.implementation_status,
                        "implementation_date": h.implementation_date,
                        "implementation_note": h.implementation_note,
                    },
                )
            )
            for h in handlings
        },
        "error_missing": bound.get("error_missing"),
    }


def _render_manage(
    request: HttpRequest, dialogue: Dialogue, status: int = 200, **bound: Any
) -> HttpResponse:
    context = _manage_context(dialogue, **bound)
    context["handling_rows"] = [
        (h, context["implementation_forms"][h.pk]) for h in context["handlings"]
    ]
    return render(request, "feedback/manage.html", context, status=status)


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_manage(request, _managed(request, pk))


def _refused(request: HttpRequest, dialogue: Dialogue, error: DomainError, **bound: Any) -> Any:
    messages.error(request, error.message)
    return _render_manage(request, dialogue, status=400, error_missing=error.missing, **bound)


def _invalid(request: HttpRequest, dialogue: Dialogue, **bound: Any) -> HttpResponse:
    messages.error(request, _("Formuläret innehåller fel. Se markeringarna nedan."))
    return _render_manage(request, dialogue, status=400, **bound)


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid():
        return _invalid(request, dialogue, feedback_form=form)
    try:
        actions.save_feedback(actor=request.user, dialogue=dialogue, **form.cleaned_data)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as error:
        return _refused(request, dialogue, error, feedback_form=form)
    messages.success(request, _("Återkopplingen är sparad."))
    return redirect("feedback:manage", pk=pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    try:
        actions.publish_feedback(actor=request.user, dialogue=dialogue)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as error:
        return _refused(request, dialogue, error)
    reach = selectors.feedback_reach(dialogue)
    messages.success(
        request,
        _(
            "Återkopplingen är publicerad. Den når %(reached)s av %(participants)s deltagare "
            "direkt; %(pending)s mejl väntar på att skickas."
        )
        % {"reached": reach.reached, "participants": reach.participants, "pending": reach.pending},
    )
    return redirect("feedback:manage", pk=pk)


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    form = forms.ReportForm(request.POST, dialogue=dialogue)
    if not form.is_valid():
        return _invalid(request, dialogue, report_form=form)
    try:
        actions.report_to_body(actor=request.user, dialogue=dialogue, **form.cleaned_data)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as error:
        return _refused(request, dialogue, error, report_form=form)
    messages.success(request, _("Rapporteringen till nämnden är registrerad."))
    return redirect("feedback:manage", pk=pk)


@login_required
@require_POST
def handling(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    form = forms.HandlingForm(request.POST, dialogue=dialogue)
    if not form.is_valid():
        return _invalid(request, dialogue, handling_form=form)
    try:
        actions.record_handling(actor=request.user, dialogue=dialogue, **form.cleaned_data)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as error:
        return _refused(request, dialogue, error, handling_form=form)
    messages.success(request, _("Hanteringen av förslaget är sparad."))
    return redirect("feedback:manage", pk=pk)


@login_required
@require_POST
def implementation(request: HttpRequest, pk: int, handling_pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    item = get_object_or_404(ProposalHandling, pk=handling_pk, dialogue=dialogue)
    form = forms.ImplementationForm(request.POST, prefix=f"h{item.pk}")
    if not form.is_valid():
        return _invalid(request, dialogue, implementation_form=form, implementation_pk=item.pk)
    try:
        actions.update_implementation(actor=request.user, handling=item, **form.cleaned_data)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as error:
        return _refused(
            request, dialogue, error, implementation_form=form, implementation_pk=item.pk
        )
    messages.success(request, _("Genomförandet är uppdaterat."))
    return redirect("feedback:manage", pk=pk)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Warn before the feedback date and escalate after it, for the whole municipality."""
    if not request.user.has_perm("feedback.view_overview"):
        raise PermissionDenied
    municipality = request.municipality  # type: ignore[attr-defined]
    if not municipality:
        raise PermissionDenied
    watch = selectors.feedback_watchlist(municipality)
    return render(
        request,
        "feedback/overview.html",
        {**watch, "warning_days": municipality.profile.feedback_warning_days},
    )


# --- Public --------------------------------------------------------------------------------


def _public(slug: str) -> Dialogue:
    return get_object_or_404(public_dialogues(), slug=slug)


def accountability(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = get_object_or_404(public_dialogues().prefetch_related("decisions__body"), slug=slug)
    return render(
        request,
        "feedback/accountability.html",
        {
            "dialogue": dialogue,
            "follow_form": forms.FollowForm(),
            "final_decisions": [d for d in dialogue.decisions.all() if d.gate == "final"],
        },
    )


def follow(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _public(slug)
    if request.method != "POST":
        return redirect("feedback:accountability", slug=slug)
    form = forms.FollowForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "feedback/accountability.html",
            {"dialogue": dialogue, "follow_form": form, "final_decisions": []},
            status=400,
        )
    try:
        actions.follow_dialogue(
            dialogue=dialogue,
            email=form.cleaned_data["email"],
            language=translation.get_language() or "sv",
        )
    except DomainError as error:
        form.add_error("email", error.message)
        return render(
            request,
            "feedback/accountability.html",
            {"dialogue": dialogue, "follow_form": form, "final_decisions": []},
            status=400,
        )
    # The same answer whether or not the address already follows: nothing leaks.
    return render(request, "feedback/follow_sent.html", {"dialogue": dialogue})


def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    follower = get_object_or_404(Follower.objects.select_related("dialogue"), token=token)
    if request.method == "POST":
        try:
            actions.confirm_follow(token=token)
        except DomainError as error:
            return render(
                request,
                "feedback/follow_token.html",
                {"follower": follower, "mode": "confirm", "error": error.message},
                status=400,
            )
        return render(
            request, "feedback/follow_done.html", {"follower": follower, "mode": "confirm"}
        )
    return render(request, "feedback/follow_token.html", {"follower": follower, "mode": "confirm"})


# One-click unsubscribe (RFC 8058) from the follow mails' headers, as `stop_mail` below.
@csrf_exempt
def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    follower = get_object_or_404(Follower.objects.select_related("dialogue"), token=token)
    if request.method == "POST":
        actions.unfollow(token=token)
        return render(
            request, "feedback/follow_done.html", {"follower": follower, "mode": "unfollow"}
        )
    return render(request, "feedback/follow_token.html", {"follower": follower, "mode": "unfollow"})


# RFC 8058 one-click unsubscribe: the mail client POSTs without a CSRF token; the secret
# token in the link is what authorises the request, and it can only stop mail.
@csrf_exempt
def stop_mail(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of every feedback e-mail: confirm with POST, no account needed."""
    known = (
        FeedbackDelivery.objects.filter(token=token).exists()
        or FeedbackContact.objects.filter(token=token).exists()
    )
    if not known:
        return render(request, "feedback/stop_mail.html", {"invalid": True}, status=404)
    if request.method == "POST":
        dialogue = actions.stop_feedback_mail(token=token)
        return render(request, "feedback/stop_mail.html", {"done": True, "dialogue": dialogue})
    return render(request, "feedback/stop_mail.html", {"token": token})


@login_required
@require_POST
def withdraw_opt_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a "Mejla mig när återkopplingen kommer", before or after the first mail."""
    try:
        dialogue = actions.withdraw_opt_in(user=request.user, contact_id=pk)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("accounts:me") + "#aterkoppling-mejl")
    messages.success(
        request,
        _("Vi mejlar inte återkopplingen från ”%(title)s” till dig.") % {"title": dialogue.title},
    )
    return redirect(reverse("accounts:me") + "#aterkoppling-mejl")


@login_required
@require_POST
def account_mail(request: HttpRequest, pk: int) -> HttpResponse:
    """Whether this dialogue's feedback is mailed to the account, said before it comes."""
    mailed = request.POST.get("mailed") == "1"
    try:
        dialogue = actions.set_account_feedback_mail(
            user=request.user, dialogue_id=pk, mailed=mailed
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("accounts:me") + "#aterkoppling-konto")
    if mailed:
        done = _("Vi mejlar återkopplingen från ”%(title)s” till dig när den kommer.")
    else:
        done = _("Vi mejlar inte återkopplingen från ”%(title)s”. Du ser den här på din sida.")
    messages.success(request, done % {"title": dialogue.title})
    return redirect(reverse("accounts:me") + "#aterkoppling-konto")
