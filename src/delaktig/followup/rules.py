"""Who may evaluate a dialogue. The follow-up itself (indicators, annual reports) is public."""

from __future__ import annotations

import rules

from delaktig.governance.rules import can_manage_dialogue

rules.add_perm("followup.evaluate_dialogue", can_manage_dialogue)
