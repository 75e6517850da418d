"""The drafts the draft tests generate: every genre, every sample unit and pair of its periods."""

from __future__ import annotations

import itertools

from jianfu.store.demo import PERIODS, UNITS, demo_observations

GENRES = ("研讨交流发言", "经验交流材料", "调研报告", "自查报告")


def sample_cases() -> list[tuple[str, str, str]]:
    """Every sample unit with every pair of its periods that have data, in period order."""
    obs = demo_observations()
    cases = []
    for unit, _, _ in UNITS:
        seen = set(obs.loc[obs["unit"] == unit, "period"])
        have = [p for p in PERIODS if p in seen]
        cases += [(unit, b, a) for b, a in itertools.combinations(have, 2)]
    return cases
