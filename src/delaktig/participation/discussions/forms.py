from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from delaktig.participation.ideas.forms import (
    ModerationForm,
    SubmissionKeyMixin,
    new_submission_key,
)

from .models import COMMENT_MAX, DOCUMENT_MAX, REASON_MAX

__all__ = ["CommentForm", "ModerationForm", "ReportForm", "SetUpForm", "new_submission_key"]


class CommentForm(SubmissionKeyMixin):
    text = forms.CharField(
        label=_("Din kommentar"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Högst %(max)s tecken.") % {"max": COMMENT_MAX},
    )
    section = forms.IntegerField(widget=forms.HiddenInput, required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför anmäler du kommentaren?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SetUpForm(forms.Form):
    question = forms.CharField(
        label=_("Frågan till invånarna"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    document_title = forms.CharField(
        label=_("Dokumentets namn (för synpunkter på dokument)"), max_length=200, required=False
    )
    document_text = forms.CharField(
        label=_("Dokumentets text"),
        max_length=DOCUMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Klistra in texten. En tom rad delar texten i avsnitt som numreras. "
            "En första rad som börjar med # eller en siffra blir avsnittets rubrik."
        ),
    )
