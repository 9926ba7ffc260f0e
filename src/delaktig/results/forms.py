"""Forms for the compilation. Labels and errors in plain Swedish."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from delaktig.results.models import Compilation, Theme


class CompilationTextForm(forms.ModelForm):
    class Meta:
        model = Compilation
        fields = ["summary", "next_steps", "method_notes"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "method_notes": forms.Textarea(attrs={"rows": 3}),
        }


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Namn på temat"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning (frivilligt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Behåll det här temat"), queryset=Theme.objects.none(), empty_label=None
    )
    others = forms.ModelMultipleChoiceField(
        label=_("Slå ihop de här temana med det"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(label=_("Nytt namn (frivilligt)"), max_length=200, required=False)

    def __init__(self, *args: Any, compilation: Compilation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = compilation.themes.active()
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = active
        cast(forms.ModelMultipleChoiceField, self.fields["others"]).queryset = active

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        target, others = data.get("target"), data.get("others")
        if target is not None and others is not None:
            rest = [o for o in others if o.pk != target.pk]
            if not rest:
                raise forms.ValidationError(_("Välj minst ett annat tema att slå ihop med."))
            data["others"] = rest
        return data


class SplitForm(ThemeForm):
    contributions = forms.TypedMultipleChoiceField(
        label=_("Bidrag som ska flyttas till det nya temat"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contributions"]).choices = choices


class CodeForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Tema"), queryset=Theme.objects.none())

    def __init__(self, *args: Any, compilation: Compilation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = compilation.themes.active()


class PopulationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil från SCB:s statistikdatabas (PxWeb)"),
        help_text=_("Kolumner som region, ålder, kön, år och antal. Semikolon, komma eller tabb."),
    )
    name = forms.CharField(label=_("Namn på tabellen"), max_length=200)
    source = forms.CharField(
        label=_("Källa"),
        max_length=1000,
        help_text=_("Till exempel SCB, tabell och datum då den hämtades."),
    )
    year = forms.IntegerField(
        label=_("År (frivilligt, annars det senaste i filen)"),
        required=False,
        min_value=1900,
        max_value=2100,
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 20 MB."))
        return f


class RawExportForm(forms.Form):
    """An official asks for the contributions with background answers as given."""

    fmt = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", "CSV"), ("xlsx", "Excel")],
        initial="csv",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Varför behöver du bakgrundsuppgifterna som de lämnades?"),
        help_text=_("Skälet sparas i loggen tillsammans med ditt namn."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_reason-help"}),
        error_messages={"required": _("Skriv varför du behöver rådata.")},
    )
