"""Forms for statements, votes and moderation. Labels in Swedish."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from delaktig.participation.opinions.models import STATEMENT_MAX_LENGTH


def new_submission_key() -> str:
    return secrets.token_hex(16)


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Ditt påstående"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Högst %(max)s tecken. Skriv en sak per påstående, så att andra kan hålla med "
            "eller inte. Påståendet granskas innan det visas."
        )
        % {"max": STATEMENT_MAX_LENGTH},
        error_messages={
            "required": _("Skriv ett påstående."),
            "max_length": _("Påståendet får vara högst %(limit_value)d tecken."),
        },
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    vote = forms.TypedChoiceField(
        choices=[("1", _("Håller med")), ("-1", _("Håller inte med")), ("0", _("Avstår"))],
        coerce=int,
        error_messages={"required": _("Välj håller med, håller inte med eller avstår.")},
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[("approve", _("Godkänn")), ("hide", _("Dölj"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj godkänn eller dölj.")},
    )
    reason = forms.CharField(
        label=_("Skäl"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när påståendet döljs. Skälet sparas i loggen."),
    )

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if data.get("decision") == "hide" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Ange ett skäl till att påståendet döljs."))
        return data


class SeedStatementForm(forms.Form):
    text = forms.CharField(
        label=_("Nytt påstående från kommunen"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Skriv ett påstående."),
            "max_length": _("Påståendet får vara högst %(limit_value)d tecken."),
        },
    )


class MapForm(forms.Form):
    k = forms.TypedChoiceField(
        label=_("Antal grupper"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Välj automatiskt"))] + [(str(k), str(k)) for k in range(2, 6)],
    )
