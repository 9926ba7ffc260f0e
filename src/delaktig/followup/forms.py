"""Forms for evaluations. Radio groups render in fieldset + legend."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

SCALE_CHOICES = [
    ("1", _("1 – inte alls")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 – helt och hållet")),
]
SCALE_ERRORS = {
    "required": _("Välj en siffra från 1 till 5."),
    "invalid_choice": _("Välj en siffra från 1 till 5."),
}


def _scale(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=SCALE_ERRORS,
    )


class ParticipantEvaluationForm(forms.Form):
    question_clear = _scale(_("Var frågan i dialogen tydlig?"))
    understood_influence = _scale(_("Förstod du hur mycket du kunde påverka?"))
    got_feedback = _scale(_("Fick du återkoppling om vad som hände med synpunkterna?"))
    comment = forms.CharField(
        label=_("Vill du säga något mer? (frivilligt)"),
        help_text=_("Skriv inte ditt namn eller andra personuppgifter. Svaret är anonymt."),
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"max_length": _("Skriv högst 5 000 tecken.")},
    )


class OrganiserEvaluationForm(forms.Form):
    what_worked = forms.CharField(
        label=_("Det här fungerade bra"),
        widget=forms.Textarea,
        max_length=20000,
        error_messages={"required": _("Beskriv vad som fungerade bra.")},
    )
    what_to_improve = forms.CharField(
        label=_("Det här gör vi bättre nästa gång"),
        widget=forms.Textarea,
        max_length=20000,
        error_messages={"required": _("Beskriv vad ni kan göra bättre.")},
    )
    reach = forms.CharField(
        label=_("Så nådde vi målgrupperna"),
        help_text=_("Vilka nådde ni, vilka nådde ni inte, och barn och unga?"),
        widget=forms.Textarea,
        max_length=20000,
        error_messages={"required": _("Beskriv hur ni nådde målgrupperna.")},
    )
    target_groups_reached = forms.IntegerField(
        label=_("Antal målgrupper som vi nådde"),
        min_value=0,
        max_value=1000,
        error_messages={
            "required": _("Ange antal målgrupper som ni nådde."),
            "invalid": _("Ange ett heltal."),
            "min_value": _("Ange 0 eller mer."),
            "max_value": _("Talet är för stort."),
        },
    )
    effects_on_decision = forms.CharField(
        label=_("Effekter på beslutet"),
        widget=forms.Textarea,
        max_length=20000,
        error_messages={"required": _("Beskriv vilka effekter dialogen fick på beslutet.")},
    )

    def __init__(self, *args: Any, groups: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.fields["target_groups_reached"].help_text = _("Dialogen har %(n)s målgrupper.") % {
            "n": groups
        }

    def clean_target_groups_reached(self) -> int:
        value = self.cleaned_data["target_groups_reached"]
        if value > self.groups:
            raise forms.ValidationError(
                _("Dialogen har %(n)s målgrupper: ange ett tal från 0 till %(n)s.")
                % {"n": self.groups}
            )
        return int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("what_worked", "what_to_improve", "reach", "effects_on_decision"):
            if name in data and not data[name].strip():
                self.add_error(name, _("Fältet får inte bara innehålla mellanslag."))
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
