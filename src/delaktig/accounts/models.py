"""People. Residents give as little as possible: an email, or nothing at all."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(
        _("visningsnamn"),
        max_length=80,
        blank=True,
        help_text=_("Visas vid dina publicerade bidrag. Lämna tomt för att vara anonym."),
    )
    preferred_language = models.CharField(
        _("språk"), max_length=5, choices=[("sv", "Svenska"), ("en", "English")], default="sv"
    )

    email_verified_at = models.DateTimeField(_("e-post verifierad"), null=True, blank=True)
    # Set when the person last signed in with e-ID (BankID, Freja) through OIDC.
    eid_verified_at = models.DateTimeField(_("e-legitimation verifierad"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("födelseår"), null=True, blank=True)
    connected_to_municipality = models.BooleanField(
        _("bor, arbetar, studerar eller vistas i kommunen"), default=False
    )
    residency_attested_at = models.DateTimeField(
        _("intygade koppling till kommunen"),
        null=True,
        blank=True,
        help_text=_("När personen kryssade i: Jag bor, arbetar, studerar eller vistas i kommunen."),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.display_name or self.username

    @property
    def identity_level(self) -> str:
        """The strongest identity this person has shown: eid > email > anonymous."""
        if self.eid_verified_at:
            return "eid"
        if self.email_verified_at:
            return "email"
        return "anonymous"

    @property
    def public_name(self) -> str:
        return self.display_name or str(_("Anonym invånare"))


# --- Added by the identity and privacy work ----------------------------------------


class EidIdentity(models.Model):
    """A person's e-ID login (BankID/Freja through an OIDC broker), pseudonymised.

    We never store the `sub` claim or a personnummer in clear: only an HMAC of
    issuer and subject, which lets us find the same person again and nothing more.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="eid_identities")
    issuer = models.CharField(_("utfärdare"), max_length=300)
    subject_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("kopplad"), default=timezone.now)
    last_login_at = models.DateTimeField(_("senast inloggad"), default=timezone.now)

    class Meta:
        verbose_name = _("e-legitimation")
        verbose_name_plural = _("e-legitimationer")

    def __str__(self) -> str:
        return f"{self.issuer} ({self.subject_hash[:8]}…)"


class ConsentPurpose(models.TextChoices):
    DEMOGRAPHICS = "demographics", _("Uppgifter om mig (ålder, kön, område) för statistik")
    NOTIFICATIONS = "notifications", _("E-post om dialoger jag deltagit i")


# The consent text the person saw, versioned: a new text needs a new version.
CONSENT_TEXTS: dict[str, tuple[str, str | Promise]] = {
    ConsentPurpose.DEMOGRAPHICS: (
        "2026-1",
        _(
            "Jag samtycker till att kommunen sparar min åldersgrupp, mitt kön och mitt "
            "område för att se vilka som deltar i dialoger. Uppgifterna visas aldrig för "
            "små grupper och jag kan ta tillbaka mitt samtycke när jag vill."
        ),
    ),
    ConsentPurpose.NOTIFICATIONS: (
        "2026-1",
        _(
            "Jag vill få e-post om vad som händer i dialoger jag har deltagit i, till "
            "exempel återkoppling och beslut."
        ),
    ),
}


class ConsentQuerySet(models.QuerySet["ConsentRecord"]):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class ConsentRecord(models.Model):
    """One consent given (and perhaps withdrawn) for one purpose and text version."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents"
    )
    purpose = models.CharField(_("ändamål"), max_length=30, choices=ConsentPurpose.choices)
    text_version = models.CharField(_("textversion"), max_length=20)
    given_at = models.DateTimeField(_("lämnat"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("återkallat"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.text_version})"


class AgeBand(models.TextChoices):
    UNDER_13 = "0-12", _("under 13 år")
    B13_15 = "13-15", "13–15"
    B16_24 = "16-24", "16–24"
    B25_44 = "25-44", "25–44"
    B45_64 = "45-64", "45–64"
    B65 = "65+", _("65 år eller äldre")


def age_band_for_birth_year(birth_year: int | None, *, year: int | None = None) -> str:
    if not birth_year:
        return ""
    age = (year or timezone.localdate().year) - birth_year
    if age < 13:
        return AgeBand.UNDER_13
    if age <= 15:
        return AgeBand.B13_15
    if age <= 24:
        return AgeBand.B16_24
    if age <= 44:
        return AgeBand.B25_44
    if age <= 64:
        return AgeBand.B45_64
    return AgeBand.B65


class Gender(models.TextChoices):
    KVINNA = "kvinna", _("Kvinna")
    MAN = "man", _("Man")
    ANNAT = "annat", _("Annat")


class Demographics(models.Model):
    """Optional facts about a person, stored only while they consent (purpose demographics)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="demographics")
    gender = models.CharField(_("kön"), max_length=10, choices=Gender.choices, blank=True)
    district = models.CharField(_("område"), max_length=100, blank=True)
    occupation = models.CharField(_("sysselsättning"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bakgrundsuppgifter")
        verbose_name_plural = _("bakgrundsuppgifter")

    def __str__(self) -> str:
        return f"{self.user_id}"


class SchoolSessionQuerySet(models.QuerySet["SchoolSession"]):
    def usable(self) -> SchoolSessionQuerySet:
        return self.filter(valid_until__gt=timezone.now(), uses__lt=models.F("max_uses"))


class SchoolSession(models.Model):
    """A class takes part through a code, without any personal data about the pupils."""

    dialogue = models.ForeignKey(
        "governance.Dialogue", on_delete=models.CASCADE, related_name="school_sessions"
    )
    # Empty: the code works for every activity in the dialogue.
    activity = models.ForeignKey(
        "participation.Activity",
        verbose_name=_("aktivitet"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="school_sessions",
    )
    code = models.CharField(_("kod"), max_length=12, unique=True)
    class_label = models.CharField(_("klass"), max_length=100)
    age_band = models.CharField(_("åldersgrupp"), max_length=10, choices=AgeBand.choices)
    valid_until = models.DateTimeField(_("giltig till"))
    max_uses = models.PositiveIntegerField(_("högsta antal elever"))
    uses = models.PositiveIntegerField(_("använd antal gånger"), default=0)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SchoolSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("skolpass")
        verbose_name_plural = _("skolpass")

    def __str__(self) -> str:
        return f"{self.code} {self.class_label}"

    def covers(self, activity: object) -> bool:
        return self.dialogue_id == getattr(activity, "dialogue_id", None) and (
            self.activity_id is None or self.activity_id == getattr(activity, "pk", None)
        )


class DialogueRetention(models.Model):
    """How long personal data from one dialogue is kept after participation closed."""

    dialogue = models.OneToOneField(
        "governance.Dialogue", on_delete=models.CASCADE, related_name="retention"
    )
    months = models.PositiveSmallIntegerField(_("gallras efter antal månader"))
    note = models.CharField(_("grund (dokumenthanteringsplan)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")

    def __str__(self) -> str:
        return f"{self.dialogue_id}: {self.months}"


class Notification(models.Model):
    """A notice on the resident's "Mina uppgifter" page. One of each kind per dialogue."""

    class Kind(models.TextChoices):
        FEEDBACK_PUBLISHED = "feedback_published", _("Återkopplingen är publicerad")
        DECISION_TAKEN = "decision_taken", _("Beslutet är fattat")
        IDEA_ANSWERED = "idea_answered", _("Kommunen har svarat på din idé")
        THRESHOLD_REACHED = "threshold_reached", _("Ditt förslag har fått tillräckligt stöd")
        MEETING_CHANGED = "meeting_changed", _("Ett möte du är anmäld till har ändrats")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    dialogue = models.ForeignKey("governance.Dialogue", on_delete=models.CASCADE, related_name="+")
    # What the notice is about within the dialogue (an idea, a meeting change): one each.
    key = models.CharField(max_length=60, blank=True, default="")
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Moved from the feedback app (participation writes notices and sits below it).
        db_table = "feedback_notification"
        ordering = ["-created_at", "-id"]
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "dialogue", "key"], name="one_notification_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.text
