"""`backup` writes everything to one file; `restore` brings it back into an empty database.

Interface (core, owned by the lead): call_command("backup", output=PATH) and
call_command("restore", input=PATH). Skipped until the commands exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.security.world import World

pytest.importorskip("delaktig.core.management.commands.backup")
pytest.importorskip("delaktig.core.management.commands.restore")

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict[str, list]:
    from delaktig.governance.models import Decision, Dialogue, Initiative
    from delaktig.participation.models import Activity, Contribution

    return {
        "dialogues": sorted(Dialogue.objects.values_list("slug", "status", "influence_level")),
        "decisions": sorted(Decision.objects.values_list("case_number", "paragraph")),
        "initiatives": sorted(Initiative.objects.values_list("submission_key", "description")),
        "activities": sorted(Activity.objects.values_list("slug", "method")),
        "contributions": sorted(Contribution.objects.values_list("pk", "text")),
    }


def test_backup_then_restore_gives_back_the_same_data(world: World, tmp_path: Path) -> None:
    from delaktig.accounts.models import User
    from delaktig.governance.models import Dialogue

    before = _snapshot()
    users = sorted(User.objects.values_list("username", "password"))
    target = tmp_path / "delaktig-backup"
    call_command("backup", output=str(target))
    backups = list(tmp_path.iterdir())
    assert backups and all(p.stat().st_size > 0 for p in backups)

    Dialogue.objects.all().delete()
    User.objects.all().delete()
    assert _snapshot() != before

    call_command("restore", input=str(target))
    assert _snapshot() == before
    assert sorted(User.objects.values_list("username", "password")) == users


def test_restore_of_a_broken_file_changes_nothing(world: World, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    before = _snapshot()
    broken = tmp_path / "broken"
    broken.write_bytes(b"not a backup")
    with pytest.raises((CommandError, ValueError)):
        call_command("restore", input=str(broken))
    assert _snapshot() == before
