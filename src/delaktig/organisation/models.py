"""The municipality, its bodies and offices, people's roles, and policy profiles.

A policy profile is data: which body decides at which gate, which body anchors
the decision, what the checklist requires before each gate and how the feedback
deadline is set. Switching a municipality's profile changes its gates with no
code change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped


class BodyKind(models.TextChoices):
    KF = "kf", _("Kommunfullmäktige")
    KS = "ks", _("Kommunstyrelsen")
    NAMND = "namnd", _("Nämnd")
    UTSKOTT = "utskott", _("Utskott")
    STYRGRUPP = "styrgrupp", _("Styrgrupp för medborgardialog")
    KLG = "klg", _("Kommunledningsgrupp")
    BEREDNING = "beredning", _("Beredning")


class Gate(models.TextChoices):
    """The decisions a dialogue passes on its way, in the order they come."""

    INVESTIGATE = "investigate", _("Beslut om att utreda dialog")
    CONDUCT = "conduct", _("Beslut om att genomföra dialog")
    FINAL = "final", _("Beslut i sakfrågan")


class DialogueScope(models.TextChoices):
    """How far a dialogue reaches; profiles pick the deciding body by scope."""

    AREA = "area", _("Avgränsad (en nämnds område)")
    SEVERAL = "several", _("Berör flera nämnder")
    LARGER = "larger", _("Större dialog")
    MUNICIPALITY_WIDE = "municipality_wide", _("Kommunövergripande")


SCOPE_RANK = {
    DialogueScope.AREA: 0,
    DialogueScope.SEVERAL: 1,
    DialogueScope.LARGER: 2,
    DialogueScope.MUNICIPALITY_WIDE: 3,
}


class ChecklistPhase(models.TextChoices):
    BEFORE = "before", _("Före")
    DURING = "during", _("Under")
    AFTER = "after", _("Efter")


class ChecklistCheckpoint(models.TextChoices):
    """Where in the lifecycle an unfinished checklist item stops the dialogue.

    The three gates keep their values; the rest name the step they block.
    `delaktig.governance.lifecycle.CHECKLIST_BLOCKS` maps each to its transition.
    """

    INVESTIGATE = "investigate", _("Beslut om att utreda dialog")
    CONDUCT = "conduct", _("Beslut om att genomföra dialog")
    CLOSE_PARTICIPATION = "close_participation", _("Deltagandet stängs")
    FINAL = "final", _("Beslut i sakfrågan")
    EVALUATE = "evaluate", _("Dialogen markeras som utvärderad")
    ARCHIVE = "archive", _("Dialogen arkiveras")


class PolicyProfile(TimeStamped):
    slug = models.SlugField(_("kortnamn"), unique=True)
    name = models.CharField(_("namn"), max_length=200)
    source = models.CharField(_("källa (policy)"), max_length=300, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    requires_suitability_assessment = models.BooleanField(
        _("kräver lämplighetsprövning"), default=True
    )
    requires_information_effort_on_no = models.BooleanField(
        _("informationsinsats när svaret är nej"), default=False
    )
    main_committee_when_several = models.BooleanField(
        _("huvudansvarig nämnd när flera berörs"), default=False
    )
    multi_year_period_years = models.PositiveSmallIntegerField(
        _("flerårsperiod för kommungemensamma dialoger (år)"), null=True, blank=True
    )

    class ReachRule(models.TextChoices):
        REFUSE = "refuse", _("Stoppa annonseringen")
        WARN = "warn", _("Varna; går att avvika med skäl")

    # G10: what happens when a prioritised group is not reached, or only one way is offered.
    reach_rule = models.CharField(
        _("när en prioriterad målgrupp inte nås"),
        max_length=10,
        choices=ReachRule.choices,
        default=ReachRule.WARN,
    )
    # Trelleborg: KS holds ultimate responsibility, so its members see every dialogue.
    ks_oversees_all = models.BooleanField(
        _("kommunstyrelsen har det yttersta ansvaret för alla dialoger"), default=False
    )

    class DecidingIdentity(models.TextChoices):
        EMAIL = "email", _("Konto med verifierad e-post")
        EID = "eid", _("E-legitimation")

    # A vote or a budget ballot decides something: each person may count only once.
    deciding_identity_level = models.CharField(
        _("inloggning som krävs för omröstningar och medborgarbudget"),
        max_length=10,
        choices=DecidingIdentity.choices,
        default=DecidingIdentity.EMAIL,
    )
    feedback_days_after_close = models.PositiveSmallIntegerField(
        _("återkoppling senast (dagar efter att dialogen stängt)"), default=60
    )
    feedback_warning_days = models.PositiveSmallIntegerField(
        _("varna så här många dagar före återkopplingsdatum"), default=14
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("policyprofil")
        verbose_name_plural = _("policyprofiler")

    def __str__(self) -> str:
        return self.name


class GateRule(models.Model):
    """Which kind of body decides (and which anchors) a gate, from a given scope up."""

    profile = models.ForeignKey(PolicyProfile, on_delete=models.CASCADE, related_name="gate_rules")
    gate = models.CharField(_("beslutspunkt"), max_length=20, choices=Gate.choices)
    min_scope = models.CharField(
        _("gäller från omfattning"),
        max_length=20,
        choices=DialogueScope.choices,
        default=DialogueScope.AREA,
    )
    deciding_body_kind = models.CharField(
        _("beslutande organ"), max_length=20, choices=BodyKind.choices
    )
    anchoring_body_kind = models.CharField(
        _("förankras hos"), max_length=20, choices=BodyKind.choices, blank=True
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        ordering = ["profile", "gate", "min_scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "gate", "min_scope"], name="one_gate_rule_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile.slug}: {self.get_gate_display()} ({self.get_min_scope_display()})"


class ChecklistTemplateItem(models.Model):
    """An item a dialogue's checklist starts with; `required_for` blocks that checkpoint."""

    profile = models.ForeignKey(
        PolicyProfile, on_delete=models.CASCADE, related_name="checklist_items"
    )
    key = models.SlugField(_("nyckel"), max_length=60)
    label = models.CharField(_("punkt"), max_length=300)
    phase = models.CharField(_("skede"), max_length=10, choices=ChecklistPhase.choices)
    required_for = models.CharField(
        _("krävs före"), max_length=20, choices=ChecklistCheckpoint.choices, blank=True
    )
    # Plan fields that answer the item: it is done when they are filled, never by hand.
    plan_fields = models.JSONField(_("besvaras av planens fält"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["profile", "order"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "key"], name="unique_checklist_key")
        ]

    def __str__(self) -> str:
        return self.label


class Municipality(TimeStamped):
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), unique=True)
    profile = models.ForeignKey(
        PolicyProfile, verbose_name=_("policyprofil"), on_delete=models.PROTECT
    )
    # e-förslag: supports needed within a period (e.g. 50 supports in 60 days).
    proposal_support_threshold = models.PositiveIntegerField(_("stöd som krävs"), default=50)
    proposal_support_days = models.PositiveIntegerField(_("insamlingsperiod (dagar)"), default=60)
    contact_email = models.EmailField(_("kontakt-e-post"), blank=True)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name


class Body(TimeStamped):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField(_("typ"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("förkortning"), max_length=20, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organ")
        verbose_name_plural = _("organ")

    def __str__(self) -> str:
        return self.name


class Office(TimeStamped):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="offices")
    name = models.CharField(_("namn"), max_length=200)
    body = models.ForeignKey(
        Body,
        verbose_name=_("nämnd"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offices",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICIAL = "official", _("Tjänsteperson")
    STRATEGIST = "strategist", _("Dialogstrateg")
    ADMIN = "admin", _("Administratör")


class StaffRole(TimeStamped):
    """A person's role in the municipality's organisation (residents have none)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        Office, verbose_name=_("förvaltning"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="unique_staff_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class BodyMembership(TimeStamped):
    """An elected member (förtroendevald) of a body, or its secretary."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Ledamot")
        CHAIR = "chair", _("Ordförande")
        SECRETARY = "secretary", _("Sekreterare")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_memberships"
    )
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(_("uppdrag"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "body"], name="unique_body_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.body}"
