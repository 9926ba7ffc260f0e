"""Who may write, publish and report feedback, and record how proposals were handled."""

from __future__ import annotations

import rules

from delaktig.governance.rules import can_manage_dialogue
from delaktig.organisation.rules import is_official

# Feedback is part of running the dialogue: the same people who may manage it.
rules.add_perm("feedback.manage_feedback", can_manage_dialogue)
rules.add_perm("feedback.view_overview", is_official)
