"""Streamed, pseudonymised exports of a dialogue's contributions and results.

Memory stays flat however many rows there are: contributions are read with
``.iterator(chunk_size=...)``, themes are looked up one chunk at a time, CSV lines are
yielded to a ``StreamingHttpResponse`` and XLSX rows go to openpyxl's write-only workbook,
which writes them to a temporary file that is then streamed. ``bench/bench_exports.py``
measures peak memory at 100,000 and 1,000,000 rows.

Pseudonymised: no names, e-mail addresses or user ids of residents. A participant is a
stable pseudonym (HMAC of the dialogue and the participant key with the site's secret key),
so answers by the same person can be grouped without saying who they are. Of ``data`` only
the demographic keys are exported, and the text of hidden (moderated) contributions is not.

The demographic columns are quasi-identifiers: together they can point at one person. The
ordinary export generalises them (`plan_generalisation`) so that no combination of them
describes fewer people than ``DELAKTIG_MIN_GROUP_SIZE``: first the column with the most
different values is coarsened (age into wide bands) or dropped, one at a time, and when
fewer than the minimum are left in too small combinations, those rows lose all of them.
The raw file, with background answers as given, is only for an official who asks for it
with a reason, and that request is audited (`results.raw_exported`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import batched
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.core import disclosure
from delaktig.core.tabular import safe_cell
from delaktig.governance.models import Dialogue
from delaktig.participation.models import Channel, Contribution, ContributionKind, Method
from delaktig.results.models import ThemeAssignment, ThemeStatus
from delaktig.results.representativeness import OPEN_END, band_label, parse_age

CHUNK = 2000
DEMOGRAPHIC_COLUMNS = ["age_band", "gender", "district", "education", "occupation", "years_lived"]


def pseudonym(dialogue_id: int, key: str) -> str:
    if not key:
        return ""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{dialogue_id}:{key}".encode(), hashlib.sha256
    ).hexdigest()
    return f"D{dialogue_id}-{digest[:10]}"


# --- Quasi-identifiers ------------------------------------------------------------------

WIDE_AGE_BANDS = [(0, 29), (30, 49), (50, 64), (65, OPEN_END)]
# How far each column can be coarsened before it is dropped (the last level).
LEVELS = {key: (3 if key == "age_band" else 2) for key in DEMOGRAPHIC_COLUMNS}

Combination = tuple[str, ...]


def _wide_age(value: str) -> str:
    band = parse_age(value)
    if band is None:
        return ""
    covering = [w for w in WIDE_AGE_BANDS if w[0] <= band[1] and band[0] <= w[1]]
    return band_label((covering[0][0], covering[-1][1]))


def _generalise(key: str, value: str, level: int) -> str:
    if level == 0 or not value:
        return value
    if key == "age_band" and level == 1:
        return _wide_age(value)
    return ""


@dataclass(frozen=True)
class Generalisation:
    levels: dict[str, int]  # per column: 0 = as given, LEVELS[key] - 1 = dropped
    blanked: frozenset[Combination]  # combinations still too small: every column emptied

    def apply(self, values: Combination) -> Combination:
        out = tuple(
            _generalise(key, v, self.levels[key])
            for key, v in zip(DEMOGRAPHIC_COLUMNS, values, strict=True)
        )
        return tuple("" for _v in out) if out in self.blanked else out


RAW = Generalisation(levels=dict.fromkeys(DEMOGRAPHIC_COLUMNS, 0), blanked=frozenset())


def _combination_sizes(dialogue: Dialogue) -> Counter[Combination]:
    """People per combination of background answers, counted in the database."""
    fields = {f"qi_{k}": KeyTextTransform(k, "data__demographics") for k in DEMOGRAPHIC_COLUMNS}
    rows = (
        Contribution.objects.filter(dialogue=dialogue)
        .annotate(**fields)
        .values(*fields)
        .annotate(
            keyed=Count("participant_key", distinct=True, filter=~Q(participant_key="")),
            keyless=Count("id", filter=Q(participant_key="")),
        )
        .order_by()
    )
    sizes: Counter[Combination] = Counter()
    for row in rows:
        combination = tuple(str(row[f] or "").strip() for f in fields)
        sizes[combination] += row["keyed"] + row["keyless"]
    return sizes


def plan_generalisation(dialogue: Dialogue, limit: int | None = None) -> Generalisation:
    """The least coarsening after which every combination describes `limit` people or more."""
    limit = disclosure.min_group_size() if limit is None else limit
    return generalise_combinations(_combination_sizes(dialogue), limit)


def generalise_combinations(sizes: Counter[Combination], limit: int) -> Generalisation:
    """Datafly-style: coarsen one column at a time, then empty what is still too small."""
    levels = dict.fromkeys(DEMOGRAPHIC_COLUMNS, 0)
    while True:
        plan = Generalisation(levels=dict(levels), blanked=frozenset())
        merged: Counter[Combination] = Counter()
        for combination, n in sizes.items():
            merged[plan.apply(combination)] += n
        small = {c: n for c, n in merged.items() if n < limit and any(c)}
        open_columns = [k for k in DEMOGRAPHIC_COLUMNS if levels[k] < LEVELS[k] - 1]
        if not small:
            return plan
        if sum(small.values()) < limit or not open_columns:
            return Generalisation(levels=dict(levels), blanked=frozenset(small))
        # Coarsen the column with the most different values (ties: the later column).
        index = {k: i for i, k in enumerate(DEMOGRAPHIC_COLUMNS)}
        column = max(
            open_columns,
            key=lambda k: (len({c[index[k]] for c in merged if c[index[k]]}), index[k]),
        )
        levels[column] += 1


def contribution_header() -> list[str]:
    return [
        _("bidrag"),
        _("tidpunkt"),
        _("aktivitet"),
        _("metod"),
        _("typ"),
        _("kanal"),
        _("status"),
        _("deltagare (pseudonym)"),
        _("text"),
        _("ålder"),
        _("kön"),
        _("område"),
        _("utbildning"),
        _("sysselsättning"),
        _("tid i kommunen"),
        _("teman"),
        _("inmatat av tjänsteperson"),
    ]


def _themes_for(ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        ThemeAssignment.objects.filter(contribution_id__in=ids)
        .exclude(theme__status__in=[ThemeStatus.MERGED, ThemeStatus.REJECTED])
        .order_by("theme__order", "theme_id")
        .values_list("contribution_id", "theme__name")
    )
    for cid, name in rows:
        out[cid].append(name)
    return out


def contribution_rows(
    dialogue: Dialogue, *, chunk_size: int = CHUNK, raw: bool = False
) -> Iterator[list[Any]]:
    """The header, then one row per contribution, oldest first. Flat memory.

    Background answers are generalised (`plan_generalisation`) unless `raw`."""
    plan = RAW if raw else plan_generalisation(dialogue)
    methods = dict(Method.choices)
    kinds = dict(ContributionKind.choices)
    channels = dict(Channel.choices)
    statuses = {"published": _("publicerad"), "pending": _("väntar"), "hidden": _("dold")}
    yield contribution_header()
    qs = (
        Contribution.objects.filter(dialogue=dialogue)
        .order_by("id")
        .values_list(
            "id",
            "created_at",
            "activity__title",
            "activity__method",
            "kind",
            "channel",
            "status",
            "participant_key",
            "author_id",
            "text",
            "data__demographics",
            "entered_by_id",
        )
    )
    tz = timezone.get_current_timezone()
    for chunk in batched(qs.iterator(chunk_size=chunk_size), chunk_size):
        themes = _themes_for([row[0] for row in chunk])
        for pk, created, title, method, kind, channel, status, key, author, text, demo, by in chunk:
            person = key or (f"u{author}" if author else "")
            demo = demo if isinstance(demo, dict) else {}
            shown = plan.apply(
                tuple(str(demo.get(k, "") or "").strip() for k in DEMOGRAPHIC_COLUMNS)
            )
            yield [
                pk,
                timezone.localtime(created, tz).strftime("%Y-%m-%d %H:%M"),
                safe_cell(title),
                str(methods.get(method, method)),
                str(kinds.get(kind, kind)),
                str(channels.get(channel, channel)),
                str(statuses.get(status, status)),
                pseudonym(dialogue.pk, person),
                "" if status == "hidden" else safe_cell(text),
                *[safe_cell(v) for v in shown],
                safe_cell("; ".join(themes.get(pk, []))),
                _("ja") if by else _("nej"),
            ]


def theme_rows(dialogue: Dialogue) -> Iterator[list[Any]]:
    from delaktig.results.selectors import compilation_for, themes_with_counts

    yield [
        _("tema"),
        _("beskrivning"),
        _("ursprung"),
        _("status"),
        _("antal bidrag"),
        _("varav kodade av en person"),
        _("automatiskt förslag till namn"),
        _("granskat"),
    ]
    compilation = compilation_for(dialogue)
    if compilation is None:
        return
    for t in themes_with_counts(compilation, active_only=False):
        yield [
            safe_cell(t.name),
            safe_cell(t.description),
            t.get_source_display(),
            t.get_status_display(),
            t.n,
            t.n_manual,
            safe_cell(t.automatic_name),
            t.reviewed_at.strftime("%Y-%m-%d") if t.reviewed_at else "",
        ]


def representativeness_rows(dialogue: Dialogue) -> Iterator[list[Any]]:
    from delaktig.results.representativeness import compare

    result = compare(dialogue)
    yield [
        _("indelning"),
        _("grupp"),
        _("befolkning"),
        _("andel av befolkningen (%)"),
        _("deltagare"),
        _("andel av deltagarna (%)"),
        _("underrepresenterad"),
    ]
    for dim in result.dimensions:
        for row in dim.rows:
            yield [
                dim.label,
                row.label,
                row.population if row.population is not None else "",
                round(row.population_share * 100, 1) if row.population_share is not None else "",
                row.participants if row.participants is not None else row.participants_display,
                round(row.participant_share * 100, 1) if row.participant_share is not None else "",
                _("ja") if row.under_represented else "",
            ]


def export_filename(dialogue: Dialogue, what: str, ext: str) -> str:
    return f"{dialogue.slug[:60]}-{what}-{timezone.localdate():%Y-%m-%d}.{ext}"
