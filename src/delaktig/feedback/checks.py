"""Lifecycle guards this app adds: no decision without published feedback (F2)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from delaktig.governance.models import Dialogue


def published_feedback_required(dialogue: Dialogue) -> list[str]:
    """The dialogue cannot be decided/closed before its feedback is published in full."""
    from delaktig.feedback.models import Feedback, FeedbackStatus

    feedback = Feedback.objects.filter(dialogue=dialogue).first()
    if feedback is None:
        return [_("Återkopplingen till deltagarna är inte skriven och publicerad.")]
    missing = []
    if feedback.status != FeedbackStatus.PUBLISHED:
        missing.append(_("Återkopplingen till deltagarna är inte publicerad."))
    if not feedback.results_summary.strip():
        missing.append(_("Återkopplingen saknar resultatet av dialogen."))
    if not feedback.participation_effect.strip():
        missing.append(_("Återkopplingen beskriver inte hur deltagandet påverkade processen."))
    return missing
