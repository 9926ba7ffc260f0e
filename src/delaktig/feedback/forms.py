"""Forms: Swedish labels and error messages; every field has a label."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from delaktig.feedback.models import HandlingOutcome, ImplementationStatus
from delaktig.governance.models import Alternative, Dialogue
from delaktig.organisation.models import Body

TEXT_MAX = 20000


class FeedbackForm(forms.Form):
    results_summary = forms.CharField(
        label=_("Resultatet i korthet"),
        help_text=_("Vad kom fram i dialogen? Skriv så att alla förstår."),
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"required": _("Beskriv resultatet av dialogen.")},
    )
    participation_effect = forms.CharField(
        label=_("Så påverkade deltagandet processen"),
        help_text=_("Obligatoriskt. Vad ändrades, eller varför ändrades inget?"),
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"required": _("Beskriv hur deltagandet påverkade processen.")},
    )
    next_steps = forms.CharField(
        label=_("Det här händer nu"),
        required=False,
        widget=forms.Textarea,
        max_length=TEXT_MAX,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in ("results_summary", "participation_effect"):
            if field in data and not data[field].strip():
                self.add_error(field, _("Fältet får inte bara innehålla mellanslag."))
        return data


class ReportForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ"),
        queryset=Body.objects.none(),
        error_messages={
            "required": _("Välj organet som fick återkopplingen."),
            "invalid_choice": _("Välj ett organ i listan."),
        },
    )
    meeting_date = forms.DateField(
        label=_("Sammanträdesdatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Ange datum."), "invalid": _("Ange datum som ÅÅÅÅ-MM-DD.")},
    )
    paragraph = forms.CharField(
        label=_("Paragraf (§)"), max_length=20, error_messages={"required": _("Ange paragraf.")}
    )
    case_number = forms.CharField(
        label=_("Diarienummer"),
        max_length=40,
        error_messages={"required": _("Ange diarienummer.")},
    )
    note = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea, max_length=5000
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        field.queryset = Body.objects.filter(municipality=dialogue.municipality)  # type: ignore[attr-defined]
        if dialogue.owner_body_id and not self.is_bound:
            field.initial = dialogue.owner_body_id


class HandlingForm(forms.Form):
    alternative = forms.ModelChoiceField(
        label=_("Förslag i dialogen (frivilligt)"),
        queryset=Alternative.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Välj ett förslag i listan.")},
    )
    title = forms.CharField(
        label=_("Tema eller förslag"),
        max_length=200,
        required=False,
        help_text=_("Lämna tomt om du valt ett förslag ovan."),
    )
    outcome = forms.ChoiceField(
        label=_("Hur hanterades det i beslutet?"),
        choices=HandlingOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj hur förslaget hanterades."),
            "invalid_choice": _("Välj ett av alternativen."),
        },
    )
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"required": _("Motivera hur förslaget hanterades.")},
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alternative"].queryset = dialogue.alternatives.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title") or "").strip() and not data.get("alternative"):
            self.add_error("title", _("Ange tema eller förslag, eller välj ett förslag."))
        return data


class ImplementationForm(forms.Form):
    implementation_status = forms.ChoiceField(
        label=_("Genomförande"),
        choices=ImplementationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj status för genomförandet."),
            "invalid_choice": _("Välj ett av alternativen."),
        },
    )
    implementation_date = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange datum som ÅÅÅÅ-MM-DD.")},
    )
    implementation_note = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea, max_length=TEXT_MAX
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("implementation_status") in (
            ImplementationStatus.DONE,
            ImplementationStatus.NOT_DONE,
        ) and not data.get("implementation_date"):
            self.add_error(
                "implementation_date", _("Ange datum när genomförandet blev klart eller avbröts.")
            )
        return data


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Din e-postadress"),
        max_length=254,
        help_text=_(
            "Vi mejlar en länk som du klickar på för att bekräfta. Du kan sluta följa när du vill."
        ),
        error_messages={
            "required": _("Skriv din e-postadress."),
            "invalid": _("Skriv en giltig e-postadress, till exempel namn@exempel.se."),
        },
    )
