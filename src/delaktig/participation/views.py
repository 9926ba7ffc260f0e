from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from delaktig.core.exceptions import DomainError, NotAllowed
from delaktig.governance.models import Dialogue
from delaktig.participation import actions
from delaktig.participation.forms import ActivityForm
from delaktig.participation.models import METHOD_LADDER_STEP, InfluenceLevel, Method


@login_required
def add_activity(request: HttpRequest, dialogue_id: int) -> HttpResponse:
    dialogue = get_object_or_404(Dialogue, pk=dialogue_id)
    if not request.user.has_perm("governance.manage_dialogue", dialogue):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, dialogue=dialogue)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                activity = actions.create_activity(
                    actor=request.user, dialogue=dialogue, **form.cleaned_data
                )
            except NotAllowed as exc:
                raise PermissionDenied from exc
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Aktiviteten ”%(t)s” är tillagd.") % {"t": activity})
                return redirect("governance:manage", pk=dialogue.pk)
        status = 400
    ladder = [
        (
            InfluenceLevel(level).label,
            [Method(m).label for m, s in METHOD_LADDER_STEP.items() if s == level],
        )
        for level in InfluenceLevel.values
    ]
    return render(
        request,
        "participation/add_activity.html",
        {"dialogue": dialogue, "form": form, "ladder": ladder},
        status=status,
    )
