"""Who may evaluate a dialogue and read the follow-up."""

from __future__ import annotations

import rules

from delaktig.governance.rules import can_manage_dialogue
from delaktig.organisation.rules import is_official

rules.add_perm("followup.evaluate_dialogue", can_manage_dialogue)
rules.add_perm("followup.view_indicators", is_official)
