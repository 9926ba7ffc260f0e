"""The compilation (sammanställning) of a dialogue: themes, coding and population data.

What the machine proposed and what a person decided are kept apart on every row:
`Theme.source` / `Theme.automatic_name` / `Theme.reviewed_by`, and
`ThemeAssignment.source` / `assigned_by`. Every official decision is also in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped
from delaktig.governance.models import Dialogue
from delaktig.organisation.models import Municipality
from delaktig.participation.models import Contribution


class CompilationStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publicerad")


class Compilation(TimeStamped):
    """Sammanställning: one per dialogue."""

    dialogue = models.OneToOneField(Dialogue, on_delete=models.CASCADE, related_name="compilation")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CompilationStatus.choices,
        default=CompilationStatus.DRAFT,
    )
    summary = models.TextField(
        _("sammanfattning"),
        blank=True,
        help_text=_("Vad kom fram i dialogen? Skriv på klarspråk, med korta meningar."),
    )
    next_steps = models.TextField(
        _("vad händer nu"),
        blank=True,
        help_text=_("Vem tar del av resultatet, när beslutet väntas och hur du får veta mer."),
    )
    method_notes = models.TextField(
        _("om metoden och underlaget"),
        blank=True,
        help_text=_("Till exempel bortfall, vilka som inte nåddes och hur teman togs fram."),
    )
    themes_run_at = models.DateTimeField(_("teman föreslogs"), null=True, blank=True)
    themes_run_info = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sammanställning")
        verbose_name_plural = _("sammanställningar")

    def __str__(self) -> str:
        return str(self.dialogue)

    @property
    def is_published(self) -> bool:
        return self.status == CompilationStatus.PUBLISHED


class ThemeSource(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatiskt förslag")
    MANUAL = "manual", _("Skapat av en person")


class ThemeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Förslag, inte granskat")
    ACCEPTED = "accepted", _("Godkänt")
    MERGED = "merged", _("Sammanslaget")
    REJECTED = "rejected", _("Avfärdat")


class ThemeQuerySet(models.QuerySet["Theme"]):
    def active(self) -> ThemeQuerySet:
        return self.filter(status__in=[ThemeStatus.PROPOSED, ThemeStatus.ACCEPTED])


class Theme(TimeStamped):
    compilation = models.ForeignKey(Compilation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    source = models.CharField(_("ursprung"), max_length=20, choices=ThemeSource.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ThemeStatus.choices, default=ThemeStatus.PROPOSED
    )
    # What the machine proposed, kept even after a person renames the theme.
    automatic_name = models.CharField(_("automatiskt namn"), max_length=200, blank=True)
    terms = models.JSONField(_("nyckelord"), default=list, blank=True)
    quote_ids = models.JSONField(_("representativa citat"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("granskat"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="split_into"
    )
    order = models.PositiveIntegerField(default=0)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("tema")
        verbose_name_plural = _("teman")

    def __str__(self) -> str:
        return self.name

    @property
    def was_renamed(self) -> bool:
        return bool(self.automatic_name) and self.automatic_name != self.name


class ThemeAssignment(models.Model):
    """A contribution coded with a theme, by the machine or by a person."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="assignments")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="theme_assignments"
    )
    source = models.CharField(_("ursprung"), max_length=20, choices=ThemeSource.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kodat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("kodat"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "contribution"], name="unique_theme_assignment"
            )
        ]
        indexes = [models.Index(fields=["contribution", "theme"])]


class PopulationTable(TimeStamped):
    """Population counts for a municipality (SCB-style), used for representativeness."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_tables"
    )
    name = models.CharField(_("namn"), max_length=200)
    source = models.TextField(_("källa"), blank=True)
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    is_sample = models.BooleanField(_("exempeldata"), default=False)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("befolkningstabell")
        verbose_name_plural = _("befolkningstabeller")

    def __str__(self) -> str:
        return self.name


class PopulationCell(models.Model):
    """Number of people of one sex, in one age range, in one district ("" = whole)."""

    table = models.ForeignKey(PopulationTable, on_delete=models.CASCADE, related_name="cells")
    district = models.CharField(max_length=200, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField(help_text="inclusive; 200 for open-ended")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["district", "gender", "age_from"]
