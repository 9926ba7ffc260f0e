"""Forms for medborgarbudget. The ballot form is built from the budget's projects."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.participation.budgets.models import (
    BallotType,
    Budget,
    Phase,
    Project,
    TieBreak,
)


def new_submission_key() -> str:
    return secrets.token_urlsafe(16)


class BallotForm(forms.Form):
    """Fields: `projekt` (checkboxes/radio) or `poang-<pk>` / `rang-<pk>` per project."""

    def __init__(self, *args: Any, budget: Budget, projects: list[Project], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.projects = projects
        kind = budget.ballot_type
        choices = [(str(p.pk), p.title) for p in projects]
        if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
            self.fields["projekt"] = forms.MultipleChoiceField(
                label=_("Projekt"),
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("Ett valt projekt finns inte på röstsedeln.")},
            )
        elif kind == BallotType.CHOOSE_ONE:
            self.fields["projekt"] = forms.ChoiceField(
                label=_("Projekt"),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Det valda projektet finns inte på röstsedeln.")
                },
            )
        elif kind == BallotType.CUMULATIVE:
            for p in projects:
                self.fields[f"poang-{p.pk}"] = forms.IntegerField(
                    label=_("Poäng till %(t)s") % {"t": p.title},
                    min_value=0,
                    max_value=budget.points_total,
                    required=False,
                    error_messages={
                        "invalid": _("Skriv ett heltal."),
                        "min_value": _("Poäng kan inte vara negativa."),
                        "max_value": _("Du har högst %(limit_value)s poäng."),
                    },
                )
        else:
            top = budget.max_choices or len(projects)
            for p in projects:
                self.fields[f"rang-{p.pk}"] = forms.TypedChoiceField(
                    label=_("Plats för %(t)s") % {"t": p.title},
                    choices=[("", _("Inte rangordnad"))]
                    + [(str(i), str(i)) for i in range(1, top + 1)],
                    coerce=int,
                    empty_value=0,  # type: ignore[arg-type]  # stubs: any value is allowed
                    required=False,
                    error_messages={"invalid_choice": _("Välj en plats i listan.")},
                )
        if budget.district_list:
            self.fields["omrade"] = forms.ChoiceField(
                label=_("Var bor du?"),
                choices=[("", _("Välj område"))] + [(d, d) for d in budget.district_list],
                error_messages={"required": _("Välj vilket område du bor i.")},
            )

    def choices(self) -> list[tuple[int, int]]:
        """The chosen (project pk, points or rank) pairs, from cleaned data."""
        data = self.cleaned_data
        kind = self.budget.ballot_type
        if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
            return [(int(pk), 1) for pk in data.get("projekt") or []]
        if kind == BallotType.CHOOSE_ONE:
            return [(int(data["projekt"]), 1)] if data.get("projekt") else []
        prefix = "poang" if kind == BallotType.CUMULATIVE else "rang"
        return [
            (p.pk, int(data.get(f"{prefix}-{p.pk}") or 0))
            for p in self.projects
            if data.get(f"{prefix}-{p.pk}")
        ]

    def selected_pks(self) -> set[int]:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return set()
        return {pk for pk, points in self.choices() if points}

    def value_for(self, project: Project) -> Any:
        prefix = "poang" if self.budget.ballot_type == BallotType.CUMULATIVE else "rang"
        if not self.is_bound:
            return ""
        return self.data.get(f"{prefix}-{project.pk}", "")


class PaperBallotForm(BallotForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["nummer"] = forms.CharField(
            label=_("Röstsedelns nummer"),
            max_length=50,
            error_messages={"required": _("Ange numret som står på röstsedeln.")},
        )
        self.order_fields(["nummer"])


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Namn på projektet"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("Ge projektet ett namn."),
            "max_length": gettext_lazy("Namnet får vara högst 200 tecken."),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Beskriv projektet"),
        help_text=gettext_lazy("Vad vill du ska göras, var och varför? Högst 4 000 tecken."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("Beskriv projektet."),
            "max_length": gettext_lazy("Beskrivningen får vara högst 4 000 tecken."),
        },
    )
    proposed_cost = forms.DecimalField(
        label=gettext_lazy("Ungefär vad kostar det? (kr, frivilligt)"),
        required=False,
        min_value=Decimal(1),
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": gettext_lazy("Skriv kostnaden som ett tal, till exempel 50000."),
            "min_value": gettext_lazy("Kostnaden måste vara större än noll."),
        },
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, budget: Budget, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if budget.district_list:
            self.fields["district"] = forms.ChoiceField(
                label=_("Område"),
                choices=[("", _("Välj område"))] + [(d, d) for d in budget.district_list],
                error_messages={"required": _("Välj område för projektet.")},
            )
        self.order_fields(["title", "description", "district", "proposed_cost"])


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=gettext_lazy("Bedömning"),
        choices=[
            ("ja", gettext_lazy("Genomförbart – kommer med på röstsedeln")),
            ("nej", gettext_lazy("Inte genomförbart")),
        ],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Välj om projektet är genomförbart.")},
    )
    cost = forms.DecimalField(
        label=gettext_lazy("Kostnad enligt kommunen (kr)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": gettext_lazy("Skriv kostnaden som ett tal.")},
    )
    category = forms.CharField(label=gettext_lazy("Kategori"), max_length=100, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Motivering (visas för invånarna)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Skriv en motivering. Den visas för invånarna.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if data.get("feasible") and not data.get("cost"):
            self.add_error("cost", _("Ange kostnaden för ett genomförbart projekt."))
        return data


class BudgetForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = [
            "total",
            "max_project_cost",
            "ballot_type",
            "max_choices",
            "points_total",
            "rule",
            "tie_break",
            "threshold",
            "districts",
        ]
        widgets = {"districts": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "total": {
                "required": gettext_lazy("Ange budgetens storlek."),
                "invalid": gettext_lazy("Skriv budgeten som ett tal."),
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Older forms and scripts that leave it out keep the budget's tie-break.
        self.fields["tie_break"].required = False

    def clean_tie_break(self) -> str:
        return self.cleaned_data.get("tie_break") or (
            self.instance.tie_break if self.instance.pk else TieBreak.SUPPORTERS_COST_ORDER
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if data.get("rule") == "greedy-threshold" and data.get("threshold") is None:
            self.add_error("threshold", _("Regeln kräver ett lägsta röstantal."))
        total, most = data.get("total"), data.get("max_project_cost")
        if total and most and most > total:
            self.add_error("max_project_cost", _("Ett projekt kan inte få kosta mer än budgeten."))
        return data


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        label=gettext_lazy("Skede"),
        choices=[(p.value, p.label) for p in Phase if p != Phase.COUNTED],
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Pabulib-fil (.pb)"),
        error_messages={"required": gettext_lazy("Välj en .pb-fil.")},
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 20 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Filen är inte kodad i UTF-8.")) from None
