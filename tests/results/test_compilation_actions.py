"""Automatic themes, the officials' review and the start_feedback gate."""

from __future__ import annotations

from typing import Any

import pytest

from delaktig.core.exceptions import DomainError
from delaktig.core.models import AuditEvent
from delaktig.governance import lifecycle
from delaktig.participation.models import ContributionStatus
from delaktig.results import actions
from delaktig.results.models import (
    CompilationStatus,
    Theme,
    ThemeAssignment,
    ThemeSource,
    ThemeStatus,
)


def run(dialogue: Any, actor: Any = None, **kw: Any) -> Any:
    return actions.run_automatic_themes(dialogue=dialogue, actor=actor, **kw)


def test_automatic_themes_code_every_published_free_text(dialogue, comments, people) -> None:
    hidden = comments[0]
    hidden.status = ContributionStatus.HIDDEN
    hidden.save()
    compilation = run(dialogue, people["official"])
    themes = list(compilation.themes.all())
    assert 2 <= len(themes) <= 6  # k <= sqrt(79 / 2)
    assert all(t.source == ThemeSource.AUTOMATIC for t in themes)
    assert all(t.status == ThemeStatus.PROPOSED for t in themes)
    assert all(t.automatic_name == t.name for t in themes)
    coded = set(ThemeAssignment.objects.values_list("contribution_id", flat=True))
    assert hidden.pk not in coded
    assert len(coded) >= 75
    assert not ThemeAssignment.objects.exclude(source=ThemeSource.AUTOMATIC).exists()
    assert compilation.themes_run_info["documents"] == 79
    event = AuditEvent.objects.get(action="results.themes_proposed")
    assert event.actor == people["official"]


def test_rerun_replaces_proposals_but_keeps_what_people_decided(dialogue, comments, people) -> None:
    compilation = run(dialogue)
    first, second, *_ = compilation.themes.order_by("id")
    actions.rename_theme(theme=first, actor=people["official"], name="Mörka platser")
    manual = actions.create_theme(
        compilation=compilation, actor=people["official"], name="Polisens närvaro"
    )
    actions.code_contribution(contribution=comments[5], theme=manual, actor=people["official"])
    run(dialogue, k=2)
    first.refresh_from_db()
    assert first.name == "Mörka platser" and first.status == ThemeStatus.ACCEPTED
    assert not Theme.objects.filter(pk=second.pk).exists()
    assert manual.assignments.get().source == ThemeSource.MANUAL
    assert compilation.themes.filter(status=ThemeStatus.PROPOSED).count() == 2


def test_rename_records_the_automatic_name_and_the_person(dialogue, comments, people) -> None:
    theme = run(dialogue).themes.first()
    automatic = theme.name
    actions.rename_theme(
        theme=theme, actor=people["official"], name="Belysning", description="Om mörker"
    )
    theme.refresh_from_db()
    assert theme.automatic_name == automatic
    assert theme.was_renamed
    assert theme.reviewed_by == people["official"] and theme.reviewed_at
    event = AuditEvent.objects.for_object(theme).get(action="results.theme_renamed")
    assert event.data["old"] == automatic and event.data["new"] == "Belysning"
    with pytest.raises(DomainError):
        actions.rename_theme(theme=theme, actor=people["official"], name="  ")


def test_merge_moves_contributions_and_keeps_the_merged_theme(dialogue, comments, people) -> None:
    a, b = run(dialogue, k=3).themes.order_by("id")[:2]
    total = a.assignments.count() + b.assignments.count()
    actions.merge_themes(target=a, others=[b], actor=people["official"], name="Trafik och ljus")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.name == "Trafik och ljus" and a.status == ThemeStatus.ACCEPTED
    assert b.status == ThemeStatus.MERGED and b.merged_into == a
    assert a.assignments.count() == total and b.assignments.count() == 0
    assert AuditEvent.objects.filter(action="results.themes_merged").count() == 1
    with pytest.raises(DomainError):
        actions.merge_themes(target=a, others=[a], actor=people["official"])


def test_split_moves_chosen_contributions_to_a_new_manual_theme(dialogue, comments, people) -> None:
    theme = run(dialogue, k=2).themes.first()
    ids = list(theme.assignments.values_list("contribution_id", flat=True))
    new = actions.split_theme(
        theme=theme, actor=people["official"], name="Cykelvägar", contribution_ids=ids[:3]
    )
    assert new.source == ThemeSource.MANUAL and new.split_from == theme
    assert new.created_by == people["official"]
    moved = list(new.assignments.all())
    assert {m.contribution_id for m in moved} == set(ids[:3])
    assert all(m.source == ThemeSource.MANUAL for m in moved)
    assert all(m.assigned_by == people["official"] for m in moved)
    assert theme.assignments.count() == len(ids) - 3
    with pytest.raises(DomainError):
        actions.split_theme(theme=theme, actor=people["official"], name="X", contribution_ids=[])
    with pytest.raises(DomainError):
        actions.split_theme(
            theme=new, actor=people["official"], name="Allt", contribution_ids=ids[:3]
        )


def test_hand_coding_is_idempotent_and_confirms_automatic(dialogue, comments, people) -> None:
    theme = run(dialogue, k=2).themes.first()
    auto = theme.assignments.first()
    actions.code_contribution(contribution=auto.contribution, theme=theme, actor=people["official"])
    auto.refresh_from_db()
    assert auto.source == ThemeSource.MANUAL and auto.assigned_by == people["official"]
    actions.code_contribution(contribution=auto.contribution, theme=theme, actor=people["official"])
    assert AuditEvent.objects.filter(action="results.contribution_coded").count() == 1
    actions.uncode_contribution(
        contribution=auto.contribution, theme=theme, actor=people["official"]
    )
    assert not theme.assignments.filter(contribution=auto.contribution).exists()
    assert AuditEvent.objects.filter(action="results.contribution_uncoded").count() == 1


def test_coding_a_contribution_of_another_dialogue_is_refused(
    dialogue, comments, people, municipality
) -> None:
    from delaktig.governance.models import Dialogue
    from delaktig.participation.models import Activity

    from .conftest import add_comments

    other = Dialogue.objects.create(municipality=municipality, title="Annan", slug="annan")
    foreign = add_comments(
        Activity.objects.create(dialogue=other, method="survey", title="E", slug="e"), 1
    )[0]
    theme = actions.create_theme(
        compilation=actions.get_or_create_compilation(dialogue=dialogue),
        actor=people["official"],
        name="Tema",
    )
    with pytest.raises(DomainError):
        actions.code_contribution(contribution=foreign, theme=theme, actor=people["official"])


def test_publication_requires_summary_next_steps_and_reviewed_themes(
    dialogue, comments, people
) -> None:
    compilation = run(dialogue, k=2)
    with pytest.raises(DomainError) as err:
        actions.publish_compilation(compilation=compilation, actor=people["official"])
    assert len(err.value.missing) == 3
    actions.update_compilation(
        compilation=compilation,
        actor=people["official"],
        summary="Många vill ha bättre belysning.",
        next_steps="Nämnden beslutar i mars.",
    )
    for theme in compilation.themes.all():
        with pytest.raises(DomainError, match="Ge temat ett namn med egna ord"):
            actions.accept_theme(theme=theme, actor=people["official"])
        actions.rename_theme(theme=theme, actor=people["official"], name=f"Tema {theme.pk}")
    actions.publish_compilation(compilation=compilation, actor=people["official"])
    compilation.refresh_from_db()
    assert compilation.status == CompilationStatus.PUBLISHED
    assert compilation.published_by == people["official"]
    # published: locked
    with pytest.raises(DomainError):
        actions.rename_theme(theme=compilation.themes.first(), actor=people["official"], name="X")


def test_start_feedback_gate_requires_a_published_compilation(dialogue, comments, people) -> None:
    missing = lifecycle.transition_blockers(dialogue, "start_feedback")
    assert "Sammanställningen är inte publicerad." in missing
    compilation = run(dialogue, k=2)
    actions.update_compilation(
        compilation=compilation, actor=people["official"], summary="S", next_steps="N"
    )
    for theme in compilation.themes.all():
        actions.reject_theme(theme=theme, actor=people["official"])
    assert "Sammanställningen är inte publicerad." in lifecycle.transition_blockers(
        dialogue, "start_feedback"
    )
    actions.publish_compilation(compilation=compilation, actor=people["official"])
    assert "Sammanställningen är inte publicerad." not in lifecycle.transition_blockers(
        dialogue, "start_feedback"
    )


MANAGERS = {"official", "strategist", "admin"}
ROLES = ["anonymous", "resident", "elected", "official", "other_official", "strategist", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_compilation_writes_ask_results_manage_compilation(dialogue, people, role) -> None:
    """Role × write: the actions refuse as `results.manage_compilation` does."""
    from delaktig.core.exceptions import NotAllowed

    compilation = actions.get_or_create_compilation(dialogue=dialogue)
    user = people[role]
    writes = [
        lambda: actions.create_theme(compilation=compilation, actor=user, name="Trygghet"),
        lambda: actions.update_compilation(
            compilation=compilation, actor=user, summary="Kort.", next_steps="Nämnden beslutar."
        ),
    ]
    if user is not None:  # without an actor the automatic run is the system's own
        writes.append(lambda: run(dialogue, user))
    for write in writes:
        if role in MANAGERS:
            write()
        else:
            with pytest.raises(NotAllowed):
                write()
