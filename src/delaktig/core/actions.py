"""Writes shared by every app: the audit record."""

from __future__ import annotations

from typing import Any

from django.db import models

from delaktig.core.models import AuditEvent, MailStop


def record_audit(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row to the audit log. Call inside the action's transaction."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.get_full_name() or actor.get_username()) if is_user else "system",
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        data=data or {},
    )


def stop_mail(*, address_digest: str, stream: str) -> MailStop:
    """No more mail of `stream` to the address with this digest. Idempotent."""
    stop, _created = MailStop.objects.get_or_create(address_digest=address_digest, stream=stream)
    return stop


def resume_mail(*, address_digest: str, stream: str) -> None:
    """Mail of `stream` to the address with this digest again, as the person asked. Idempotent."""
    MailStop.objects.filter(address_digest=address_digest, stream=stream).delete()
