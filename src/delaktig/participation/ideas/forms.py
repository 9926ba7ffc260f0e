from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from delaktig.participation.models import Channel

from .models import CATEGORY_MAX, COMMENT_MAX, REASON_MAX, TEXT_MAX, TITLE_MAX


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class SubmissionKeyMixin(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class IdeaForm(SubmissionKeyMixin):
    title = forms.CharField(label=_("Rubrik"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("Beskriv din idé"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Högst %(max)s tecken.") % {"max": TEXT_MAX},
    )
    category = forms.CharField(
        label=_("Kategori (frivilligt)"),
        max_length=CATEGORY_MAX,
        required=False,
        help_text=_("Till exempel idrott, natur eller trafik."),
    )


class PaperIdeaForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=TITLE_MAX)
    text = forms.CharField(label=_("Idén"), max_length=TEXT_MAX, widget=forms.Textarea)
    category = forms.CharField(label=_("Kategori"), max_length=CATEGORY_MAX, required=False)
    author_name = forms.CharField(
        label=_("Namn som visas (frivilligt)"), max_length=100, required=False
    )
    channel = forms.ChoiceField(
        label=_("Kom in via"),
        choices=[(Channel.PAPER, Channel.PAPER.label), (Channel.MEETING, Channel.MEETING.label)],
        widget=forms.RadioSelect,
    )


class CommentForm(SubmissionKeyMixin):
    text = forms.CharField(
        label=_("Din kommentar"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Högst %(max)s tecken.") % {"max": COMMENT_MAX},
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Åtgärd"),
        choices=[("hide", _("Dölj")), ("restore", _("Visa igen"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Skäl (visas för den som skrev)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Kommunens svar"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
