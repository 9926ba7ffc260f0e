"""Forms validate input and say what is wrong in plain Swedish."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.governance.models import (
    PLAN_FIELDS,
    AssignmentConsideration,
    Decision,
    Dialogue,
    ProposerKind,
    TargetGroup,
    TeamRole,
)
from delaktig.organisation.models import Body, Gate

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Vad vill du att vi för dialog om?"), max_length=200)
    description = forms.CharField(
        label=_("Beskriv idén"),
        widget=forms.Textarea,
        max_length=5000,
        help_text=_("Vad gäller frågan, och varför är det viktigt att invånarna får vara med?"),
    )
    proposer_kind = forms.ChoiceField(
        label=_("Jag föreslår som"), choices=ProposerKind.choices, initial=ProposerKind.RESIDENT
    )
    proposer_name = forms.CharField(
        label=_("Namn eller organisation (frivilligt)"), max_length=200, required=False
    )
    proposer_email = forms.EmailField(
        label=_("E-post om du vill få svar (frivilligt)"),
        required=False,
        help_text=_("Vi använder adressen bara för att berätta vad som händer med idén."),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class AssessmentForm(forms.Form):
    needs_residents_knowledge = forms.TypedChoiceField(
        label=_(
            "1. Behöver de förtroendevalda mer kunskap om invånarnas värderingar, åsikter och "
            "prioriteringar i frågan?"
        ),
        choices=[("yes", _("Ja")), ("no", _("Nej"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    open_to_influence = forms.TypedChoiceField(
        label=_("2. Är frågan påverkbar, och är politikerna öppna för att låta sig påverkas?"),
        choices=[("yes", _("Ja")), ("no", _("Nej"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    benefit = forms.CharField(label=_("Nytta"), widget=forms.Textarea, max_length=5000)
    purpose = forms.CharField(label=_("Syfte"), widget=forms.Textarea, max_length=5000)


class InformationEffortForm(forms.Form):
    why_decided = forms.CharField(
        label=_("Varför har vi tagit det här beslutet?"), widget=forms.Textarea, max_length=5000
    )
    why_no_dialogue = forms.CharField(
        label=_("Varför har vi inte ordnat en medborgardialog?"),
        widget=forms.Textarea,
        max_length=5000,
    )
    held_on = forms.DateField(label=_("Datum (frivilligt)"), required=False, widget=DateInput())
    place = forms.CharField(label=_("Plats eller kanal"), required=False, max_length=200)
    what_was_said = forms.CharField(
        label=_("Det här informerade vi om (frivilligt)"),
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )


DECISION_FIELDS = [
    "body",
    "decided_on",
    "paragraph",
    "case_number",
    "outcome",
    "rationale",
    "deviation_reason",
]


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["gate", *DECISION_FIELDS]
        widgets = {
            "decided_on": DateInput(),
            "rationale": forms.Textarea,
            "deviation_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "case_number": _("Till exempel KS 2026/123. Behövs inte för en förankring."),
            "paragraph": _("Paragrafen i protokollet, till exempel 45."),
            "deviation_reason": _(
                "Fyll bara i om ett annat organ än det policyn anger har beslutat. "
                "Avvikelsen visas öppet."
            ),
        }

    def __init__(self, *args, municipality=None, bodies=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        queryset = Body.objects.filter(municipality=municipality)
        if bodies is not None:
            queryset = queryset.filter(pk__in=bodies)
        self.fields["body"].queryset = queryset
        if "gate" in self.fields:
            self.fields["gate"].choices = Gate.choices


class CorrectionForm(DecisionForm):
    """A rättelse: the same fields as a decision, without the gate, and why."""

    correction_reason = forms.CharField(
        label=_("Varför rättas beslutet?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )

    class Meta(DecisionForm.Meta):
        fields = DECISION_FIELDS


class OutcomeForm(forms.Form):
    final_decision_summary = forms.CharField(
        label=_("Beslutet i korthet"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Beskriv beslutet i korthet.")},
    )
    influence_on_decision = forms.CharField(
        label=_("Så påverkade dialogen beslutet"),
        help_text=_("Vad i beslutet kommer från invånarnas synpunkter, och vad gjorde det inte?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": _("Beskriv hur dialogen påverkade beslutet.")},
    )


class PlanForm(forms.ModelForm):
    class Meta:
        model = Dialogue
        fields = PLAN_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "decision_expected_on": DateInput(),
            "feedback_due": DateInput(),
            "concerned_bodies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, municipality=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        bodies = Body.objects.filter(municipality=municipality)
        self.fields["owner_body"].queryset = bodies
        self.fields["concerned_bodies"].queryset = bodies
        self.fields["office"].queryset = self.fields["office"].queryset.filter(
            municipality=municipality
        )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Dialogen kan inte stänga innan den öppnar."))
        feedback = data.get("feedback_due")
        if feedback and ends and feedback < ends:
            self.add_error("feedback_due", _("Återkopplingen kan inte ske innan dialogen stängt."))
        year = data.get("period_start_year")
        this_year = datetime.date.today().year
        if year and not this_year - 3 <= year <= this_year + 10:
            self.add_error(
                "period_start_year",
                _("Ange ett startår mellan %(first)s och %(last)s.")
                % {"first": this_year - 3, "last": this_year + 10},
            )
        return data


class TeamMemberForm(forms.Form):
    user: forms.ModelChoiceField[AbstractUser] = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,  # type: ignore[arg-type]  # set in __init__
    )
    role = forms.ChoiceField(label=_("Roll"), choices=TeamRole.choices)

    def __init__(self, *args, users=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class TargetGroupForm(forms.ModelForm):
    class Meta:
        model = TargetGroup
        fields = ["name", "priority", "outreach", "children_and_young"]


class AlternativeForm(forms.Form):
    title = forms.CharField(label=_("Förslag"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), widget=forms.Textarea, required=False, max_length=5000
    )


class ConsiderationForm(forms.ModelForm):
    """G6: record, and later update, how an assignment was considered for dialogue."""

    class Meta:
        model = AssignmentConsideration
        fields = [
            "title",
            "case_number",
            "body",
            "considered_on",
            "outcome",
            "reason",
            "dialogue",
            "unlinked_reason",
        ]
        widgets = {
            "considered_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "unlinked_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "case_number": _("Till exempel KS 2026/123."),
            "reason": _("Varför blev utfallet det här? Blir det ingen dialog: skriv varför."),
            "dialogue": _(
                "Dialogen som uppdraget ledde till, eller ärendet där svaret blev nej. "
                "Uppdrag under prövning kan kopplas senare."
            ),
            "unlinked_reason": _(
                "Fyll i om utfallet är dialog men ingen dialog är kopplad, till exempel om "
                "samrådet hålls i ett annat system."
            ),
        }
        error_messages = {
            "title": {"required": _("Skriv vilket uppdrag som prövades.")},
            "considered_on": {
                "required": _("Ange datum för prövningen."),
                "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-01."),
            },
            "outcome": {
                "required": _("Välj utfall."),
                "invalid_choice": _("Välj ett av utfallen i listan."),
            },
            "reason": {"required": _("Skriv skälet till utfallet.")},
            "dialogue": {"invalid_choice": _("Välj en dialog i kommunens lista.")},
            "body": {"invalid_choice": _("Välj ett organ i kommunens lista.")},
        }

    def __init__(self, *args, municipality=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(municipality=municipality)
        dialogue_field = cast(forms.ModelChoiceField, self.fields["dialogue"])
        dialogue_field.queryset = Dialogue.objects.filter(municipality=municipality).order_by(
            "title"
        )
        dialogue_field.label_from_instance = lambda d: f"{d.title} ({d.get_status_display()})"  # type: ignore[method-assign]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        considered_on = data.get("considered_on")
        if considered_on and considered_on > timezone.localdate():
            self.add_error("considered_on", _("Datumet för prövningen kan inte ligga i framtiden."))
        if (
            data.get("outcome") == AssignmentConsideration.Outcome.DIALOGUE
            and not data.get("dialogue")
            and not (data.get("unlinked_reason") or "").strip()
        ):
            self.add_error(
                "dialogue",
                _(
                    "Utfallet är dialog: koppla dialogen, eller skriv varför ingen dialog är "
                    "kopplad."
                ),
            )
        return data


class NewDialogueForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning av uppdraget"), widget=forms.Textarea, max_length=5000
    )
