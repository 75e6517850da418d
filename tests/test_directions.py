"""Verdict marks from the data (issue 17, item 10): the arrow follows the sign of the change,
the word and colour follow the verdict, and one module owns directions and verdict words."""

import ast
from pathlib import Path

import pytest

from jianfu.catalog import directions
from jianfu.compare.selection import Selection, run_comparison
from jianfu.compare.views import headline
from jianfu_widgets.compare.markup import headline_html

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "verdict, change, expected",
    [
        ("改善", 76.0, "▲ 改善"),  # 一线实战部门警力 301 -> 377: a rise that is good news
        ("改善", -102.0, "▼ 改善"),  # 发文数量 200 -> 98
        ("恶化", 7.0, "▲ 恶化"),  # 便笺 12 -> 19
        ("恶化", -3.0, "▼ 恶化"),  # a fall where more is better
        ("持平", 0.0, "持平"),
        ("新增", 2.0, "▲ 新增"),
        ("变化", float("nan"), "变化"),
    ],
)
def test_the_arrow_follows_the_sign_and_the_word_the_verdict(verdict, change, expected):
    assert directions.mark(verdict, change) == expected


@pytest.mark.parametrize(
    "verdict, direction, tone",
    [
        ("改善", "越少越好", "good"),
        ("恶化", "越多越好", "bad"),
        ("新增", "越多越好", "good"),  # 容错纠错免责人数 0 -> 2
        ("新增", "越少越好", "bad"),  # a new app where there was none
        ("新增", "中性", "plain"),
        ("持平", "越少越好", "plain"),
        ("变化", "中性", "plain"),
    ],
)
def test_tone_is_the_verdict_and_a_new_value_takes_its_direction_side(verdict, direction, tone):
    assert directions.tone(verdict, direction) == tone


def test_headline_card_of_a_rise_that_improved_points_up(demo_store):
    obs, catalog = demo_store.observations(), demo_store.catalog()
    sel = Selection(units=("公安分局",), before="改革前", after="改革后")
    table = run_comparison(obs, catalog, sel).table
    frontline = table[table["indicator"] == "frontline_police"]
    cards = headline(frontline)
    assert cards[0]["items"][0]["mark"] == "▲ 改善"
    html = headline_html(cards)
    assert "▲ 改善" in html and "▼ 改善" not in html
    cut = headline(table[table["indicator"] == "community_police_ledgers"])
    assert cut[0]["items"][0]["mark"] == "▼ 改善"


# ---- one module ----------------------------------------------------------------------

WORDS = {"越少越好", "越多越好", "中性", "改善", "恶化", "持平", "新增"}
# the modules that used to carry their own copies
OWNERS = [
    "jianfu/compare/engine.py",
    "jianfu/compare/trend.py",
    "jianfu/compare/sentences.py",
    "jianfu/compare/ranking.py",
    "jianfu/compare/thresholds.py",
    "jianfu/compare/views.py",
    "jianfu/charts/bars.py",
    "jianfu/charts/lines.py",
    "jianfu/charts/shaping.py",
    "jianfu/charts/style.py",
    "jianfu/charts/figures.py",
    "widgets/compare/app.py",
    "widgets/compare/results.py",
    "widgets/compare/markup.py",
    "widgets/compare/group.py",
    "jianfu/cli/commands.py",
    "jianfu/cli/draft.py",
    "jianfu/speech/compose.py",
    "jianfu/speech/problems.py",
    "jianfu/assess/handoff.py",
]


def _bare_words(path: Path) -> list[str]:
    """String constants that are exactly a direction or verdict word (f-string parts aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    return [
        f"{path.name}:{node.lineno} {node.value}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in WORDS
        and id(node) not in inside_fstrings
    ]


@pytest.mark.parametrize("module", OWNERS)
def test_directions_and_verdict_words_are_written_in_one_module(module):
    assert _bare_words(ROOT / module) == []
