"""Which groups of a published table to hide so that no individual can be worked out.

One rule for every table of groups that partition a known total (cross-tabs of survey
answers, participants per age band, sex or district): a group with fewer people than
``settings.DELAKTIG_MIN_GROUP_SIZE`` is hidden (*primary* suppression, shown "färre än N"),
and further groups are hidden (*complementary* suppression, shown "dolt") until what the
published totals give away about the hidden groups is no sharper than a published group:

* never exactly one hidden group, since total − the visible groups would be its size;
* in a table of answers (a cross-tab), the hidden groups together hold at least the minimum
  group size, so that a column total minus the visible cells describes at least that many
  people, like any shown cell;
* the size of each hidden group stays undetermined: a reader who knows that a "färre än N"
  group has between 1 and N − 1 people and a "dolt" group at least N, and who knows the
  hidden groups' sum (the total minus the visible groups), still cannot pin any one of them
  down to a single number.

The groups hidden in addition are the smallest visible ones, so as little as possible is
hidden. `tests/results/test_disclosure.py` checks with linear programming over generated
tables that no hidden group's size, and no hidden cell that is not zero for everybody, is
derivable from the row, column and grand totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings


def min_group_size() -> int:
    """The one declared minimum group size (``DELAKTIG_MIN_GROUP_SIZE``)."""
    return int(settings.DELAKTIG_MIN_GROUP_SIZE)


@dataclass(frozen=True)
class Hidden:
    primary: frozenset[int]  # indices of groups smaller than the minimum
    complementary: frozenset[int]  # indices hidden so that the primary ones stay hidden
    # Every group hidden and still not safe (a small total): then the groups are not
    # told apart at all, since which are smaller than the minimum could give sizes away.
    everything: bool = False

    @property
    def all(self) -> frozenset[int]:
        return self.primary | self.complementary


def size_bounds(
    sizes: Sequence[int], hidden: Hidden, limit: int, *, floor: int = 1
) -> dict[int, tuple[int, int]]:
    """What a reader can work out about each hidden group's size: its (lowest, highest).

    The reader knows the hidden sum and, per group, floor..limit-1 ("färre än") or
    limit..sum ("dolt").
    """
    total = sum(sizes[i] for i in hidden.all)
    box = {
        i: (floor, total)
        if hidden.everything
        else (floor, limit - 1)
        if i in hidden.primary
        else (limit, total)
        for i in hidden.all
    }
    bounds = {}
    for i, (lo, hi) in box.items():
        others_lo = sum(b[0] for j, b in box.items() if j != i)
        others_hi = sum(b[1] for j, b in box.items() if j != i)
        bounds[i] = (max(lo, total - others_hi), min(hi, total - others_lo))
    return bounds


def _safe(sizes: Sequence[int], hidden: Hidden, limit: int, floor: int, with_cells: bool) -> bool:
    if not hidden.all:
        return True
    if len(hidden.all) == 1:
        return False
    if with_cells and sum(sizes[i] for i in hidden.all) < limit:
        return False
    return all(hi > lo for lo, hi in size_bounds(sizes, hidden, limit, floor=floor).values())


def hide(
    sizes: Sequence[int], limit: int | None = None, *, floor: int = 1, with_cells: bool = True
) -> Hidden:
    """The groups to hide among groups of `sizes` people (see the module docstring).

    `floor` is the smallest size a listed group can have: 1 when only groups with someone
    in them are listed (cross-tabs), 0 when every group is listed (population groups).
    `with_cells`: the table shows what each group answered, so the hidden groups together
    must hold the minimum group size; a table of group sizes alone (representativeness)
    says nothing more about the people in a derived sum than that they are there.
    """
    limit = min_group_size() if limit is None else limit
    if limit <= 1:
        return Hidden(frozenset(), frozenset())
    primary = frozenset(i for i, n in enumerate(sizes) if n < limit)
    hidden = Hidden(primary, frozenset())
    while not _safe(sizes, hidden, limit, floor, with_cells):
        visible = [i for i in range(len(sizes)) if i not in hidden.all]
        if not visible:
            break
        smallest = min(visible, key=lambda i: (sizes[i], i))
        hidden = Hidden(primary, hidden.complementary | {smallest})
    if not _safe(sizes, hidden, limit, floor, with_cells):
        return Hidden(primary, hidden.complementary, everything=True)
    return hidden
