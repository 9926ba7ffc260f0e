"""Medborgarbudget: a budget attached to an activity, residents' projects, one ballot each.

The flow follows SKR: the municipality sets the frame (total, caps per district or
category, the most a project may cost), residents propose projects, officials review
feasibility and cost with reasons, eligible residents vote (one ballot each, also on
paper), the votes are counted with the chosen rule and the result is explained.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped
from delaktig.participation.models import Activity, Channel


def to_fraction(value: Decimal | int | None) -> Fraction:
    return Fraction(str(value if value is not None else 0))


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Välj de projekt du gillar")
    KNAPSACK = "knapsack", _("Välj projekt inom budgeten")
    CUMULATIVE = "cumulative", _("Fördela poäng")
    RANKED = "ranked", _("Rangordna projekt")
    CHOOSE_ONE = "choose_one", _("Välj ett projekt")


# How each ballot type is written in Pabulib's META vote_type.
PABULIB_VOTE_TYPE = {
    BallotType.APPROVAL: "approval",
    BallotType.KNAPSACK: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKED: "ordinal",
    BallotType.CHOOSE_ONE: "choose-1",
}


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("Flest röster först (hoppa över det som inte ryms)")
    GREEDY_NO_SKIP = "greedy-no-skip", _("Flest röster först (sluta vid första som inte ryms)")
    GREEDY_THRESHOLD = "greedy-threshold", _("Flest röster först, med lägsta röstantal")
    EQUAL_SHARES = "equalshares/add1", _("Lika andelar (Method of Equal Shares)")


class TieBreak(models.TextChoices):
    """Named tie-breaks of `counting.TIE_BREAKS`: part of the rule, stated in the result."""

    SUPPORTERS_COST_ORDER = (
        "supporters-cost-order",
        _("Flest personer som röstat, sedan billigast, sedan först i listan"),
    )
    FILE_ORDER = "file-order", _("Först i projektlistan (den officiella ordningen)")


class Phase(models.TextChoices):
    PROPOSALS = "proposals", _("Förslag tas emot")
    REVIEW = "review", _("Förslagen granskas")
    VOTING = "voting", _("Omröstning")
    COUNTED = "counted", _("Rösterna är räknade")


class BudgetQuerySet(models.QuerySet["Budget"]):
    def counted(self) -> BudgetQuerySet:
        return self.filter(phase=Phase.COUNTED)


class Budget(TimeStamped):
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="budget")
    total = models.DecimalField(
        _("budget (kr)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_project_cost = models.DecimalField(
        _("högsta kostnad per projekt (kr)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    ballot_type = models.CharField(
        _("röstsedel"), max_length=20, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    max_choices = models.PositiveSmallIntegerField(
        _("högst antal val"),
        null=True,
        blank=True,
        help_text=_("För godkännande- och rangordningsröstning. Tomt betyder obegränsat."),
    )
    points_total = models.PositiveSmallIntegerField(
        _("poäng att fördela"), default=10, help_text=_("För poängfördelning.")
    )
    rule = models.CharField(
        _("räkneregel"), max_length=30, choices=CountingRule.choices, default=CountingRule.GREEDY
    )
    tie_break = models.CharField(
        _("lika röster avgörs av"),
        max_length=30,
        choices=TieBreak.choices,
        default=TieBreak.SUPPORTERS_COST_ORDER,
    )
    threshold = models.PositiveIntegerField(
        _("lägsta röstantal för att kunna vinna"), null=True, blank=True
    )
    districts = models.TextField(
        _("områden som får rösta"),
        blank=True,
        help_text=_("Ett område per rad. Tomt betyder hela kommunen."),
    )
    phase = models.CharField(
        _("skede"), max_length=20, choices=Phase.choices, default=Phase.PROPOSALS
    )
    result = models.JSONField(_("resultat"), default=dict, blank=True)
    counted_at = models.DateTimeField(_("räknad"), null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("medborgarbudget")
        verbose_name_plural = _("medborgarbudgetar")

    def __str__(self) -> str:
        return self.activity.title

    @property
    def district_list(self) -> list[str]:
        return [d.strip() for d in self.districts.splitlines() if d.strip()]

    @property
    def is_counted(self) -> bool:
        return self.phase == Phase.COUNTED


class CapKind(models.TextChoices):
    DISTRICT = "district", _("Område")
    CATEGORY = "category", _("Kategori")


class BudgetCap(models.Model):
    """At most `amount` kronor may go to projects in one district or category."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="caps")
    kind = models.CharField(_("typ"), max_length=20, choices=CapKind.choices)
    name = models.CharField(_("namn"), max_length=100)
    amount = models.DecimalField(_("högst (kr)"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["budget", "kind", "name"], name="unique_budget_cap")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}: {self.amount}"


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Föreslaget")
    FEASIBLE = "feasible", _("Godkänt för omröstning")
    INFEASIBLE = "infeasible", _("Inte genomförbart")
    FUNDED = "funded", _("Vann – genomförs")
    NOT_FUNDED = "not_funded", _("Vann inte")


class ProjectQuerySet(models.QuerySet["Project"]):
    def on_ballot(self) -> ProjectQuerySet:
        return self.filter(
            status__in=[ProjectStatus.FEASIBLE, ProjectStatus.FUNDED, ProjectStatus.NOT_FUNDED]
        )


class Project(TimeStamped):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("namn på projektet"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=4000)
    district = models.CharField(_("område"), max_length=100, blank=True)
    category = models.CharField(_("kategori"), max_length=100, blank=True)
    proposed_cost = models.DecimalField(
        _("ungefärlig kostnad enligt förslagsställaren (kr)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    cost = models.DecimalField(
        _("kostnad enligt kommunen (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    review_reason = models.TextField(_("motivering"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_projects",
    )
    proposer_key = models.CharField(max_length=64, blank=True)
    submission_key = models.CharField(max_length=64, blank=True)
    external_id = models.CharField(_("id i Pabulib-fil"), max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("projekt")
        verbose_name_plural = _("projekt")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="unique_budget_project_submission",
            ),
            models.UniqueConstraint(
                fields=["budget", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_budget_project_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pb_id(self) -> str:
        return self.external_id or str(self.pk)


class Ballot(models.Model):
    """One eligible person's vote. The unique constraint makes a vote count exactly once."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    participant_key = models.CharField(max_length=100)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"project": <pk>, "points": n}, ...] in the voter's order (rank order when ranked).
    choices = models.JSONField(default=list)
    district = models.CharField(_("område"), max_length=100, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.DIGITAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paper_number = models.CharField(_("röstsedelns nummer"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "participant_key"], name="one_ballot_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"Röst {self.pk}"
