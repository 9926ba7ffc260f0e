"""Thin views for votes: parse, authorise, call an action, render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from delaktig.core.exceptions import DomainError
from delaktig.core.parsing import parse_int
from delaktig.participation import eligibility
from delaktig.participation.identity import participant_key
from delaktig.participation.models import Activity, Method
from delaktig.participation.selectors import public_activity

from . import actions, selectors
from .models import Vote, VoteBallot, VoteType

if TYPE_CHECKING:
    pass


def _vote(activity_id: int) -> tuple[Activity, Vote | None]:
    act = public_activity(activity_id, Method.VOTE)
    return act, selectors.public_vote(act)


def _parse(vote: Vote, request: HttpRequest) -> list[int]:
    """Single/approval: `alternativ` values; ranked: `rang-<pk>` numbers 1, 2, 3 …"""
    if vote.vote_type != VoteType.RANKED:
        raw = request.POST.getlist("alternativ")
        chosen = [parse_int(v) for v in raw]
        if None in chosen:
            raise DomainError(_("Ett valt alternativ finns inte i omröstningen."))
        return [pk for pk in chosen if pk is not None]
    ranked = []
    for option in vote.options.all():
        value = request.POST.get(f"rang-{option.pk}", "").strip()
        if value:
            rank = parse_int(value)
            if rank is None:
                raise DomainError(_("Skriv platsen som en siffra."))
            ranked.append((rank, option.pk))
    ranks = sorted(r for r, _pk in ranked)
    if ranks != list(range(1, len(ranks) + 1)):
        raise DomainError(_("Numrera alternativen 1, 2, 3 … utan luckor och utan dubbletter."))
    return [pk for _r, pk in sorted(ranked)]


def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    act, vote = _vote(activity_id)
    refusal = eligibility.refusal(request, act, permission="votes.cast")
    # Verified enough to vote, even when voting is closed now (the page says which).
    verified = refusal is None or refusal.code != "identity"
    key = participant_key(request, act) if vote and verified else ""
    error = ""
    status = 200
    if request.method == "POST" and vote is not None:
        try:
            choices = _parse(vote, request)
            actions.cast_vote(
                vote=vote,
                user=request.user,
                participant_key=key or "anonymous",
                choices=choices,
            )
        except DomainError as exc:
            error = exc.message
            status = {
                "duplicate": 409,
                "identity": 403,
                "closed": 403,
                "residency": 403,
                "age": 403,
            }.get(exc.code, 400)
        else:
            messages.success(request, _("Tack! Din röst är registrerad."))
            return redirect("votes:activity", activity_id=act.pk)
    voted = bool(key) and VoteBallot.objects.filter(vote=vote, participant_key=key).exists()
    return render(
        request,
        "votes/activity.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "vote": vote,
            "options": list(vote.options.all()) if vote else [],
            "refusal": refusal,
            "verified": verified,
            "voted": voted,
            "error": error,
            "posted": request.POST if request.method == "POST" else {},
            "rank_range": range(1, (len(vote.options.all()) if vote else 0) + 1),
        },
        status=status,
    )


def result(request: HttpRequest, activity_id: int) -> HttpResponse:
    act, vote = _vote(activity_id)
    return render(
        request,
        "votes/result.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "vote": vote,
            "result": selectors.result(vote) if vote else None,
        },
    )
