"""Thin views: parse, authorise, call an action, render."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from delaktig.core.exceptions import DomainError
from delaktig.participation import feedback_optin
from delaktig.participation.ideas.views import viewer_key
from delaktig.participation.identity import participant_key
from delaktig.participation.models import Activity
from delaktig.participation.selectors import public_activity

from . import actions, forms, selectors
from .models import Meeting, Registration, RegistrationStatus
from .rules import registration_refusal

METHODS = (
    "cafe",
    "open_space",
    "focus_group",
    "interview",
    "information_meeting",
    "open_meeting",
    "exhibition",
)


def _activity(activity_id: int) -> Activity:
    return public_activity(activity_id, METHODS)


def _meeting(activity: Activity) -> Meeting | None:
    try:
        return activity.meeting
    except Meeting.DoesNotExist:
        return None


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _page(request: HttpRequest, act: Activity, form: Any = None, status: int = 200) -> HttpResponse:
    meeting = _meeting(act)
    refusal = None
    # Asked in the rules set itself (a superuser's `has_perm` says yes to everything, and
    # whether registration is open is no privilege); the refusal is the reason, in Swedish.
    if meeting is not None and not rules.has_perm("meetings.register", request.user, act):
        refusal = registration_refusal(request.user, meeting)
    own = None
    if meeting is not None:
        key = viewer_key(request, act)
        if key:
            own = (
                meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
                .filter(participant_key=key)
                .first()
            )
    if meeting is not None and refusal is None and own is None and form is None:
        form = forms.RegistrationForm(
            initial={"name": request.user.public_name if request.user.is_authenticated else ""}
        )
    return render(
        request,
        "meetings/activity.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "meeting": meeting,
            "refusal": refusal,
            "form": form if own is None else None,
            "own": own,
            "notes": meeting.notes.all() if meeting else [],
            "can_manage": request.user.has_perm("meetings.manage_activity", act),
        },
        status=status,
    )


def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    meeting = _meeting(act)
    if request.method != "POST" or meeting is None:
        return _page(request, act)
    form = forms.RegistrationForm(request.POST)
    if not form.is_valid():
        return _page(request, act, form=form, status=400)
    try:
        registration = actions.register(
            meeting=meeting,
            user=request.user,
            participant_key=participant_key(request, act),
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            needs=form.cleaned_data["needs"],
            consent=form.cleaned_data["consent"],
            site_url=_site_url(request),
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _page(request, act, form=form, status=403)
    return redirect("meetings:registration", token=registration.token)


def registration(request: HttpRequest, token: str) -> HttpResponse:
    reg = get_object_or_404(
        Registration.objects.select_related("meeting__activity__dialogue"), token=token
    )
    if request.method == "POST":
        actions.cancel_registration(registration=reg, site_url=_site_url(request))
        messages.success(request, _("Din anmälan är avbokad."))
        return redirect("meetings:registration", token=token)
    return render(
        request,
        "meetings/registration.html",
        {
            "registration": reg,
            "meeting": reg.meeting,
            "activity": reg.meeting.activity,
            "dialogue": reg.meeting.activity.dialogue,
        },
    )


def ics(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    meeting = _meeting(act)
    if meeting is None:
        raise Http404
    body = selectors.ics_for(
        meeting, url=request.build_absolute_uri(act.get_absolute_url()), host=request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mote-{act.pk}.ics"'
    return response


# --- Officials ---------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, act: Activity) -> None:
    if not request.user.has_perm(perm, act):
        raise PermissionDenied


@login_required
def manage(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    _require(request, "meetings.manage_activity", act)
    meeting = _meeting(act)
    status = 200
    if meeting is not None:
        initial = {name: getattr(meeting, name) for name in actions.MEETING_FIELDS}
    else:
        initial = {"starts_at": act.opens_at, "ends_at": act.closes_at, "registration_open": True}
    form = forms.MeetingForm(request.POST or None, initial=initial)
    cancel_form = forms.CancelMeetingForm(auto_id="installt-%s")
    if request.method == "POST" and "cancel_meeting" in request.POST and meeting is not None:
        cancel_form = forms.CancelMeetingForm(request.POST, auto_id="installt-%s")
        form = forms.MeetingForm(initial=initial)
        if cancel_form.is_valid():
            actions.cancel_meeting(
                meeting=meeting, official=request.user, reason=cancel_form.cleaned_data["reason"]
            )
            messages.success(request, _("Mötet är inställt och de anmälda får ett mejl."))
            return redirect("meetings:manage", activity_id=act.pk)
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            try:
                actions.save_meeting(activity=act, official=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error("ends_at", exc.message)
                status = 400
            else:
                messages.success(request, _("Mötet är sparat."))
                return redirect("meetings:manage", activity_id=act.pk)
        else:
            status = 400
    # Names and needs of those registered are personal data, for those who run the meeting.
    registrations = (
        list(meeting.registrations.all())
        if meeting is not None and request.user.has_perm("meetings.view_registrations", act)
        else []
    )
    return render(
        request,
        "meetings/manage.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "meeting": meeting,
            "form": form,
            "cancel_form": cancel_form,
            "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        },
        status=status,
    )


@login_required
def document(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    _require(request, "meetings.document_meeting", act)
    meeting = _meeting(act)
    if meeting is None:
        messages.info(request, _("Ange först när och var mötet var."))
        return redirect("meetings:manage", activity_id=act.pk)
    channel = "interview" if act.method == "interview" else "meeting"
    form = forms.DocumentationForm(
        request.POST or None, initial={"channel": channel, "attendance": meeting.attendance}
    )
    status = 200
    not_held = "" if meeting.is_past else actions.not_held_yet(meeting)
    if request.method == "POST" and not_held:
        status = 400
    elif request.method == "POST":
        opt_in, refused = feedback_optin.read_into(request, form, several=True)
        if not refused:
            try:
                with transaction.atomic():
                    notes = actions.document_meeting(
                        meeting=meeting,
                        official=request.user,
                        points=form.cleaned_data["points"],
                        topic=form.cleaned_data["topic"],
                        channel=form.cleaned_data["channel"],
                        attendance=form.cleaned_data["attendance"],
                    )
                    feedback_optin.keep(
                        opt_in, activity=act, entered_by=request.user, given_with=meeting
                    )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                count = {"n": len(notes)}
                messages.success(request, _("%(n)s punkter är sparade som bidrag.") % count)
                return redirect(reverse("meetings:document", args=[act.pk]))
        status = 400
    return render(
        request,
        "meetings/document.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "meeting": meeting,
            "form": form,
            "notes": meeting.notes.select_related("entered_by"),
            "not_held": not_held,
        },
        status=status,
    )
