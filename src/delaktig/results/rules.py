"""Who may see and change a compilation."""

from __future__ import annotations

import rules

from delaktig.governance.rules import can_manage_dialogue
from delaktig.organisation.rules import is_elected, is_official

# Officials who run the dialogue (and strategists/admins) work on the compilation.
rules.add_perm("results.manage_compilation", can_manage_dialogue)
# Every official and every elected representative may read a draft compilation.
rules.add_perm("results.view_compilation", is_official | is_elected | can_manage_dialogue)
# Raw exports contain every answer (pseudonymised): only those who run the dialogue.
rules.add_perm("results.export_contributions", can_manage_dialogue)
# Population tables are municipality-wide data.
rules.add_perm("results.import_population", is_official)
