"""Which groups of respondents may show results: the fewer-than-5 rule, safe against subtraction.

A group of fewer than MIN_GROUP people shows its size and nothing else. That
alone does not protect them: with 11 answers overall and the 7 基层 shown, the
other 4 follow by subtraction (total minus the others). So the groups the
dashboard, the projector and the exports can show (each round and all rounds;
each 岗位类别 and 单位 within them; a 单位 and a 岗位类别 together, as the
filters allow) are taken in order of use, and a group is published only when
no group of 1 to MIN_GROUP-1 people can then be computed by adding and
subtracting published groups (complementary suppression). Decided once for
the whole session, so every view and every export hides the same groups.

How "computed" is checked: people who answered in the same round, 单位 and
岗位类别 are indistinguishable to every group, so each such cell is one
coordinate; a group is the 0/1 vector of its cells. A set of cells S can be
computed exactly when its vector lies in the span of the published groups.
With the span in reduced row echelon form (rows R_p with pivot p), 1_S is in
the span iff the vectors c_a (R_a - e_a for a pivot, -e_a otherwise) of its
cells sum to zero; sets of up to four small cells are searched by hashing
pair sums. Arithmetic is modulo the prime 2^61 - 1 (plain ints, fast): it
agrees with exact rational arithmetic unless a minor of the 0/1 group matrix
is a multiple of that prime, which cannot happen below 37 published groups
(Hadamard's bound) and beyond is a chance of about one in 10^18. No numpy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations

from .store import Response, Session

MIN_GROUP = 5
SMALL, DERIVABLE = "small", "derivable"


class _Any:
    """A group key's "every value" (every round, every 单位, every 岗位类别)."""

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()

PRIME = (1 << 61) - 1
Cell = tuple  # (round, unit or None, role or None)
Vector = dict  # column -> int modulo PRIME, zero entries left out


def cell_of(response: Response) -> Cell:
    return (response.round, response.unit or None, response.role or None)


class Disclosure:
    """The groups of one session's submitted responses that may show results.

    Parameters
    ----------
    responses
        Every submitted response of the session (all rounds).
    cross
        True when a view can narrow to a 单位 and a 岗位类别 at once.
    """

    def __init__(
        self, responses: Sequence[Response], cross: bool = True, min_group: int = MIN_GROUP
    ):
        self.min_group = min_group
        self._sizes = Counter(cell_of(r) for r in responses)
        self._span = _Span(self._sizes, min_group)
        for key in candidates(self._sizes, cross):
            cells = frozenset(c for c in self._sizes if _matches(c, key))
            if sum(self._sizes[c] for c in cells) >= min_group:
                self._span.add_if_safe(cells)

    def reason(self, members: Iterable[Response]) -> str:
        """ "" when the group may show its results; SMALL or DERIVABLE when it may not."""
        cells = Counter(cell_of(r) for r in members)
        if sum(cells.values()) < self.min_group:
            return SMALL
        if any(self._sizes.get(c) != n for c, n in cells.items()):
            return DERIVABLE  # not whole cells: not a group any view publishes
        return "" if self._span.contains(frozenset(cells)) else DERIVABLE

    def allows(self, members: Iterable[Response]) -> bool:
        return not self.reason(members)


def for_session(session: Session, responses: Sequence[Response]) -> Disclosure:
    """What any view of ``session`` may show, from all its responses (drafts are left out)."""
    submitted = [r for r in responses if r.submitted]
    return Disclosure(submitted, cross=bool(session.units) and session.ask_role)


def candidates(sizes: Counter, cross: bool) -> list[tuple]:
    """Group keys in the order they are worth showing: rounds, all rounds, then breakdowns."""
    rounds = sorted({c[0] for c in sizes})
    bases = [*rounds, ANY]

    def biggest_first(values, size_of):
        return sorted(values, key=lambda v: (-size_of(v), v is None, str(v)))

    keys: list[tuple] = [(r, ANY, ANY) for r in rounds] + [(ANY, ANY, ANY)]
    for base in bases:
        inside = Counter({c: n for c, n in sizes.items() if base is ANY or c[0] == base})
        roles = Counter()
        units = Counter()
        for (_, unit, role), n in inside.items():
            roles[role] += n
            units[unit] += n
        keys += [(base, ANY, p) for p in biggest_first(roles, roles.__getitem__)]
        keys += [(base, u, ANY) for u in biggest_first(units, units.__getitem__)]
        if cross:
            pairs = Counter({(c[1], c[2]): n for c, n in inside.items() if c[1] and c[2]})
            keys += [(base, u, p) for u, p in biggest_first(pairs, pairs.__getitem__)]
    return keys


def _matches(cell: Cell, key: tuple) -> bool:
    return all(k is ANY or k == v for k, v in zip(key, cell, strict=True))


def _order(cell: Cell) -> tuple:
    return tuple((v is None, str(v)) for v in cell)


class _Span:
    """The published groups and their span over classes of cells.

    Cells that lie in exactly the same published groups (a class) are never told
    apart by them, so every computable group is a union of classes: the algebra
    runs over the few classes, not the many cells.
    """

    def __init__(self, sizes: Counter, min_group: int):
        self.sizes = sizes
        self.min_group = min_group
        self.groups: list[frozenset] = []
        self._solve()

    def contains(self, cells: frozenset) -> bool:
        vector = self._over_classes(cells)
        return vector is not None and not _reduced(self.rows, vector)

    def add_if_safe(self, cells: frozenset) -> bool:
        """Publish a group unless a small group could then be computed; True when published."""
        if self.contains(cells):
            return True  # computable already: showing it reveals nothing new
        self.groups.append(cells)
        self._solve()
        if self._small_group() is None:
            return True
        self.groups.pop()
        self._solve()
        return False

    def _solve(self) -> None:
        """Classes of cells, their sizes, and the groups in reduced row echelon form."""
        signature: dict = {}
        for cell in self.sizes:
            signature.setdefault(tuple(cell in g for g in self.groups), []).append(cell)
        self.classes = list(signature.values())
        self.class_of = {cell: n for n, cells in enumerate(self.classes) for cell in cells}
        self.weights = [sum(self.sizes[c] for c in cells) for cells in self.classes]
        self.rows: dict[int, Vector] = {}
        for group in self.groups:
            left = _reduced(self.rows, self._over_classes(group))
            if left:
                _add_row(self.rows, left)

    def _over_classes(self, cells: frozenset) -> Vector | None:
        """The 0/1 vector of a union of whole classes; None when it splits a class."""
        chosen = {self.class_of[c] for c in cells}
        if any(not set(self.classes[k]) <= cells for k in chosen):
            return None
        return dict.fromkeys(chosen, 1)

    def _small_group(self) -> tuple[int, ...] | None:
        """Classes making a computable group of 1..min_group-1 people, if there is one."""
        limit = self.min_group - 1
        size = self.weights
        small = [k for k, n in enumerate(size) if n <= limit]
        vectors = {k: self._c(k) for k in small}
        for k in small:
            if not vectors[k]:
                return (k,)
        pairs: dict[frozenset, list[tuple[int, int]]] = {}
        for a, b in combinations(small, 2):
            if size[a] + size[b] <= limit:
                total = _added(vectors[a], vectors[b])
                if not total:
                    return (a, b)
                pairs.setdefault(_key(total), []).append((a, b))
        for c in small:  # three classes: a pair that cancels a third
            for a, b in pairs.get(_key(_negated(vectors[c])), ()):
                if c not in (a, b) and size[a] + size[b] + size[c] <= limit:
                    return (a, b, c)
        ones = {
            key: [(a, b) for a, b in found if size[a] + size[b] == 2]
            for key, found in pairs.items()
        }
        for found in ones.values():  # four classes of one person: two pairs that cancel
            for a, b in found:
                for c, d in ones.get(_key(_negated(_added(vectors[a], vectors[b]))), ()):
                    if len({a, b, c, d}) == 4 and 4 <= limit:
                        return (a, b, c, d)
        return None

    def _c(self, k: int) -> Vector:
        """1_S is in the span iff the c-vectors of its classes sum to zero (module doc)."""
        if k in self.rows:
            return {c: v for c, v in self.rows[k].items() if c != k}
        return {k: PRIME - 1}


def _reduced(rows: dict[int, Vector], vector: Vector) -> Vector:
    left = dict(vector)
    for pivot in [c for c in vector if c in rows]:
        factor = left.get(pivot)
        if factor:
            _subtract(left, rows[pivot], factor)
    return left


def _add_row(rows: dict[int, Vector], left: Vector) -> None:
    pivot = min(left)
    inverse = pow(left[pivot], -1, PRIME)
    row = {c: v * inverse % PRIME for c, v in left.items()}
    for other in rows.values():
        factor = other.get(pivot)
        if factor:
            _subtract(other, row, factor)
    rows[pivot] = row


def _subtract(target: Vector, row: Vector, factor: int) -> None:
    for c, v in row.items():
        value = (target.get(c, 0) - factor * v) % PRIME
        if value:
            target[c] = value
        else:
            target.pop(c, None)


def _added(a: Vector, b: Vector) -> Vector:
    total = dict(a)
    for c, v in b.items():
        value = (total.get(c, 0) + v) % PRIME
        if value:
            total[c] = value
        else:
            total.pop(c, None)
    return total


def _negated(vector: Vector) -> Vector:
    return {c: PRIME - v for c, v in vector.items()}


def _key(vector: Vector) -> frozenset:
    return frozenset(vector.items())
