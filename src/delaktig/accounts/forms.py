from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.accounts.actions import (
    SCHOOL_CODE_MAX_DAYS,
    SCHOOL_CODE_MAX_SEATS,
    school_code_refusal,
    too_young_for_account,
)
from delaktig.accounts.models import AgeBand, Demographics, Gender, SchoolSession
from delaktig.governance.states import Feature, states_with

if TYPE_CHECKING:
    from delaktig.governance.models import Dialogue

RESIDENCY_LABEL = _("Jag bor, arbetar, studerar eller vistas i kommunen")


class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"), max_length=150)
    password1 = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 8 tecken. Inte bara siffror."),
    )
    password2 = forms.CharField(
        label=_("Lösenord igen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    birth_year = forms.IntegerField(
        label=_("Födelseår (frivilligt)"),
        required=False,
        min_value=1900,
        help_text=_("Du måste vara minst 13 år för att ha ett konto. Vi frågar bara om året."),
    )
    display_name = forms.CharField(
        label=_("Visningsnamn (frivilligt)"),
        max_length=80,
        required=False,
        help_text=_("Visas vid dina publicerade bidrag. Lämna tomt för att vara anonym."),
    )
    attest_residency = forms.BooleanField(label=RESIDENCY_LABEL, required=False)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("Skriv ett födelseår som har varit."))
        if too_young_for_account(year):
            raise forms.ValidationError(
                _("Du behöver vara minst 13 år för att skapa ett konto."), code="too_young"
            )
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Lösenorden är inte likadana."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-postadress eller användarnamn")

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class NotifyingPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through `notifications.notify` in the
    person's own language."""

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from delaktig.core.mail import notify

        notify(
            context["user"],
            _("Välj ett nytt lösenord"),
            "accounts/email/password_reset.txt",
            context,
        )


class ResidencyForm(forms.Form):
    attested = forms.BooleanField(label=RESIDENCY_LABEL, required=False)


class ConsentForm(forms.Form):
    purpose = forms.CharField(max_length=30)
    give = forms.BooleanField(required=False)


class DemographicsForm(forms.ModelForm):
    gender = forms.ChoiceField(
        label=_("Kön"),
        choices=[("", _("Vill inte svara")), *Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Demographics
        fields = ["gender", "district", "occupation"]


class SchoolSessionForm(forms.Form):
    dialogue: forms.ModelChoiceField[Dialogue] = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]  # set in __init__
        label=_("Dialog"),
    )
    activity: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label=_("Aktivitet (tomt: alla aktiviteter i dialogen)"),
        required=False,
    )
    class_label = forms.CharField(label=_("Klass eller grupp"), max_length=100)
    age_band = forms.ChoiceField(
        label=_("Klassens åldersgrupp"),
        choices=[c for c in AgeBand.choices if c[0] in ("0-12", "13-15", "16-24")],
    )
    valid_until = forms.DateTimeField(
        label=_("Giltig till"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    # The upper bound is `actions.SCHOOL_CODE_MAX_SEATS`, checked in clean() with its reason.
    max_uses = forms.IntegerField(label=_("Antal elever"), min_value=1)

    # Which field a refusal of `actions.school_code_refusal` belongs to.
    REFUSAL_FIELDS = {
        "not_allowed": "dialogue",
        "too_long": "valid_until",
        "too_many_seats": "max_uses",
        "too_many_codes": "dialogue",
    }

    def __init__(
        self, *args: Any, municipality: Any = None, actor: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.refusal_code = ""
        self.fields["max_uses"].help_text = _("Högst %(seats)s: ett pass är för en klass.") % {
            "seats": SCHOOL_CODE_MAX_SEATS
        }
        self.fields["valid_until"].help_text = _("Högst %(days)s dagar framåt.") % {
            "days": SCHOOL_CODE_MAX_DAYS
        }
        from delaktig.governance.models import Dialogue

        dialogues = Dialogue.objects.filter(status__in=states_with(Feature.SCHOOL_CODES))
        if municipality is not None:
            dialogues = dialogues.filter(municipality=municipality)
        self.fields["dialogue"].queryset = dialogues  # type: ignore[attr-defined]
        # The activities a pass may cover, reached through the pass's own link to them:
        # participation sits above accounts and reads school passes, not the other way.
        activities = SchoolSession._meta.get_field("activity").related_model
        self.fields["activity"].queryset = activities._default_manager.filter(  # type: ignore[attr-defined, union-attr]
            dialogue__in=dialogues
        )

    def clean_valid_until(self) -> Any:
        value = self.cleaned_data["valid_until"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Välj en tid som inte har passerat."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        activity, dialogue = cleaned.get("activity"), cleaned.get("dialogue")
        if activity is not None and dialogue is not None and activity.dialogue_id != dialogue.pk:
            self.add_error("activity", _("Aktiviteten hör inte till dialogen."))
        if dialogue is not None and self.actor is not None:
            refusal = school_code_refusal(
                actor=self.actor,
                dialogue=dialogue,
                valid_until=cleaned.get("valid_until"),
                max_uses=cleaned.get("max_uses"),
            )
            if refusal is not None:
                self.refusal_code = refusal.code
                self.add_error(self.REFUSAL_FIELDS.get(refusal.code), refusal.message)
        return cleaned


class SchoolCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Klassens kod"),
        max_length=20,
        help_text=_("Du får koden av din lärare. Vi frågar inte efter ditt namn."),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Jag förstår att mitt konto och mina uppgifter raderas och inte går att få tillbaka"
        ),
        required=True,
    )
