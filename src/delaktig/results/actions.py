"""Writes for the compilation: automatic themes, the officials' review, publication.

Every decision a person makes is kept on the row (who, when, what the machine had said)
and in the audit log. Views authorise before calling these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.machine import Machine, Step
from delaktig.core.permissions import require
from delaktig.governance.models import Dialogue
from delaktig.governance.states import Feature, allows
from delaktig.participation.models import Contribution
from delaktig.results import selectors
from delaktig.results.models import (
    Compilation,
    CompilationStatus,
    Theme,
    ThemeAssignment,
    ThemeSource,
    ThemeStatus,
)

BATCH = 2000


@transaction.atomic
def get_or_create_compilation(*, dialogue: Dialogue) -> Compilation:
    compilation, _created = Compilation.objects.get_or_create(dialogue=dialogue)
    return compilation


def _dialogue_compiling(compilation: Compilation) -> list[str]:
    if allows(compilation.dialogue, Feature.COMPILATION_WRITABLE):
        return []
    return [_("Återkopplingen har börjat. Den publicerade sammanställningen ligger fast.")]


MACHINE_NAME = gettext_lazy(
    "Ge temat ett namn med egna ord innan det godkänns. ”%(name)s” är bara de vanligaste "
    "orden i svaren."
)


def named_by_a_person(theme: Theme) -> list[str]:
    """The machine's name is its most common words ("Sakna, fråga, bo"): residents read a
    theme's name only once a person has given it one in words."""
    if theme.source != ThemeSource.AUTOMATIC or theme.was_renamed:
        return []
    return [str(MACHINE_NAME) % {"name": theme.name}]


# A person reviews every automatic theme: names it (which accepts it), rejects it, or
# merges it into another. Rejected themes may be accepted again; merged ones stay merged.
THEME = Machine(
    steps=(
        Step(
            "accept",
            (ThemeStatus.PROPOSED, ThemeStatus.REJECTED),
            ThemeStatus.ACCEPTED,
            "results.theme_accepted",
            guards=(named_by_a_person,),
            refusal=gettext_lazy("Temat kan inte godkännas i sitt nuvarande läge."),
        ),
        Step(
            "reject",
            (ThemeStatus.PROPOSED, ThemeStatus.ACCEPTED),
            ThemeStatus.REJECTED,
            "results.theme_rejected",
            refusal=gettext_lazy("Temat kan inte avfärdas i sitt nuvarande läge."),
        ),
        Step(
            "merge",
            (ThemeStatus.PROPOSED, ThemeStatus.ACCEPTED, ThemeStatus.REJECTED),
            ThemeStatus.MERGED,
            "results.theme_merged",
            refusal=gettext_lazy("Temat är redan sammanslaget med ett annat."),
        ),
    )
)
COMPILATION = Machine(
    steps=(
        Step(
            "publish",
            (CompilationStatus.DRAFT,),
            CompilationStatus.PUBLISHED,
            "results.compilation_published",
            guards=(lambda c: publication_blockers(c),),
        ),
        Step(
            "unpublish",
            (CompilationStatus.PUBLISHED,),
            CompilationStatus.DRAFT,
            "results.compilation_unpublished",
            guards=(_dialogue_compiling,),
            refusal=gettext_lazy("Sammanställningen är inte publicerad."),
        ),
    )
)


def _accept_on_review(theme: Theme, actor: Any) -> None:
    """Naming, splitting or merging into a proposed theme is a person accepting it, once it
    has a name a person gave it (an unnamed automatic theme stays a proposal)."""
    if theme.status == ThemeStatus.PROPOSED and not named_by_a_person(theme):
        THEME.move(theme, "accept", actor=actor, summary=theme.name)


def _draft(compilation: Compilation) -> None:
    if compilation.is_published:
        raise DomainError(
            _("Sammanställningen är publicerad. Gör den till utkast igen för att ändra.")
        )


def _editable(compilation: Compilation, actor: Any) -> None:
    """Only those who run the dialogue change its compilation, and only while it is a draft."""
    require(actor, "results.manage_compilation", compilation.dialogue)
    _draft(compilation)


@transaction.atomic
def run_automatic_themes(
    *, dialogue: Dialogue, actor: Any = None, k: int | None = None, seed: int = 0
) -> Compilation:
    """Propose themes for the dialogue's free text.

    Replaces earlier proposals that nobody has reviewed; themes a person accepted or made
    and every hand coding stay as they are.
    """
    from delaktig.results.themes import propose_themes

    compilation = get_or_create_compilation(dialogue=dialogue)
    # Without an actor the run is the system's own (the nightly job, the benchmark); a
    # person's run is theirs to be allowed.
    if actor is not None:
        require(actor, "results.manage_compilation", dialogue)
    _draft(compilation)
    stale = compilation.themes.filter(source=ThemeSource.AUTOMATIC, status=ThemeStatus.PROPOSED)
    ThemeAssignment.objects.filter(theme__in=stale, source=ThemeSource.AUTOMATIC).delete()
    stale.filter(assignments__isnull=True).delete()

    documents = selectors.free_text(dialogue).values_list("id", "text").iterator(chunk_size=BATCH)
    result = propose_themes(documents, k=k, seed=seed)
    start = compilation.themes.count()
    created: list[Theme] = []
    for i, proposed in enumerate(result.themes):
        theme = Theme.objects.create(
            compilation=compilation,
            name=proposed.name[:200],
            automatic_name=proposed.name[:200],
            description=_("Vanliga ord: %(terms)s.") % {"terms": ", ".join(proposed.terms)},
            source=ThemeSource.AUTOMATIC,
            status=ThemeStatus.PROPOSED,
            terms=proposed.terms,
            quote_ids=proposed.quote_ids,
            order=start + i,
        )
        created.append(theme)
        ThemeAssignment.objects.bulk_create(
            (
                ThemeAssignment(theme=theme, contribution_id=pk, source=ThemeSource.AUTOMATIC)
                for pk in proposed.member_ids
            ),
            batch_size=BATCH,
            ignore_conflicts=True,
        )
    compilation.themes_run_at = timezone.now()
    compilation.themes_run_info = {
        "documents": result.documents,
        "k": result.k,
        "silhouette": result.silhouette,
        "scores": {str(key): value for key, value in result.scores.items()},
        "unthemed": len(result.unthemed_ids),
        "language": result.language,
        "method": "TF-IDF (simplemma-lemman) + LSA + MiniBatchKMeans, k valt med silhouette",
    }
    compilation.save(update_fields=["themes_run_at", "themes_run_info", "updated_at"])
    record_audit(
        actor=actor,
        action="results.themes_proposed",
        obj=compilation,
        summary=_("%(n)s teman föreslogs automatiskt ur %(docs)s fritextsvar.")
        % {"n": len(created), "docs": result.documents},
        data={"themes": [t.pk for t in created], "k": result.k},
    )
    return compilation


def _review(theme: Theme, actor: Any) -> None:
    theme.reviewed_by = actor
    theme.reviewed_at = timezone.now()


@transaction.atomic
def accept_theme(*, theme: Theme, actor: Any) -> Theme:
    _editable(theme.compilation, actor)
    _review(theme, actor)
    THEME.move(theme, "accept", actor=actor, summary=theme.name)
    return theme


@transaction.atomic
def reject_theme(*, theme: Theme, actor: Any) -> Theme:
    _editable(theme.compilation, actor)
    _review(theme, actor)
    THEME.move(theme, "reject", actor=actor, summary=theme.name)
    return theme


@transaction.atomic
def rename_theme(*, theme: Theme, actor: Any, name: str, description: str | None = None) -> Theme:
    _editable(theme.compilation, actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Temat måste ha ett namn."))
    if theme.source == ThemeSource.AUTOMATIC and name == theme.automatic_name:
        raise DomainError(str(MACHINE_NAME) % {"name": name})
    old = theme.name
    theme.name = name[:200]
    if description is not None:
        theme.description = description.strip()
    _review(theme, actor)
    theme.save()
    _accept_on_review(theme, actor)
    record_audit(
        actor=actor,
        action="results.theme_renamed",
        obj=theme,
        summary=f"{old} → {theme.name}",
        data={"old": old, "new": theme.name, "automatic_name": theme.automatic_name},
    )
    return theme


@transaction.atomic
def create_theme(
    *, compilation: Compilation, actor: Any, name: str, description: str = ""
) -> Theme:
    _editable(compilation, actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Temat måste ha ett namn."))
    theme = Theme.objects.create(
        compilation=compilation,
        name=name[:200],
        description=description.strip(),
        source=ThemeSource.MANUAL,
        status=ThemeStatus.ACCEPTED,
        created_by=actor,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        order=compilation.themes.count(),
    )
    record_audit(actor=actor, action="results.theme_created", obj=theme, summary=theme.name)
    return theme


def _move(assignments: Iterable[ThemeAssignment], target: Theme) -> int:
    """Move assignments to `target`, keeping who decided each one; drop duplicates."""
    moved = 0
    existing = set(target.assignments.values_list("contribution_id", flat=True))
    for a in assignments:
        if a.contribution_id in existing:
            a.delete()
            continue
        a.theme = target
        a.save(update_fields=["theme"])
        existing.add(a.contribution_id)
        moved += 1
    return moved


@transaction.atomic
def merge_themes(
    *, target: Theme, others: list[Theme], actor: Any, name: str | None = None
) -> Theme:
    """Merge `others` into `target`. The merged themes stay, marked as merged, for the record."""
    _editable(target.compilation, actor)
    others = [o for o in others if o.pk != target.pk]
    if not others:
        raise DomainError(_("Välj minst ett annat tema att slå ihop med."))
    if any(o.compilation_id != target.compilation_id for o in others):
        raise DomainError(_("Teman från olika sammanställningar kan inte slås ihop."))
    if target.status == ThemeStatus.MERGED:
        raise DomainError(_("Temat är redan sammanslaget med ett annat."))
    for other in others:
        _move(list(other.assignments.all()), target)
        other.merged_into = target
        _review(other, actor)
        THEME.move(other, "merge", actor=actor, summary=f"{other.name} → {target.name}")
    if name and name.strip():
        target.name = name.strip()[:200]
    _review(target, actor)
    target.save()
    if target.status == ThemeStatus.REJECTED:
        THEME.move(target, "accept", actor=actor, summary=target.name)
    _accept_on_review(target, actor)
    record_audit(
        actor=actor,
        action="results.themes_merged",
        obj=target,
        summary=_("%(others)s slogs ihop med %(target)s")
        % {"others": ", ".join(o.name for o in others), "target": target.name},
        data={"merged": [o.pk for o in others]},
    )
    return target


@transaction.atomic
def split_theme(
    *,
    theme: Theme,
    actor: Any,
    name: str,
    contribution_ids: list[int],
    description: str = "",
) -> Theme:
    """Move the chosen contributions from `theme` into a new theme named by a person."""
    _editable(theme.compilation, actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Det nya temat måste ha ett namn."))
    chosen = list(theme.assignments.filter(contribution_id__in=contribution_ids))
    if not chosen:
        raise DomainError(_("Välj minst ett bidrag i temat att flytta till det nya temat."))
    if len(chosen) == theme.assignments.count():
        raise DomainError(_("Alla bidrag kan inte flyttas. Byt i stället namn på temat."))
    new = Theme.objects.create(
        compilation=theme.compilation,
        name=name[:200],
        description=description.strip(),
        source=ThemeSource.MANUAL,
        status=ThemeStatus.ACCEPTED,
        created_by=actor,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        split_from=theme,
        order=theme.order,
    )
    for a in chosen:
        # Moving a contribution is a person's decision about it.
        a.theme = new
        a.source = ThemeSource.MANUAL
        a.assigned_by = actor
        a.save(update_fields=["theme", "source", "assigned_by"])
    _review(theme, actor)
    theme.save()
    _accept_on_review(theme, actor)
    record_audit(
        actor=actor,
        action="results.theme_split",
        obj=theme,
        summary=_("%(n)s bidrag flyttades från %(old)s till %(new)s")
        % {"n": len(chosen), "old": theme.name, "new": new.name},
        data={"new_theme": new.pk, "contributions": [a.contribution_id for a in chosen]},
    )
    return new


@transaction.atomic
def code_contribution(*, contribution: Contribution, theme: Theme, actor: Any) -> ThemeAssignment:
    """A person codes a contribution with a theme (or confirms the machine's coding)."""
    _editable(theme.compilation, actor)
    if contribution.dialogue_id != theme.compilation.dialogue_id:
        raise DomainError(_("Bidraget hör inte till den här dialogen."))
    if theme.status in (ThemeStatus.MERGED, ThemeStatus.REJECTED):
        raise DomainError(_("Temat används inte längre."))
    assignment, created = ThemeAssignment.objects.get_or_create(
        theme=theme,
        contribution=contribution,
        defaults={"source": ThemeSource.MANUAL, "assigned_by": actor},
    )
    if not created and assignment.source != ThemeSource.MANUAL:
        assignment.source = ThemeSource.MANUAL
        assignment.assigned_by = actor
        assignment.save(update_fields=["source", "assigned_by"])
    elif not created:
        return assignment  # the same decision twice: nothing new to record
    record_audit(
        actor=actor,
        action="results.contribution_coded",
        obj=contribution,
        summary=_("Kodat med temat %(theme)s") % {"theme": theme.name},
        data={"theme": theme.pk, "confirmed_automatic": not created},
    )
    return assignment


@transaction.atomic
def uncode_contribution(*, contribution: Contribution, theme: Theme, actor: Any) -> None:
    _editable(theme.compilation, actor)
    deleted, _rows = ThemeAssignment.objects.filter(theme=theme, contribution=contribution).delete()
    if deleted:
        record_audit(
            actor=actor,
            action="results.contribution_uncoded",
            obj=contribution,
            summary=_("Togs bort från temat %(theme)s") % {"theme": theme.name},
            data={"theme": theme.pk},
        )


@transaction.atomic
def update_compilation(
    *,
    compilation: Compilation,
    actor: Any,
    summary: str,
    next_steps: str,
    method_notes: str = "",
) -> Compilation:
    _editable(compilation, actor)
    compilation.summary = summary.strip()
    compilation.next_steps = next_steps.strip()
    compilation.method_notes = method_notes.strip()
    compilation.save()
    record_audit(actor=actor, action="results.compilation_updated", obj=compilation)
    return compilation


def publication_blockers(compilation: Compilation) -> list[str]:
    missing = []
    if not compilation.summary.strip():
        missing.append(_("Sammanfattningen saknas."))
    if not compilation.next_steps.strip():
        missing.append(_("Det står inte vad som händer nu."))
    unreviewed = compilation.themes.filter(status=ThemeStatus.PROPOSED).count()
    if unreviewed:
        missing.append(
            _(
                "%(n)s automatiska teman är inte granskade: "
                "godkänn, byt namn, slå ihop eller avfärda."
            )
            % {"n": unreviewed}
        )
    return missing


@transaction.atomic
def publish_compilation(*, compilation: Compilation, actor: Any) -> Compilation:
    compilation = Compilation.objects.select_for_update().get(pk=compilation.pk)
    require(actor, "results.manage_compilation", compilation.dialogue)
    if compilation.is_published:
        return compilation
    compilation.published_at = timezone.now()
    compilation.published_by = actor
    COMPILATION.move(
        compilation,
        "publish",
        actor=actor,
        message=_("Sammanställningen kan inte publiceras ännu."),
    )
    return compilation


@transaction.atomic
def unpublish_compilation(*, compilation: Compilation, actor: Any) -> Compilation:
    require(actor, "results.manage_compilation", compilation.dialogue)
    COMPILATION.move(compilation, "unpublish", actor=actor)
    return compilation


def compilation_published(dialogue: Dialogue) -> list[str]:
    """Gate check for start_feedback: feedback builds on a published compilation (F1, F2)."""
    compilation = Compilation.objects.filter(dialogue=dialogue).first()
    if compilation is None or not compilation.is_published:
        return [_("Sammanställningen är inte publicerad.")]
    return []


@transaction.atomic
def record_export(*, dialogue: Dialogue, actor: Any, what: str, fmt: str) -> None:
    """An official downloads a pseudonymised export (background answers generalised)."""
    require(actor, "results.export_contributions", dialogue)
    record_audit(actor=actor, action="results.exported", obj=dialogue, summary=f"{what}.{fmt}")


@transaction.atomic
def record_raw_export(*, dialogue: Dialogue, actor: Any, fmt: str, reason: str) -> None:
    """An official asks for the contributions with background answers as given (issue 13:
    only on explicit request, with the reason in the log)."""
    require(actor, "results.export_contributions", dialogue)
    record_audit(
        actor=actor,
        action="results.raw_exported",
        obj=dialogue,
        summary=f"bidrag-radata.{fmt}: {reason[:200]}",
        data={"format": fmt, "reason": reason},
    )
