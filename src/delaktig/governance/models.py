"""The governed dialogue: from anyone's idea to a decided, evaluated case."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped
from delaktig.governance.states import DialogueStatus as DialogueStatus

# Declared with what each state allows; re-exported here, where most code imports it.
from delaktig.governance.states import Feature, allows, states_with
from delaktig.organisation.models import (
    Body,
    ChecklistCheckpoint,
    ChecklistPhase,
    DialogueScope,
    Gate,
    Municipality,
    Office,
)


class InfluenceLevel(models.TextChoices):
    """Delaktighetstrappan: the five steps of the participation ladder."""

    INFORMATION = "information", _("Information")
    KONSULTATION = "konsultation", _("Konsultation")
    DIALOG = "dialog", _("Dialog")
    INFLYTANDE = "inflytande", _("Inflytande")
    MEDBESLUTANDE = "medbeslutande", _("Medbeslutande")


INFLUENCE_MEANING = {
    InfluenceLevel.INFORMATION: _("Du får veta vad som har beslutats och varför."),
    InfluenceLevel.KONSULTATION: _(
        "Du får tycka till. Politikerna tar del av synpunkterna innan de beslutar."
    ),
    InfluenceLevel.DIALOG: _(
        "Du samtalar med politiker och andra invånare. Samtalen blir underlag för beslutet."
    ),
    InfluenceLevel.INFLYTANDE: _(
        "Du är med och tar fram förslag. Förslagen ligger till grund för beslutet."
    ),
    InfluenceLevel.MEDBESLUTANDE: _(
        "Du är med och bestämmer. Resultatet följs inom de ramar som politikerna har satt."
    ),
}


class DialogueKind(models.TextChoices):
    CITIZEN = "citizen", _("Medborgardialog")
    USER = "user", _("Brukardialog (utanför policyn, registreras)")


class ProposerKind(models.TextChoices):
    RESIDENT = "resident", _("Invånare")
    ORGANISATION = "organisation", _("Förening eller organisation")
    ELECTED = "elected", _("Förtroendevald")
    ASSEMBLY = "assembly", _("Politisk församling")
    OFFICIAL = "official", _("Tjänsteperson")


class DialogueQuerySet(models.QuerySet["Dialogue"]):
    def public(self) -> DialogueQuerySet:
        """What the public register shows: everything from planning onwards."""
        return self.filter(status__in=states_with(Feature.PUBLIC), kind=DialogueKind.CITIZEN)

    def participating(self) -> DialogueQuerySet:
        return self.filter(status__in=states_with(Feature.REGISTRATION_OPEN))

    def feedback_overdue(self, today: datetime.date | None = None) -> DialogueQuerySet:
        today = today or timezone.localdate()
        # The feedback app's row (related name "feedback") ends the obligation once published.
        return self.exclude(feedback__status="published").filter(
            feedback_due__lt=today,
            status__in=states_with(Feature.FEEDBACK_OWED),
        )


class Dialogue(TimeStamped):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="dialogues"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    slug = models.SlugField(_("adress"), max_length=220, unique=True)
    summary = models.TextField(_("kort beskrivning"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=DialogueStatus.choices,
        default=DialogueStatus.IDEA,
        db_index=True,
    )
    kind = models.CharField(
        _("typ av dialog"),
        max_length=20,
        choices=DialogueKind.choices,
        default=DialogueKind.CITIZEN,
    )
    legally_required = models.BooleanField(
        _("lagstadgad dialog (t.ex. samråd enligt plan- och bygglagen)"), default=False
    )
    legal_basis = models.CharField(_("lagrum"), max_length=200, blank=True)
    scope = models.CharField(
        _("omfattning"), max_length=20, choices=DialogueScope.choices, default=DialogueScope.AREA
    )
    owner_body = models.ForeignKey(
        Body,
        verbose_name=_("ansvarig nämnd"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_dialogues",
    )
    concerned_bodies = models.ManyToManyField(
        Body, verbose_name=_("berörda nämnder"), blank=True, related_name="concerned_dialogues"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("förvaltning"), null=True, blank=True, on_delete=models.SET_NULL
    )
    period_start_year = models.PositiveSmallIntegerField(
        _("flerårsperiod från år"), null=True, blank=True
    )
    period_review = models.CharField(
        _("översyn av inriktningsmål som perioden hör till"), max_length=200, blank=True
    )
    # Planning (G8, G9, C4)
    goal = models.TextField(_("mål"), blank=True)
    purpose = models.TextField(_("syfte"), blank=True)
    background = models.TextField(_("historik och nuläge"), blank=True)
    partners = models.TextField(_("samarbetspartner"), blank=True)
    budget = models.TextField(_("budget och finansiering"), blank=True)
    question = models.TextField(_("frågan till invånarna"), blank=True)
    influence_level = models.CharField(
        _("grad av inflytande"), max_length=20, choices=InfluenceLevel.choices, blank=True
    )
    input_use = models.TextField(_("så används synpunkterna"), blank=True)
    communication_plan = models.TextField(_("kommunikationsplan"), blank=True)
    outreach_plan = models.TextField(_("plan för att nå målgrupperna"), blank=True)
    single_form_reason = models.TextField(
        _("varför det räcker med ett sätt att delta"),
        blank=True,
        help_text=_("Fyll bara i om dialogen erbjuder en enda form, tid och plats."),
    )
    starts_on = models.DateField(_("dialogen öppnar"), null=True, blank=True)
    ends_on = models.DateField(_("dialogen stänger"), null=True, blank=True)
    decision_expected_on = models.DateField(_("beslut väntas"), null=True, blank=True)
    feedback_due = models.DateField(_("återkoppling senast"), null=True, blank=True)
    # Outcome (G12)
    final_decision_summary = models.TextField(_("beslutet i korthet"), blank=True)
    influence_on_decision = models.TextField(_("så påverkade dialogen beslutet"), blank=True)

    objects = DialogueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("medborgardialog")
        verbose_name_plural = _("medborgardialoger")

    def __str__(self) -> str:
        return self.title

    @property
    def period_end_year(self) -> int | None:
        """The last year of the multi-year period the profile sets (Vänersborg: three)."""
        years = self.municipality.profile.multi_year_period_years
        if not (self.period_start_year and years):
            return None
        return self.period_start_year + years - 1

    @property
    def influence_meaning(self) -> str:
        return str(INFLUENCE_MEANING.get(self.influence_level, ""))  # type: ignore[call-overload]

    @property
    def is_public(self) -> bool:
        """The instance form of `DialogueQuerySet.public()`: residents may see it."""
        return allows(self, Feature.PUBLIC) and self.kind == DialogueKind.CITIZEN

    @property
    def is_feedback_overdue(self) -> bool:
        if not (
            self.feedback_due
            and self.feedback_due < timezone.localdate()
            and allows(self, Feature.FEEDBACK_OWED)
        ):
            return False
        feedback = getattr(self, "feedback", None)
        return not (feedback is not None and feedback.status == "published")


# What the plan form edits (G8–G10), in the order the form shows it; one list for the form
# and for `actions.update_plan`.
PLAN_FIELDS = (
    "title",
    "summary",
    "kind",
    "legally_required",
    "legal_basis",
    "scope",
    "owner_body",
    "concerned_bodies",
    "office",
    "period_start_year",
    "period_review",
    "goal",
    "purpose",
    "background",
    "partners",
    "budget",
    "question",
    "influence_level",
    "input_use",
    "communication_plan",
    "outreach_plan",
    "single_form_reason",
    "starts_on",
    "ends_on",
    "decision_expected_on",
    "feedback_due",
)


class DialogueEvent(models.Model):
    """One row per lifecycle transition. Append-only."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=30, choices=DialogueStatus.choices)
    to_status = models.CharField(max_length=30, choices=DialogueStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("Dialogue events are append-only")
        super().save(*args, **kwargs)


class Initiative(TimeStamped):
    """Anyone's proposal of a topic for dialogue (G1)."""

    dialogue = models.OneToOneField(Dialogue, on_delete=models.CASCADE, related_name="initiative")
    proposer_kind = models.CharField(
        _("förslaget kommer från"), max_length=20, choices=ProposerKind.choices
    )
    proposer_name = models.CharField(_("namn eller organisation"), max_length=200, blank=True)
    proposer_email = models.EmailField(_("e-post för svar"), blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(_("beskriv idén"))
    affects_residents = models.BooleanField(_("påverkar invånarna direkt"), default=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("idé till dialog")
        verbose_name_plural = _("idéer till dialog")

    def __str__(self) -> str:
        return self.dialogue.title


class SuitabilityAssessment(TimeStamped):
    """Lämplighetsprövning: the two questions plus benefit and purpose (G2)."""

    dialogue = models.OneToOneField(Dialogue, on_delete=models.CASCADE, related_name="assessment")
    needs_residents_knowledge = models.BooleanField(
        _(
            "Behöver de förtroendevalda mer kunskap om invånarnas värderingar, åsikter och "
            "prioriteringar i frågan?"
        )
    )
    open_to_influence = models.BooleanField(
        _("Är frågan påverkbar, och är politikerna öppna för att låta sig påverkas?")
    )
    benefit = models.TextField(_("nytta"))
    purpose = models.TextField(_("syfte"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    @property
    def suitable(self) -> bool:
        return self.needs_residents_knowledge and self.open_to_influence


class InformationEffort(TimeStamped):
    """The NO path (G3): information that answers the two questions."""

    dialogue = models.OneToOneField(
        Dialogue, on_delete=models.CASCADE, related_name="information_effort"
    )
    why_decided = models.TextField(_("Varför har vi tagit det här beslutet?"))
    why_no_dialogue = models.TextField(_("Varför har vi inte ordnat en medborgardialog?"))
    held_on = models.DateField(_("datum"), null=True, blank=True)
    place = models.CharField(_("plats eller kanal"), max_length=200, blank=True)
    what_was_said = models.TextField(_("Det här informerade vi om"), blank=True)


class DecisionQuerySet(models.QuerySet["Decision"]):
    def current(self) -> DecisionQuerySet:
        """Decisions in force: not replaced by a correction."""
        return self.filter(correction__isnull=True)


class Decision(TimeStamped):
    """A body's decision at a gate, with § and diarienummer (G5, G12)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Bifall")
        REJECTED = "rejected", _("Avslag")
        ANCHORED = "anchored", _("Förankrat")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="decisions")
    gate = models.CharField(_("beslutspunkt"), max_length=20, choices=Gate.choices)
    body = models.ForeignKey(Body, verbose_name=_("organ"), on_delete=models.PROTECT)
    decided_on = models.DateField(_("datum"))
    # An anchoring (förankring) in a management group has no § or case number.
    paragraph = models.CharField(_("paragraf (§)"), max_length=20, blank=True)
    case_number = models.CharField(_("diarienummer"), max_length=40, blank=True)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    rationale = models.TextField(_("motivering"))
    deviation_reason = models.TextField(
        _("avvikelse från policyn: varför ett annat organ beslutade"), blank=True
    )
    # A wrong record is never edited: a correction (rättelse) replaces it and both stay.
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("rättar beslutet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    correction_reason = models.TextField(_("skäl för rättelsen"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")

    def __str__(self) -> str:
        if not self.paragraph:
            return f"{self.body} {self.decided_on} ({self.get_outcome_display()})"
        return f"{self.body} {self.decided_on} § {self.paragraph} ({self.case_number})"

    @property
    def is_corrected(self) -> bool:
        return hasattr(self, "correction")


class TeamRole(models.TextChoices):
    PROCESS_OWNER = "process_owner", _("Processägare")
    PROCESS_LEADER = "process_leader", _("Processledare")
    INVESTIGATOR = "investigator", _("Utredare")
    COMMUNICATIONS = "communications", _("Kommunikation – dialogstöd")
    POLITICIAN = "politician", _("Förtroendevald")
    STRATEGIST = "strategist", _("Dialogstrateg")


class DialogueTeamMember(TimeStamped):
    """Dialoggrupp (G7)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_roles"
    )
    role = models.CharField(_("roll"), max_length=20, choices=TeamRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "user", "role"], name="unique_team_role"),
            models.UniqueConstraint(
                fields=["dialogue", "role"],
                condition=Q(role__in=["process_owner", "process_leader"]),
                name="one_process_owner_and_leader",
            ),
        ]


class ChecklistItem(TimeStamped):
    """A dialogue's checklist item, copied from its profile at creation (G8)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="checklist")
    key = models.SlugField(max_length=60)
    label = models.CharField(_("punkt"), max_length=300)
    phase = models.CharField(_("skede"), max_length=10, choices=ChecklistPhase.choices)
    required_for = models.CharField(
        _("krävs före"), max_length=20, choices=ChecklistCheckpoint.choices, blank=True
    )
    plan_fields = models.JSONField(_("besvaras av planens fält"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(_("klar"), default=False)
    note = models.TextField(_("anteckning"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "key"], name="unique_dialogue_checklist")
        ]


class TargetGroup(TimeStamped):
    """An affected group, its priority and how it will be reached (G10)."""

    class Priority(models.IntegerChoices):
        HIGH = 1, _("Hög")
        MEDIUM = 2, _("Medel")
        LOW = 3, _("Låg")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="target_groups")
    name = models.CharField(_("målgrupp"), max_length=200)
    priority = models.PositiveSmallIntegerField(
        _("prioritet"), choices=Priority.choices, default=Priority.MEDIUM
    )
    outreach = models.TextField(_("så når vi gruppen"), blank=True)
    children_and_young = models.BooleanField(_("barn och unga"), default=False)

    class Meta:
        ordering = ["priority", "name"]


class Alternative(TimeStamped):
    """One of several alternative proposals put to participants (G11)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="alternatives")
    title = models.CharField(_("förslag"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class AssignmentConsideration(TimeStamped):
    """Register of assignments where dialogue was considered, and the outcome (G6)."""

    class Outcome(models.TextChoices):
        DIALOGUE = "dialogue", _("Dialog genomförs")
        NO_DIALOGUE = "no_dialogue", _("Ingen dialog")
        PENDING = "pending", _("Under prövning")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)
    title = models.CharField(_("uppdrag"), max_length=200)
    case_number = models.CharField(_("diarienummer"), max_length=40, blank=True)
    body = models.ForeignKey(
        Body, verbose_name=_("organ"), null=True, blank=True, on_delete=models.SET_NULL
    )
    considered_on = models.DateField(_("prövat datum"))
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("skäl"))
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("dialog"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="considerations",
    )
    # When the outcome is a dialogue but none is linked (e.g. a consultation run in another
    # system, or not registered yet), the register says why.
    unlinked_reason = models.TextField(_("skäl till att ingen dialog är kopplad"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-considered_on", "-id"]
        verbose_name = _("prövat uppdrag")
        verbose_name_plural = _("prövade uppdrag")

    def __str__(self) -> str:
        return self.title
