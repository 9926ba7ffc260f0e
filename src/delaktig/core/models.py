"""Shared base models and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One official action. Append-only: rows are never updated or deleted."""

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("utförd av (namn)"), max_length=200, blank=True)
    action = models.CharField(_("åtgärd"), max_length=100, db_index=True)
    object_type = models.CharField(_("objekttyp"), max_length=100, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    summary = models.CharField(_("sammanfattning"), max_length=500, blank=True)
    data = models.JSONField(_("detaljer"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningslogg")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("Audit events are append-only")


class MailStop(models.Model):
    """An address that asked for no more mail of one kind (`stream`, e.g. one proposal's
    outcome mails or one meeting registration's mails), through the link every such mail
    carries. Only a keyed digest of the address is kept, never the address itself."""

    address_digest = models.CharField(max_length=64)
    stream = models.CharField(max_length=100)
    stopped_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avslutat mejlutskick")
        verbose_name_plural = _("avslutade mejlutskick")
        constraints = [
            models.UniqueConstraint(fields=["address_digest", "stream"], name="one_stop_per_stream")
        ]

    def __str__(self) -> str:
        return self.stream
