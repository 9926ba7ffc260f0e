from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from delaktig.participation.models import Channel

from .models import NAME_MAX, NEEDS_MAX, NOTE_MAX, Accessibility


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Namn eller signatur"),
        max_length=NAME_MAX,
        help_text=_("Du får använda en signatur i stället för ditt riktiga namn."),
    )
    email = forms.EmailField(
        label=_("E-post (frivilligt)"),
        required=False,
        help_text=_("Då får du en bekräftelse och en länk för att avboka."),
    )
    needs = forms.CharField(
        label=_("Behöver du stöd för att delta? (frivilligt)"),
        max_length=NEEDS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Till exempel teckenspråkstolk, tolk eller ledsagare."),
    )
    consent = forms.BooleanField(label=_("Jag har läst hur mina uppgifter hanteras"))


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Börjar"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Slutar"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    address = forms.CharField(label=_("Adress"), max_length=200, required=False)
    accessibility = forms.MultipleChoiceField(
        label=_("Tillgänglighet"),
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("Antal platser"),
        min_value=1,
        required=False,
        help_text=_("Lämna tomt om det inte finns tak."),
    )
    registration_open = forms.BooleanField(label=_("Anmälan är öppen"), required=False)
    consent_text = forms.CharField(
        label=_("Text om personuppgifter vid anmälan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lämna tomt för standardtexten."),
    )


class DocumentationForm(forms.Form):
    points = forms.CharField(
        label=_("Det här kom upp"),
        max_length=NOTE_MAX * 20,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("En sak per rad. Varje rad blir ett eget bidrag i sammanställningen."),
    )
    topic = forms.CharField(
        label=_("Ämne eller fråga (frivilligt)"), max_length=100, required=False
    )
    channel = forms.ChoiceField(
        label=_("Hur kom synpunkterna in?"),
        choices=[
            (Channel.MEETING, Channel.MEETING.label),
            (Channel.INTERVIEW, Channel.INTERVIEW.label),
        ],
        widget=forms.RadioSelect,
        initial=Channel.MEETING,
    )
    attendance = forms.IntegerField(label=_("Antal deltagare"), min_value=0, required=False)

    def clean_points(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["points"].splitlines() if line.strip()]
        for line in lines:
            if len(line) > NOTE_MAX:
                raise forms.ValidationError(
                    _("Varje rad får vara högst %(max)s tecken.") % {"max": NOTE_MAX}
                )
        return lines

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("points") and data.get("attendance") is None and not self.errors:
            raise forms.ValidationError(_("Skriv minst en sak som kom upp."))
        return data


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Meddelande till de anmälda"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
