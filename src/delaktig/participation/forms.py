from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from delaktig.participation.eligibility import level_needed
from delaktig.participation.models import Activity, IdentityLevel


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "method",
            "title",
            "description",
            "simple_description",
            "opens_at",
            "closes_at",
            "place",
            "accessibility_info",
            "identity_level",
            "residency_rule",
            "min_age",
            "for_children",
            "target_groups",
        ]
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, dialogue=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.dialogue = dialogue
        groups = self.fields["target_groups"]
        groups.queryset = groups.queryset.filter(dialogue=dialogue)  # type: ignore[attr-defined]
        groups.help_text = _(
            "Vilka av dialogens målgrupper ska aktiviteten nå? Barn och unga nås av en "
            "aktivitet som är anpassad för barn och unga."
        )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Aktiviteten måste stänga efter att den öppnar."))
        method, level = data.get("method"), data.get("identity_level")
        if method and level and self.dialogue is not None:
            needed = level_needed(method, level, self.dialogue.municipality.profile)
            if needed != level:
                self.add_error(
                    "identity_level",
                    _(
                        "En omröstning och en medborgarbudget räknar varje person en gång. "
                        "Välj minst: %(level)s."
                    )
                    % {"level": IdentityLevel(needed).label},
                )
        return data
