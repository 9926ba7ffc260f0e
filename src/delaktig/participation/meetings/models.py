"""Physical and digital meetings: time, place, accessibility, registration and documentation.

What came up at a meeting or an interview is entered by officials as `MeetingNote`s, one
per point raised, and each note becomes a `Contribution` (channel meeting/interview).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.participation.models import Activity, Channel

NOTE_MAX = 2000
NAME_MAX = 100
NEEDS_MAX = 500

DEFAULT_CONSENT = _(
    "Vi sparar ditt namn (eller den signatur du väljer) och din e-postadress för att kunna "
    "hålla ordning på platserna, kontakta dig om mötet och mejla dig återkopplingen från "
    "dialogen. Uppgifterna raderas när "
    "dialogen är avslutad. Du kan avboka när du vill."
)


class Accessibility(models.TextChoices):
    HEARING_LOOP = "hearing_loop", _("Hörslinga")
    WHEELCHAIR = "wheelchair", _("Rullstolsanpassad lokal")
    ACCESSIBLE_TOILET = "accessible_toilet", _("Tillgänglig toalett")
    SIGN_LANGUAGE = "sign_language", _("Teckenspråkstolk på begäran")
    INTERPRETER = "interpreter", _("Tolk till andra språk på begäran")
    EASY_SWEDISH = "easy_swedish", _("Information på lätt svenska")
    CHILDCARE = "childcare", _("Barnpassning")
    PUBLIC_TRANSPORT = "public_transport", _("Nära kollektivtrafik")
    DIGITAL = "digital", _("Går att delta digitalt")


class Meeting(models.Model):
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="meeting")
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    address = models.CharField(_("adress"), max_length=200, blank=True)
    accessibility = models.JSONField(_("tillgänglighet"), default=list, blank=True)
    capacity = models.PositiveIntegerField(
        _("antal platser"), null=True, blank=True, help_text=_("Lämna tomt om det inte finns tak.")
    )
    registration_open = models.BooleanField(_("anmälan är öppen"), default=True)
    consent_text = models.TextField(_("text om personuppgifter"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance = models.PositiveIntegerField(_("antal deltagare"), null=True, blank=True)
    documented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")

    def __str__(self) -> str:
        return str(self.activity)

    def accessibility_labels(self) -> list[str]:
        labels = dict(Accessibility.choices)
        return [str(labels[k]) for k in self.accessibility if k in labels]

    def consent(self) -> str:
        return self.consent_text or str(DEFAULT_CONSENT)

    def confirmed_count(self) -> int:
        return self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

    def waiting_count(self) -> int:
        return self.registrations.filter(status=RegistrationStatus.WAITING).count()

    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count(), 0)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Anmäld")
    WAITING = "waiting", _("På väntelistan")
    CANCELLED = "cancelled", _("Avbokad")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("namn eller signatur"), max_length=NAME_MAX)
    email = models.EmailField(_("e-post"), blank=True)
    needs = models.TextField(_("behov av stöd"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant_key = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    consent_given_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant_key"],
                condition=~Q(status="cancelled"),
                name="meetings_one_active_registration",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def waiting_position(self) -> int | None:
        if self.status != RegistrationStatus.WAITING:
            return None
        return (
            Registration.objects.filter(
                meeting_id=self.meeting_id, status=RegistrationStatus.WAITING
            )
            .filter(
                Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
            )
            .count()
            + 1
        )


class MeetingNote(models.Model):
    """One point raised at a meeting or in an interview, as documented by an official."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("det här kom upp"))
    topic = models.CharField(_("ämne"), max_length=100, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.MEETING)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("anteckning från möte")
        verbose_name_plural = _("anteckningar från möten")

    def __str__(self) -> str:
        return self.text[:40]
