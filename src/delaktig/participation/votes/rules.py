"""Who may do what with a vote."""

from __future__ import annotations

import rules

from delaktig.participation.eligibility import may_take_part

# A vote decides: the eligibility gate asks for the identity level a count that decides needs.
rules.add_perm("votes.cast", may_take_part)
