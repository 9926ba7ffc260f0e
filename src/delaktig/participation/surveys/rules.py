"""Who may build a survey, enter paper answers, import and see results (per activity)."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def manages_survey_dialogue(user: Any, activity: Any) -> bool:
    """Those who may manage the activity's dialogue (admin, strategist, its leaders, office)."""
    if activity is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_perm("governance.manage_dialogue", activity.dialogue))


rules.add_perm("surveys.manage_survey", manages_survey_dialogue)
rules.add_perm("surveys.enter_paper_answers", manages_survey_dialogue)
rules.add_perm("surveys.import_answers", manages_survey_dialogue)
rules.add_perm("surveys.view_results", manages_survey_dialogue)
