"""Lifecycle guard: a dialogue is marked evaluated only with the organisers' evaluation (E1)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from delaktig.governance.models import Dialogue


def organiser_evaluation_required(dialogue: Dialogue) -> list[str]:
    from delaktig.followup.models import OrganiserEvaluation

    if not OrganiserEvaluation.objects.filter(dialogue=dialogue).exists():
        return [_("Arrangörernas utvärdering av dialogen är inte gjord.")]
    return []
