"""Backup and restore round-trip on the database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from delaktig.core.models import AuditEvent
from delaktig.governance import actions
from delaktig.governance.models import Dialogue

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_restore_brings_back_exactly_what_was_there(municipality, tmp_path):
    actions.submit_initiative(
        municipality=municipality,
        title="Före säkerhetskopian",
        description="a",
        proposer_kind="resident",
    )
    backup = tmp_path / "delaktig.backup"
    call_command("backup", output=str(backup))
    assert backup.stat().st_size > 0

    actions.submit_initiative(
        municipality=municipality,
        title="Efter säkerhetskopian",
        description="b",
        proposer_kind="resident",
    )
    Dialogue.objects.filter(title="Före säkerhetskopian").delete()
    call_command("restore", input=str(backup))

    titles = set(Dialogue.objects.values_list("title", flat=True))
    assert titles == {"Före säkerhetskopian"}
    assert AuditEvent.objects.filter(action="initiative.submitted").count() == 1


def test_backup_refuses_to_overwrite(municipality, tmp_path):
    target = tmp_path / "finns.backup"
    target.write_text("x")
    with pytest.raises(CommandError, match="finns redan"):
        call_command("backup", output=str(target))


def test_restore_refuses_a_file_that_is_not_a_backup(municipality, tmp_path):
    bogus = tmp_path / "inte.backup"
    bogus.write_bytes(b"hello")
    with pytest.raises(CommandError):
        call_command("restore", input=str(bogus))
    with pytest.raises(CommandError, match="Hittar ingen"):
        call_command("restore", input=str(tmp_path / "saknas.backup"))
