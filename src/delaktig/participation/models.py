"""Activities (one method at a time, place and channel) and the contributions they yield.

Every input, whatever its method or channel, becomes a `Contribution` so that
compilation treats digital, paper and meeting input alike (C2, C3).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped
from delaktig.governance.models import Dialogue, InfluenceLevel
from delaktig.governance.states import Feature, allows, states_with


class Method(models.TextChoices):
    WEB_INFORMATION = "web_information", _("Information på webben")
    PRINT = "print", _("Trycksak")
    OPEN_MEETING = "open_meeting", _("Öppet möte")
    EXHIBITION = "exhibition", _("Utställning")
    INFORMATION_MEETING = "information_meeting", _("Informationsmöte")
    SURVEY = "survey", _("Enkät")
    INTERVIEW = "interview", _("Intervju")
    FOCUS_GROUP = "focus_group", _("Fokusgrupp")
    DISCUSSION = "discussion", _("Diskussion")
    TEXT_REVIEW = "text_review", _("Synpunkter på dokument")
    OPEN_SPACE = "open_space", _("Open space")
    CAFE = "cafe", _("Dialogcafé")
    FUTURE_WORKSHOP = "future_workshop", _("Framtidsverkstad")
    IDEA_WORKSHOP = "idea_workshop", _("Idéverkstad")
    E_PROPOSAL = "e_proposal", _("E-förslag")
    OPINIONS = "opinions", _("Påståenden att ta ställning till")
    VOTE = "vote", _("Rådslag med omröstning")
    BUDGET = "budget", _("Medborgarbudget")


# The step of the participation ladder each method belongs to (C1, Sollentuna's table).
METHOD_LADDER_STEP: dict[str, str] = {
    Method.WEB_INFORMATION: InfluenceLevel.INFORMATION,
    Method.PRINT: InfluenceLevel.INFORMATION,
    Method.OPEN_MEETING: InfluenceLevel.INFORMATION,
    Method.EXHIBITION: InfluenceLevel.INFORMATION,
    Method.INFORMATION_MEETING: InfluenceLevel.INFORMATION,
    Method.SURVEY: InfluenceLevel.KONSULTATION,
    Method.INTERVIEW: InfluenceLevel.KONSULTATION,
    Method.FOCUS_GROUP: InfluenceLevel.KONSULTATION,
    Method.TEXT_REVIEW: InfluenceLevel.KONSULTATION,
    Method.OPINIONS: InfluenceLevel.KONSULTATION,
    Method.DISCUSSION: InfluenceLevel.DIALOG,
    Method.OPEN_SPACE: InfluenceLevel.DIALOG,
    Method.CAFE: InfluenceLevel.DIALOG,
    Method.FUTURE_WORKSHOP: InfluenceLevel.INFLYTANDE,
    Method.IDEA_WORKSHOP: InfluenceLevel.INFLYTANDE,
    Method.E_PROPOSAL: InfluenceLevel.INFLYTANDE,
    Method.VOTE: InfluenceLevel.MEDBESLUTANDE,
    Method.BUDGET: InfluenceLevel.MEDBESLUTANDE,
}

PHYSICAL_METHODS = {
    Method.OPEN_MEETING,
    Method.EXHIBITION,
    Method.INFORMATION_MEETING,
    Method.INTERVIEW,
    Method.FOCUS_GROUP,
    Method.OPEN_SPACE,
    Method.CAFE,
    Method.FUTURE_WORKSHOP,
    Method.PRINT,
}


# Which app's "<app>:activity" URL (kwarg activity_id) a resident uses for each method.
METHOD_APP: dict[str, str] = {
    Method.SURVEY: "surveys",
    Method.IDEA_WORKSHOP: "ideas",
    Method.E_PROPOSAL: "ideas",
    Method.FUTURE_WORKSHOP: "ideas",
    Method.DISCUSSION: "discussions",
    Method.TEXT_REVIEW: "discussions",
    Method.OPEN_MEETING: "meetings",
    Method.INFORMATION_MEETING: "meetings",
    Method.EXHIBITION: "meetings",
    Method.INTERVIEW: "meetings",
    Method.FOCUS_GROUP: "meetings",
    Method.OPEN_SPACE: "meetings",
    Method.CAFE: "meetings",
    Method.VOTE: "votes",
    Method.BUDGET: "budgets",
    Method.OPINIONS: "opinions",
}


class IdentityLevel(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymt")
    EMAIL = "email", _("Konto med verifierad e-post")
    EID = "eid", _("E-legitimation (BankID, Freja)")


class ResidencyRule(models.TextChoices):
    ANYONE = "anyone", _("Alla får delta")
    CONNECTED = "connected", _("Bor, arbetar, studerar eller vistas i kommunen")
    LIVES = "lives", _("Folkbokförd i kommunen")


class Channel(models.TextChoices):
    DIGITAL = "digital", _("Digitalt")
    PAPER = "paper", _("Papper")
    MEETING = "meeting", _("Möte")
    INTERVIEW = "interview", _("Intervju")
    # Answers brought in from a file of another tool (a survey export, a Polis
    # conversation): counted like the rest, but not "Digitalt" in this platform.
    IMPORT = "import", _("Import")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def open_now(self) -> ActivityQuerySet:
        now = timezone.now()
        return self.filter(
            dialogue__status__in=states_with(Feature.PARTICIPATION_OPEN),
        ).filter(
            models.Q(opens_at__isnull=True) | models.Q(opens_at__lte=now),
            models.Q(closes_at__isnull=True) | models.Q(closes_at__gt=now),
        )


class Activity(TimeStamped):
    """Dialogtillfälle: one method at one time and place, digital or physical."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="activities")
    method = models.CharField(_("metod"), max_length=30, choices=Method.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    slug = models.SlugField(_("adress"), max_length=220)
    description = models.TextField(_("beskrivning"), blank=True)
    simple_description = models.TextField(
        _("beskrivning på lätt svenska"),
        blank=True,
        help_text=_("Visas för barn och unga och i läget lätt svenska."),
    )
    opens_at = models.DateTimeField(_("öppnar"), null=True, blank=True)
    closes_at = models.DateTimeField(_("stänger"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    accessibility_info = models.TextField(_("tillgänglighet på platsen"), blank=True)
    identity_level = models.CharField(
        _("identifiering"),
        max_length=20,
        choices=IdentityLevel.choices,
        default=IdentityLevel.ANONYMOUS,
    )
    residency_rule = models.CharField(
        _("vem får delta"),
        max_length=20,
        choices=ResidencyRule.choices,
        default=ResidencyRule.ANYONE,
    )
    min_age = models.PositiveSmallIntegerField(_("lägsta ålder"), null=True, blank=True)
    for_children = models.BooleanField(_("anpassad för barn och unga"), default=False)
    # G10: which of the dialogue's target groups this activity is meant to reach.
    target_groups = models.ManyToManyField(
        "governance.TargetGroup",
        verbose_name=_("når målgrupperna"),
        blank=True,
        related_name="activities",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["order", "opens_at", "id"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "slug"], name="unique_activity_slug")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import NoReverseMatch, reverse

        app = METHOD_APP.get(self.method)
        if app:
            try:
                return reverse(f"{app}:activity", kwargs={"activity_id": self.pk})
            except NoReverseMatch:
                pass
        dialogue_url = reverse("governance:dialogue", kwargs={"slug": self.dialogue.slug})
        return f"{dialogue_url}#aktivitet-{self.pk}"

    @property
    def ladder_step(self) -> str:
        return METHOD_LADDER_STEP.get(self.method, "")

    @property
    def is_physical(self) -> bool:
        return self.method in PHYSICAL_METHODS

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return (
            allows(self.dialogue, Feature.PARTICIPATION_OPEN)
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or self.closes_at > now)
        )


class ContributionKind(models.TextChoices):
    ANSWER = "answer", _("Enkätsvar")
    IDEA = "idea", _("Idé eller förslag")
    COMMENT = "comment", _("Kommentar")
    SUPPORT = "support", _("Stöd")
    VOTE = "vote", _("Röst")
    BALLOT = "ballot", _("Budgetröst")
    STATEMENT = "statement", _("Påstående")
    STATEMENT_VOTE = "statement_vote", _("Ställningstagande")
    MEETING_NOTE = "meeting_note", _("Dokumentation från möte")


class ContributionStatus(models.TextChoices):
    PUBLISHED = "published", _("Publicerad")
    PENDING = "pending", _("Väntar på granskning")
    HIDDEN = "hidden", _("Dold av moderator")


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> ContributionQuerySet:
        return self.filter(status=ContributionStatus.PUBLISHED)


class Contribution(models.Model):
    """Any input to a dialogue: answer, idea, comment, vote, meeting note (C2)."""

    # Indexed by (dialogue, kind) below; a second index would cost every submission.
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="contributions", db_index=False
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("typ"), max_length=20, choices=ContributionKind.choices)
    channel = models.CharField(
        _("kanal"), max_length=20, choices=Channel.choices, default=Channel.DIGITAL
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    # Stable per-person key within a dialogue, so anonymous participants can be counted
    # once without storing who they are.
    participant_key = models.CharField(max_length=64, blank=True)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    language = models.CharField(max_length=5, default="sv")
    status = models.CharField(
        max_length=20, choices=ContributionStatus.choices, default=ContributionStatus.PUBLISHED
    )
    moderation_reason = models.TextField(_("skäl för moderering"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inmatad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bidrag")
        verbose_name_plural = _("bidrag")
        indexes = [
            models.Index(fields=["dialogue", "kind"]),
            models.Index(fields=["source_type", "source_id"]),
            # Looked up by equality only (a person's own data): no LIKE index beside it.
            models.Index(fields=["participant_key"], name="contribution_participant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
