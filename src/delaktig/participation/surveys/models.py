"""Surveys (enkät): questions, responses and answers stored for fast aggregation.

Answers are written only when a response is SUBMITTED (drafts keep their raw input in
`Response.draft`), so every `Answer` row counts and statistics never need to filter on
response status. One row per atomic value keeps aggregation in the database:

- single choice:   item=0,          option=index of the chosen option
- multiple choice: item=option idx, option=index (one row per ticked option)
- scale:           item=0,          number=value (and option=value as an int)
- number:          item=0,          number=value
- free text:       item=0,          text
- ranking:         item=option idx, option=index, number=rank (1 = first)
- matrix:          item=row index,  option=column index
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from delaktig.core.models import TimeStamped
from delaktig.participation.models import Activity

TEXT_MAX_LENGTH = 4000
DEMOGRAPHIC_KEYS = ["age_band", "gender", "district", "education", "occupation", "years_lived"]
DEMOGRAPHIC_LABELS = {
    "age_band": _("Ålder"),
    "gender": _("Kön"),
    "district": _("Område"),
    "education": _("Utbildning"),
    "occupation": _("Sysselsättning"),
    "years_lived": _("Tid i kommunen"),
}
AGE_BANDS = ["0-12", "13-15", "16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
GENDERS = [("kvinna", _("Kvinna")), ("man", _("Man")), ("annat", _("Annat"))]


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Ett svarsalternativ")
    MULTIPLE = "multiple", _("Flera svarsalternativ")
    SCALE = "scale", _("Skala")
    RANKING = "ranking", _("Rangordning")
    TEXT = "text", _("Fritext")
    MATRIX = "matrix", _("Matris")
    NUMBER = "number", _("Tal")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}


class Survey(TimeStamped):
    """One per activity with method "survey"."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="survey")
    intro = models.TextField(_("inledning"), blank=True)
    one_page = models.BooleanField(
        _("alla frågor på en sida"),
        default=False,
        help_text=_("Annars visas frågorna sida för sida enligt frågornas sidnummer."),
    )
    ask_demographics = models.BooleanField(
        _("fråga om ålder, kön och område (frivilligt)"), default=True
    )
    districts = models.JSONField(_("områden att välja bland"), default=list, blank=True)
    thanks_text = models.TextField(_("tack-text"), blank=True)

    class Meta:
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")

    def __str__(self) -> str:
        return self.activity.title


class Question(TimeStamped):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("ordning"), default=0)
    page = models.PositiveSmallIntegerField(_("sida"), default=1)
    kind = models.CharField(_("typ av fråga"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("fråga"), max_length=500)
    simple_label = models.CharField(_("frågan på lätt svenska"), max_length=500, blank=True)
    help_text = models.TextField(_("hjälptext"), blank=True)
    required = models.BooleanField(_("obligatorisk"), default=False)
    options = models.JSONField(_("svarsalternativ"), default=list, blank=True)
    matrix_rows = models.JSONField(_("matrisens rader"), default=list, blank=True)
    scale_min = models.IntegerField(_("skalans lägsta värde"), default=1)
    scale_max = models.IntegerField(_("skalans högsta värde"), default=5)
    scale_min_label = models.CharField(_("text för lägsta värdet"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("text för högsta värdet"), max_length=100, blank=True)
    number_min = models.FloatField(_("minsta tal"), null=True, blank=True)
    number_max = models.FloatField(_("största tal"), null=True, blank=True)
    max_length = models.PositiveIntegerField(_("högst antal tecken"), default=2000)
    # Conditional display: show only if the answer to an earlier question is one of these.
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("visa bara om frågan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    condition_options = models.JSONField(_("har något av svaren"), default=list, blank=True)
    import_column = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")

    def __str__(self) -> str:
        return self.label

    @property
    def is_conditional(self) -> bool:
        return self.condition_question_id is not None and bool(self.condition_options)

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    def option_label(self, index: int | None) -> str:
        if index is None:
            return ""
        if self.kind == QuestionKind.SCALE:
            return str(index)
        if 0 <= index < len(self.options):
            return str(self.options[index])
        return str(index)

    def condition_holds(self, answers: dict[int, Any]) -> bool:
        """Whether this question is shown, given the cleaned answers so far."""
        if not self.is_conditional:
            return True
        given = answers.get(self.condition_question_id)  # type: ignore[arg-type]
        if given is None or given == "" or given == []:
            return False
        wanted = {int(v) for v in self.condition_options}
        chosen = given if isinstance(given, list) else [given]
        try:
            return any(int(v) in wanted for v in chosen)
        except (TypeError, ValueError):
            return False

    def condition_text(self) -> str:
        if not self.is_conditional or self.condition_question is None:
            return ""
        parent = self.condition_question
        labels = ", ".join(parent.option_label(int(v)) for v in self.condition_options)
        return str(_("Visas för den som svarade %(answers)s på frågan ”%(question)s”.")) % {
            "answers": labels,
            "question": parent.label,
        }


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inskickad")


class ResponseChannel(models.TextChoices):
    DIGITAL = "digital", _("Digitalt")
    PAPER = "paper", _("Papper")
    IMPORT = "import", _("Importerad")


def new_resume_token() -> str:
    return secrets.token_urlsafe(24)


class ResponseQuerySet(models.QuerySet["Response"]):
    def submitted(self) -> ResponseQuerySet:
        return self.filter(status=ResponseStatus.SUBMITTED)


class Response(TimeStamped):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(
        max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    channel = models.CharField(
        max_length=20, choices=ResponseChannel.choices, default=ResponseChannel.DIGITAL
    )
    participant_key = models.CharField(max_length=64, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inmatad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resume_token = models.CharField(max_length=64, unique=True, default=new_resume_token)
    draft = models.JSONField(default=dict, blank=True)
    page = models.PositiveSmallIntegerField(default=1)
    demographics_consent = models.BooleanField(default=False)
    demographics = models.JSONField(default=dict, blank=True)
    source_ref = models.CharField(_("id i källfilen"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    contribution = models.OneToOneField(
        "participation.Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("svar på enkät")
        verbose_name_plural = _("svar på enkät")
        indexes = [models.Index(fields=["survey", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "participant_key"],
                condition=~models.Q(participant_key=""),
                name="one_response_per_participant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    item = models.PositiveSmallIntegerField(default=0)
    option = models.IntegerField(null=True, blank=True)
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        indexes = [
            models.Index(fields=["question", "option"]),
            models.Index(fields=["question", "number"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "item"], name="one_answer_per_item"
            )
        ]


class SurveyImport(TimeStamped):
    """An uploaded file waiting for its column mapping (nothing imported until confirmed)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    imported_count = models.PositiveIntegerField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("import av enkätsvar")
        verbose_name_plural = _("importer av enkätsvar")
