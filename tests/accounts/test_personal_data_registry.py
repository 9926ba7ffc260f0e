"""The personal-data inventory: every personal-looking field of every installed model is
declared, the declarations are sound, and the committed record of processing is current."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Q
from django.test.utils import isolate_apps

from delaktig.accounts import personal_data
from delaktig.accounts.personal_data import (
    NOT_PERSONAL,
    REGISTRY,
    Action,
    looks_personal,
    record_of_processing,
    undeclared_fields,
)

ROOT = Path(__file__).resolve().parents[2]


def test_every_personal_looking_field_of_every_installed_model_is_declared() -> None:
    assert undeclared_fields(apps.get_models()) == []


@pytest.mark.parametrize(
    ("name", "make_field", "personal"),
    [
        ("phone", lambda: models.CharField(max_length=20), True),
        ("telefonnummer", lambda: models.CharField(max_length=20), True),
        ("home_address", lambda: models.CharField(max_length=200), True),
        ("nickname", lambda: models.CharField(max_length=50), True),
        ("client", lambda: models.GenericIPAddressField(), True),
        ("reply_to", lambda: models.EmailField(), True),
        ("motivation", lambda: models.TextField(), True),
        ("extra", lambda: models.JSONField(), True),
        ("support_needs", lambda: models.CharField(max_length=200), True),
        ("ip", lambda: models.CharField(max_length=45), True),
        ("free_note", lambda: models.CharField(max_length=200), True),
        ("helper", lambda: models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL), True),
        ("title", lambda: models.CharField(max_length=200), False),
        ("capacity", lambda: models.PositiveIntegerField(), False),
        ("shipping", lambda: models.CharField(max_length=20), False),  # "ip" only as a word
        ("created_at", lambda: models.DateTimeField(), False),
    ],
)
def test_a_new_field_that_looks_personal_is_caught(name: str, make_field: Any, personal: bool):
    with isolate_apps("delaktig.accounts"):

        class Newcomer(models.Model):
            class Meta:
                app_label = "accounts"

        model_field = make_field()
        model_field.contribute_to_class(Newcomer, name)
        assert looks_personal(model_field) is personal
        missing = undeclared_fields([Newcomer])
        assert missing == ([f"accounts.Newcomer.{name}"] if personal else [])


def test_declarations_name_real_fields_and_give_reasons() -> None:
    labels = [spec.model for spec in REGISTRY]
    assert len(labels) == len(set(labels)), "one declaration per model"
    assert not set(labels) & set(NOT_PERSONAL), "a model is either registered or not personal"
    titles = [spec.title for spec in REGISTRY]
    assert len(titles) == len(set(titles)), "gallring counts are keyed by the title"
    for spec in REGISTRY:
        meta = spec.model_class._meta
        names = {f.name for f in meta.concrete_fields}
        assert set(spec.fields) <= names, spec.model
        assert set(spec.not_personal) <= names, spec.model
        assert not set(spec.fields) & set(spec.not_personal), spec.model
        assert spec.purpose and spec.basis and spec.retention, spec.model
        assert all(spec.not_personal.values()), spec.model
        for name, declared in spec.fields.items():
            for rule in (declared.erase, declared.thin):
                assert rule.action != Action.KEEP or rule.why, f"{spec.model}.{name}: why kept?"
            assert declared.export is True or declared.export, f"{spec.model}.{name}"
            # A field can only be "deleted" if its row is.
            if declared.erase.action == Action.DELETE:
                assert spec.erase_rows is True, f"{spec.model}.{name}"
            if declared.thin.action == Action.DELETE:
                assert spec.thin_rows is True, f"{spec.model}.{name}"
            if declared.erase.action == Action.DETACH or declared.thin.action == Action.DETACH:
                assert meta.get_field(name).is_relation, f"{spec.model}.{name}"
    for label, reasons in NOT_PERSONAL.items():
        names = {f.name for f in apps.get_model(label)._meta.concrete_fields}
        assert set(reasons) <= names and all(reasons.values()), label


@pytest.mark.django_db
def test_every_lookup_of_the_registry_is_a_valid_query(people: Any) -> None:
    from django.utils import timezone

    resident = people["resident"]
    resident.email_verified_at = timezone.now()
    for spec in REGISTRY:
        manager = spec.model_class._default_manager
        if spec.erasable:
            assert spec.rows_of(resident).count() >= 0
        if spec.dialogue:
            assert manager.filter(**{f"{spec.dialogue}__in": [1]}).count() >= 0
        if spec.due:
            assert manager.filter(spec.due(timezone.now())).count() >= 0
        for condition in (spec.erase_rows, spec.thin_rows):
            if isinstance(condition, Q):
                assert manager.filter(condition).count() >= 0


def test_the_committed_record_of_processing_is_generated_from_the_registry() -> None:
    committed = (ROOT / "docs" / "record-of-processing.md").read_text(encoding="utf-8")
    assert committed == record_of_processing(), (
        "docs/record-of-processing.md is out of date: run `delaktig record_of_processing`"
    )
    for spec in REGISTRY:
        assert f"(`{spec.model}`)" in committed
        for name in spec.fields:
            assert f"| `{name}` (" in committed


def test_the_command_checks_and_writes_the_record(tmp_path: Path) -> None:
    target = tmp_path / "record.md"
    with pytest.raises(CommandError, match="stämmer inte"):
        call_command("record_of_processing", "--check", "--output", str(target))
    out = StringIO()
    call_command("record_of_processing", "--output", str(target), stdout=out)
    assert target.read_text(encoding="utf-8") == personal_data.record_of_processing()
    call_command("record_of_processing", "--check", "--output", str(target), stdout=out)
    assert "stämmer med registret" in out.getvalue()
