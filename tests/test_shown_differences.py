"""One rounding rule (issue 17, item 11): every difference shown equals the difference of
the shown values, in the self-assessment hand-off as in 对比; rounding goes through jianfu.numbers.format."""

import re
from decimal import Decimal

import pytest

from jianfu.assess.aggregate import Summary
from jianfu.assess.handoff import sentences
from jianfu.assess.scoring import whole
from jianfu.compare.selection import Selection, run_comparison
from jianfu.compare.views import table_view
from jianfu.numbers.format import shown_change


@pytest.mark.parametrize(
    "after, before, digits, expected",
    [
        (72.36, 70.14, 1, 2.3),  # shown 72.4 and 70.1: 2.3, not round(2.22) = 2.2
        (0.125, 0.0, 2, 0.13),  # half up, as the values are shown
        (70.14, 72.36, 1, -2.3),
        (5.0, 5.0, 0, 0.0),
    ],
)
def test_shown_change_is_the_difference_of_the_shown_values(after, before, digits, expected):
    assert shown_change(after, before, digits) == expected


def test_handoff_change_matches_the_indices_it_quotes():
    now = Summary(n=12, suppressed=False, index=72.36)
    earlier = Summary(n=10, suppressed=False, index=70.14)
    text = "".join(sentences(now, round_=2, earlier=earlier))
    assert "72.4分" in text
    assert "提高了2.3分" in text  # 72.4 - 70.1


@pytest.mark.parametrize("value, expected", [(2.5, 3), (-2.5, -3), (72.45, 72), (None, None)])
def test_whole_scores_round_half_up_through_numfmt(value, expected):
    assert whole(value) == expected


_FIGURE = re.compile(r"^([+-]?\d+(?:\.\d+)?)")


def _number(text: str) -> Decimal:
    return Decimal(_FIGURE.match(text).group(1))


@pytest.mark.parametrize(
    "units, group",
    [
        (("示例县城关镇",), None),
        (("示例县城关镇", "示例县青山镇"), None),
        (("示例县城关镇", "示例县青山镇"), "两镇汇总"),
        (("公安分局",), None),
    ],
)
def test_every_change_in_the_table_is_the_difference_of_its_shown_values(demo_store, units, group):
    obs, catalog = demo_store.observations(), demo_store.catalog()
    periods = ("改革前", "改革后") if units == ("公安分局",) else ("2023年", "2024年")
    sel = Selection(units=units, group=group, before=periods[0], after=periods[1])
    view = table_view(run_comparison(obs, catalog, sel, hierarchy=demo_store.units()).table)
    assert len(view)
    for row in view.itertuples(index=False):
        before, after, change = _number(row[3]), _number(row[4]), _number(row[5])
        assert after - before == change, row
