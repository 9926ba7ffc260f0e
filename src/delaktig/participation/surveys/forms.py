"""Forms: the resident's (and the paper form's) answers, and the officials' survey builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.core.parsing import parse_int
from delaktig.participation.surveys.models import (
    AGE_BANDS,
    DEMOGRAPHIC_KEYS,
    GENDERS,
    Question,
    QuestionKind,
    Survey,
)

REQUIRED = gettext_lazy("Svara på frågan.")


def field_names(question: Question) -> list[str]:
    """The form field names that carry one question's answer."""
    base = f"q{question.pk}"
    if question.kind == QuestionKind.RANKING:
        return [f"{base}_r{i}" for i in range(len(question.options))]
    if question.kind == QuestionKind.MATRIX:
        return [f"{base}_m{i}" for i in range(len(question.matrix_rows))]
    return [base]


def _choices(labels: list[Any]) -> list[tuple[str, str]]:
    return [(str(i), str(label)) for i, label in enumerate(labels)]


def question_label(question: Question, simple: bool) -> str:
    return question.simple_label if simple and question.simple_label else question.label


@dataclass
class QuestionBlock:
    """What a template needs to render one question (fieldset or single field)."""

    question: Question
    label: str
    fields: list[Any] = field(default_factory=list)
    grouped: bool = True  # render as fieldset + legend
    number: int = 0

    @property
    def errors(self) -> list[str]:
        return [str(e) for f in self.fields for e in f.errors]


class AnswerForm(forms.Form):
    """Answers to a set of questions. `enforce_required=False` for saving a draft."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        enforce_required: bool = True,
        simple: bool = False,
        ask_demographics: bool = False,
        districts: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.simple = simple
        self.enforce_required = enforce_required
        self.ask_demographics = ask_demographics
        for q in questions:
            self._add_fields(q)
        if ask_demographics:
            self._add_demographic_fields(districts or [])

    # --- building ---------------------------------------------------------------------

    def _add_fields(self, q: Question) -> None:
        label = question_label(q, self.simple)
        req = q.required and self.enforce_required
        messages = {"required": REQUIRED}
        name = f"q{q.pk}"
        if q.kind == QuestionKind.SINGLE:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=_choices(q.options),
                widget=forms.RadioSelect,
                required=req,
                error_messages={**messages, "invalid_choice": _("Välj ett av alternativen.")},
            )
        elif q.kind == QuestionKind.MULTIPLE:
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                choices=_choices(q.options),
                widget=forms.CheckboxSelectMultiple,
                required=req,
                error_messages={**messages, "invalid_choice": _("Välj bland alternativen.")},
            )
        elif q.kind == QuestionKind.SCALE:
            choices = []
            for v in q.scale_values:
                text = str(v)
                if v == q.scale_min and q.scale_min_label:
                    text = f"{v} – {q.scale_min_label}"
                elif v == q.scale_max and q.scale_max_label:
                    text = f"{v} – {q.scale_max_label}"
                choices.append((str(v), text))
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                required=req,
                error_messages={**messages, "invalid_choice": _("Välj ett värde på skalan.")},
            )
        elif q.kind == QuestionKind.NUMBER:
            self.fields[name] = forms.FloatField(
                label=label,
                required=req,
                min_value=q.number_min,
                max_value=q.number_max,
                localize=True,
                error_messages={**messages, "invalid": _("Skriv ett tal, till exempel 12.")},
            )
        elif q.kind == QuestionKind.TEXT:
            self.fields[name] = forms.CharField(
                label=label,
                required=req,
                max_length=q.max_length,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    **messages,
                    "max_length": _(
                        "Skriv högst %(limit_value)d tecken (du skrev %(show_value)d)."
                    ),
                },
            )
        elif q.kind == QuestionKind.RANKING:
            n = len(q.options)
            for i, option in enumerate(q.options):
                self.fields[f"{name}_r{i}"] = forms.ChoiceField(
                    label=str(option),
                    choices=[("", _("Välj plats"))] + [(str(r), str(r)) for r in range(1, n + 1)],
                    required=False,
                )
        elif q.kind == QuestionKind.MATRIX:
            for i, row in enumerate(q.matrix_rows):
                self.fields[f"{name}_m{i}"] = forms.ChoiceField(
                    label=str(row),
                    choices=_choices(q.options),
                    widget=forms.RadioSelect,
                    required=False,
                    error_messages={"invalid_choice": _("Välj ett av alternativen.")},
                )

    def _add_demographic_fields(self, districts: list[str]) -> None:
        self.fields["demo_consent"] = forms.BooleanField(
            label=_(
                "Ja, kommunen får spara min ålder, mitt kön och mitt område tillsammans med "
                "mina svar för att se vilka grupper som har svarat."
            ),
            required=False,
        )
        self.fields["demo_age_band"] = forms.ChoiceField(
            label=_("Ålder"),
            choices=[("", _("Vill inte svara"))] + [(a, a.replace("-", "–")) for a in AGE_BANDS],
            required=False,
        )
        self.fields["demo_gender"] = forms.ChoiceField(
            label=_("Kön"),
            choices=[("", _("Vill inte svara"))] + [(k, str(v)) for k, v in GENDERS],
            required=False,
        )
        if districts:
            self.fields["demo_district"] = forms.ChoiceField(
                label=_("Område där du bor"),
                choices=[("", _("Vill inte svara"))] + [(d, d) for d in districts],
                required=False,
            )
        else:
            self.fields["demo_district"] = forms.CharField(
                label=_("Område där du bor"), required=False, max_length=100
            )

    # --- validation -------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        for q in self.questions:
            if q.kind == QuestionKind.RANKING:
                names = field_names(q)
                ranks = [data.get(n) for n in names]
                given = [r for r in ranks if r]
                if len(given) != len(set(given)):
                    self.add_error(names[0], _("Varje plats får bara användas en gång."))
                elif q.required and self.enforce_required and not given:
                    self.add_error(names[0], REQUIRED)
            elif q.kind == QuestionKind.MATRIX:
                names = field_names(q)
                if q.required and self.enforce_required:
                    for n in names:
                        if n in data and data.get(n) in (None, ""):
                            self.add_error(n, REQUIRED)
        return data

    # --- reading ----------------------------------------------------------------------

    def answers(self) -> dict[int, Any]:
        """Cleaned answers keyed by question id; unanswered questions are left out."""
        out: dict[int, Any] = {}
        data = self.cleaned_data
        for q in self.questions:
            value = value_from_cleaned(q, data)
            if value is not None:
                out[q.pk] = value
        return out

    def demographics(self) -> tuple[bool, dict[str, str]]:
        if not self.ask_demographics:
            return False, {}
        data = self.cleaned_data
        consent = bool(data.get("demo_consent"))
        values = {
            key: str(data.get(f"demo_{key}") or "").strip()
            for key in ("age_band", "gender", "district")
        }
        return consent, {k: v for k, v in values.items() if v}

    def blocks(self) -> list[QuestionBlock]:
        result = []
        for q in self.questions:
            bound = [self[n] for n in field_names(q)]
            grouped = q.kind not in (QuestionKind.NUMBER, QuestionKind.TEXT)
            result.append(
                QuestionBlock(
                    question=q,
                    label=question_label(q, self.simple),
                    fields=bound,
                    grouped=grouped,
                    number=q.display_number if hasattr(q, "display_number") else 0,
                )
            )
        return result

    def demographic_fields(self) -> list[Any]:
        if not self.ask_demographics:
            return []
        return [self[n] for n in ("demo_age_band", "demo_gender", "demo_district")]


def value_from_cleaned(q: Question, data: dict[str, Any]) -> Any:
    name = f"q{q.pk}"
    if q.kind == QuestionKind.SINGLE or q.kind == QuestionKind.SCALE:
        v = data.get(name)
        return int(v) if v not in (None, "") else None
    if q.kind == QuestionKind.MULTIPLE:
        v = data.get(name) or []
        return sorted(int(x) for x in v) or None
    if q.kind == QuestionKind.NUMBER:
        v = data.get(name)
        return float(v) if v is not None else None
    if q.kind == QuestionKind.TEXT:
        v = (data.get(name) or "").strip()
        return v or None
    if q.kind == QuestionKind.RANKING:
        ranks = [data.get(n) for n in field_names(q)]
        if not any(ranks):
            return None
        return [int(r) if r else None for r in ranks]
    if q.kind == QuestionKind.MATRIX:
        cols = [data.get(n) for n in field_names(q)]
        if not any(c not in (None, "") for c in cols):
            return None
        return [int(c) if c not in (None, "") else None for c in cols]
    return None


def lenient_answers(questions: list[Question], raw: dict[str, Any]) -> dict[int, Any]:
    """Answers from a saved draft, ignoring anything invalid (for evaluating conditions)."""
    form = AnswerForm(data=_as_querydict(raw), questions=questions, enforce_required=False)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    out: dict[int, Any] = {}
    for q in questions:
        if all(n in data for n in field_names(q)):
            value = value_from_cleaned(q, data)
            if value is not None:
                out[q.pk] = value
    return out


def _as_querydict(raw: dict[str, Any]) -> Any:
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    for key, value in raw.items():
        if isinstance(value, list):
            qd.setlist(key, [str(v) for v in value])
        else:
            qd[key] = str(value)
    return qd


def raw_from_post(questions: list[Question], post: Any, ask_demographics: bool) -> dict[str, Any]:
    """The raw values for these questions, to keep in the draft."""
    raw: dict[str, Any] = {}
    for q in questions:
        for n in field_names(q):
            if q.kind == QuestionKind.MULTIPLE:
                raw[n] = post.getlist(n)
            elif n in post:
                raw[n] = post.get(n, "")
    if ask_demographics:
        for key in ("demo_consent", "demo_age_band", "demo_gender", "demo_district"):
            if key in post:
                raw[key] = post.get(key, "")
    return raw


# --- Officials ------------------------------------------------------------------------


class SurveySettingsForm(forms.ModelForm):
    districts_text = forms.CharField(
        label=gettext_lazy("Områden att välja bland (ett per rad)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Survey
        fields = ["intro", "one_page", "ask_demographics", "thanks_text"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "thanks_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["districts_text"].initial = "\n".join(self.instance.districts)

    def districts(self) -> list[str]:
        text = self.cleaned_data.get("districts_text") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Typ av fråga"), choices=QuestionKind.choices)
    label = forms.CharField(label=gettext_lazy("Fråga"), max_length=500)
    simple_label = forms.CharField(
        label=gettext_lazy("Frågan på lätt svenska (för barn och unga)"),
        max_length=500,
        required=False,
    )
    help_text = forms.CharField(
        label=gettext_lazy("Hjälptext"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=gettext_lazy("Obligatorisk"), required=False)
    options_text = forms.CharField(
        label=gettext_lazy("Svarsalternativ (ett per rad)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    matrix_rows_text = forms.CharField(
        label=gettext_lazy("Matrisens rader (en per rad)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scale_min = forms.IntegerField(label=gettext_lazy("Skalans lägsta värde"), initial=1)
    scale_max = forms.IntegerField(label=gettext_lazy("Skalans högsta värde"), initial=5)
    scale_min_label = forms.CharField(
        label=gettext_lazy("Text för lägsta värdet"), max_length=100, required=False
    )
    scale_max_label = forms.CharField(
        label=gettext_lazy("Text för högsta värdet"), max_length=100, required=False
    )
    max_length = forms.IntegerField(
        label=gettext_lazy("Högst antal tecken (fritext)"),
        initial=2000,
        min_value=1,
        max_value=4000,
    )
    page = forms.IntegerField(label=gettext_lazy("Sida"), initial=1, min_value=1, max_value=50)
    condition_question = forms.TypedChoiceField(
        label=gettext_lazy("Visa bara om svaret på frågan"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    condition_options_text = forms.CharField(
        label=gettext_lazy("är något av (alternativens nummer, t.ex. 1, 3)"),
        required=False,
        max_length=100,
    )

    def __init__(self, *args: Any, survey: Survey, exclude_id: int | None = None, **kw: Any):
        kw.setdefault("label_suffix", "")
        super().__init__(*args, **kw)
        candidates = survey.questions.filter(
            kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE]
        )
        if exclude_id:
            candidates = candidates.exclude(pk=exclude_id)
        cast(forms.ChoiceField, self.fields["condition_question"]).choices = [
            ("", _("Visa alltid"))
        ] + [(str(q.pk), q.label) for q in candidates]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        kind = data.get("kind")
        options = _lines(data.get("options_text", ""))
        rows = _lines(data.get("matrix_rows_text", ""))
        data["options"] = options
        data["matrix_rows"] = rows
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING) and (
            len(options) < 2
        ):
            self.add_error("options_text", _("Skriv minst två svarsalternativ, ett per rad."))
        if kind == QuestionKind.MATRIX:
            if len(options) < 2:
                self.add_error("options_text", _("Skriv minst två svarsalternativ, ett per rad."))
            if not rows:
                self.add_error("matrix_rows_text", _("Skriv minst en rad i matrisen."))
        if kind == QuestionKind.SCALE:
            lo, hi = data.get("scale_min"), data.get("scale_max")
            if lo is not None and hi is not None and not (lo < hi <= lo + 20):
                self.add_error("scale_max", _("Skalan ska ha mellan 2 och 21 steg."))
        numbers: list[int] = []
        text = data.get("condition_options_text") or ""
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            number = parse_int(part, signed=True)
            if number is None:
                self.add_error(
                    "condition_options_text", _("Skriv alternativens nummer, t.ex. 1, 3.")
                )
                break
            numbers.append(number)
        data["condition_numbers"] = numbers
        if data.get("condition_question") and not numbers:
            self.add_error("condition_options_text", _("Ange vilka svar som ska visa frågan."))
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil med svar (CSV eller XLSX)"),
        help_text=gettext_lazy("Första raden ska innehålla kolumnernas namn."),
    )


DEMOGRAPHIC_TARGETS = [f"demo:{k}" for k in DEMOGRAPHIC_KEYS]
__all__ = ["AnswerForm", "QuestionForm", "SurveySettingsForm", "ImportUploadForm"]
