"""Writes for opinion statements. Every statement and every vote is also a Contribution."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.parsing import parse_int
from delaktig.core.permissions import require
from delaktig.participation import eligibility
from delaktig.participation.actions import record_contribution
from delaktig.participation.models import (
    Activity,
    Channel,
    Contribution,
    ContributionKind,
    ContributionStatus,
)
from delaktig.participation.opinions.models import (
    STATEMENT_MAX_LENGTH,
    Statement,
    StatementStatus,
    StatementVote,
    VoteValue,
)

_CONTRIBUTION_STATUS = {
    StatementStatus.PENDING: ContributionStatus.PENDING,
    StatementStatus.PUBLISHED: ContributionStatus.PUBLISHED,
    StatementStatus.HIDDEN: ContributionStatus.HIDDEN,
}


def _check_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DomainError(_("Skriv ett påstående."), code="empty")
    if len(text) > STATEMENT_MAX_LENGTH:
        raise DomainError(
            _("Påståendet får vara högst %(max)s tecken.") % {"max": STATEMENT_MAX_LENGTH},
            code="too_long",
        )
    return text


@transaction.atomic
def submit_statement(
    *,
    activity: Activity,
    user: Any,
    participant_key: str,
    text: str,
    submission_key: str = "",
    school: dict[str, Any] | None = None,
) -> Statement:
    """A resident adds a statement; it waits for moderation before others see it."""
    eligibility.check(user, activity, school=school)
    text = _check_text(text)
    if submission_key:
        existing = Statement.objects.filter(
            activity=activity, submission_key=submission_key
        ).first()
        if existing is not None:
            return existing
    author = user if getattr(user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                activity=activity,
                text=text,
                author=author,
                participant_key=participant_key,
                status=StatementStatus.PENDING,
                submission_key=submission_key,
            )
    except IntegrityError:
        return Statement.objects.get(activity=activity, submission_key=submission_key)
    statement.contribution = record_contribution(
        activity=activity,
        kind=ContributionKind.STATEMENT,
        text=text,
        author=author,
        participant_key=participant_key,
        source=statement,
        status=ContributionStatus.PENDING,
    )
    statement.save(update_fields=["contribution"])
    return statement


@transaction.atomic
def add_seed_statement(*, activity: Activity, actor: Any, text: str) -> Statement:
    """The dialogue team adds a statement; it is published at once and audited."""
    require(actor, "opinions.add_seed_statement", activity)
    text = _check_text(text)
    statement = Statement.objects.create(
        activity=activity,
        text=text,
        author=actor,
        is_seed=True,
        status=StatementStatus.PUBLISHED,
        moderated_by=actor,
        moderated_at=timezone.now(),
    )
    statement.contribution = record_contribution(
        activity=activity,
        kind=ContributionKind.STATEMENT,
        text=text,
        author=actor,
        source=statement,
        data={"seed": True},
    )
    statement.save(update_fields=["contribution"])
    record_audit(actor=actor, action="opinions.statement_added", obj=statement, summary=text[:200])
    return statement


@transaction.atomic
def moderate_statement(
    *, statement: Statement, actor: Any, decision: str, reason: str = ""
) -> Statement:
    """Approve or hide a statement. Hiding needs a reason; both are audited."""
    activity = statement.activity
    require(actor, "opinions.moderate_statements", activity)
    reason = (reason or "").strip()
    if decision == "approve":
        status = StatementStatus.PUBLISHED
    elif decision == "hide":
        status = StatementStatus.HIDDEN
        if not reason:
            raise DomainError(_("Ange ett skäl till att påståendet döljs."), code="reason")
    else:
        raise DomainError(_("Okänt beslut."), code="decision")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    statement.status = status
    statement.moderation_reason = reason
    statement.moderated_by = actor
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
    if statement.contribution_id:
        Contribution.objects.filter(pk=statement.contribution_id).update(
            status=_CONTRIBUTION_STATUS[status], moderation_reason=reason
        )
    record_audit(
        actor=actor,
        action=f"opinions.statement_{'approved' if decision == 'approve' else 'hidden'}",
        obj=statement,
        summary=reason or statement.text[:200],
        data={"status": status, "reason": reason},
    )
    return statement


@transaction.atomic
def cast_vote(
    *,
    statement: Statement,
    user: Any,
    participant_key: str,
    value: int,
    school: dict[str, Any] | None = None,
) -> StatementVote:
    """Agree (1), disagree (-1) or pass (0). One vote per participant; the latest wins."""
    activity = statement.activity
    eligibility.check(user, activity, school=school)
    if statement.status != StatementStatus.PUBLISHED:
        raise DomainError(_("Det går inte att ta ställning till det här påståendet."))
    parsed = parse_int(value, signed=True)
    if parsed is None or parsed not in VoteValue.values:
        raise DomainError(_("Välj håller med, håller inte med eller avstår."), code="value")
    if not participant_key:
        raise DomainError(_("Deltagaren kunde inte identifieras."), code="key")
    return _upsert_vote(
        statement=statement,
        participant_key=participant_key,
        value=parsed,
        author=user,
    )


def _upsert_vote(
    *,
    statement: Statement,
    participant_key: str,
    value: int,
    author: Any = None,
    channel: str = Channel.DIGITAL,
    entered_by: Any = None,
    at: Any = None,
) -> StatementVote:
    now = at or timezone.now()
    vote = (
        StatementVote.objects.select_for_update()
        .filter(statement=statement, participant_key=participant_key)
        .first()
    )
    if vote is None:
        try:
            with transaction.atomic():
                vote = StatementVote.objects.create(
                    statement=statement,
                    participant_key=participant_key,
                    value=value,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            # A parallel request created it first: update that one instead.
            vote = StatementVote.objects.select_for_update().get(
                statement=statement, participant_key=participant_key
            )
        else:
            vote.contribution = record_contribution(
                activity=statement.activity,
                kind=ContributionKind.STATEMENT_VOTE,
                text=statement.text,
                data={"statement": statement.pk, "vote": value},
                author=author,
                participant_key=participant_key,
                channel=channel,
                entered_by=entered_by,
                source=vote,
            )
            vote.save(update_fields=["contribution"])
            return vote
    vote.value = value
    vote.updated_at = now
    vote.save(update_fields=["value", "updated_at"])
    if vote.contribution_id:
        Contribution.objects.filter(pk=vote.contribution_id).update(
            data={"statement": statement.pk, "vote": value}
        )
    return vote


@transaction.atomic
def import_polis_export(*, activity: Activity, directory: Any, actor: Any = None) -> dict[str, int]:
    """Load a Polis export folder (comments.csv, votes.csv) into an activity.

    Polis's moderation carries over (1 published, 0 waiting, -1 hidden); each voter's latest
    vote becomes a StatementVote and a Contribution, keyed "polis:<voter-id>". Running it
    again adds nothing twice.
    """
    import datetime

    from delaktig.participation.opinions.opinion_map import latest_votes, read_polis_export

    export = read_polis_export(directory)
    status_of = {
        1: StatementStatus.PUBLISHED,
        0: StatementStatus.PENDING,
        -1: StatementStatus.HIDDEN,
    }
    existing = {
        s.external_id: s
        for s in Statement.objects.filter(activity=activity, external_id__startswith="polis:")
    }
    by_id: dict[str, Statement] = {}
    created_statements = 0

    def when(ms: float) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.UTC)

    statement: Statement | None
    for sid, row in sorted(export.statements.items(), key=lambda kv: int(kv[0])):
        external_id = f"polis:{sid}"
        if external_id in existing:
            by_id[sid] = existing[external_id]
            continue
        status = status_of.get(row["moderated"], StatementStatus.PENDING)
        text = " ".join(row["text"].split())[:STATEMENT_MAX_LENGTH] or "–"
        statement = Statement.objects.create(
            activity=activity,
            text=text,
            participant_key=f"polis:{row['author']}",
            status=status,
            moderation_reason=_("Modererat i Polis") if status == StatementStatus.HIDDEN else "",
            external_id=external_id,
            created_at=when(row["timestamp"]),
        )
        statement.contribution = record_contribution(
            activity=activity,
            kind=ContributionKind.STATEMENT,
            text=text,
            participant_key=statement.participant_key,
            source=statement,
            status=_CONTRIBUTION_STATUS[status],
            data={"imported_from": "polis", "polis_id": sid},
            channel=Channel.IMPORT,
        )
        statement.save(update_fields=["contribution"])
        by_id[sid] = statement
        created_statements += 1
    stamps = {(str(p), str(s)): t for p, s, _v, t in export.votes}
    created_votes = 0
    already = set(
        StatementVote.objects.filter(statement__activity=activity).values_list(
            "statement_id", "participant_key"
        )
    )
    for (pid, sid), value in latest_votes(export.votes).items():
        statement = by_id.get(sid)
        if statement is None:
            continue
        key = f"polis:{pid}"
        if (statement.pk, key) in already:
            continue
        _upsert_vote(
            statement=statement, participant_key=key, value=value, at=when(stamps[(pid, sid)])
        )
        created_votes += 1
    if actor is not None:
        record_audit(
            actor=actor,
            action="opinions.polis_imported",
            obj=activity,
            summary=f"{created_statements} påståenden, {created_votes} ställningstaganden",
        )
    return {"statements": created_statements, "votes": created_votes}
