"""The completeness board, outliers and the 催报 text of a round."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from jianfu.collect.batch import import_files
from jianfu.collect.board import DONE, LATE, NONE, PARTIAL, board, outliers, reported_units
from jianfu.collect.incoming import from_paths
from jianfu.collect.outgoing import round_templates
from jianfu.collect.remind import reminder_docx, reminder_text
from jianfu.collect.rounds import Collect
from jianfu.collect.templates import file_name
from tests.support.collect import CODES, filled, put

PERIOD = "2025年"
DUE = date(2025, 3, 31)


@pytest.fixture
def rnd(collect, tmp_path):
    return started_round(collect, tmp_path)


def started_round(collect, tmp_path):
    """甲镇 complete (one value ×10 its 2024年 value), 丙镇 partial, 乙镇 and 丁镇 nothing."""
    rnd = collect.new_round("一季度", PERIOD, collect.children("示例县"), CODES, due=DUE)
    files = round_templates(collect, rnd)
    put(tmp_path / "in", "a.xlsx", filled(files[file_name(rnd, "甲镇")], [100, 10, 11]))
    put(tmp_path / "in", "c.xlsx", filled(files[file_name(rnd, "丙镇")], [30, None, None]))
    import_files(collect, rnd, from_paths([tmp_path / "in"]))
    return rnd


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 3, 31), [DONE, NONE, PARTIAL, NONE]),
        (date(2025, 4, 1), [DONE, LATE, LATE, LATE]),
    ],
)
def test_board_says_each_units_status(collect, rnd, today, expected):
    statuses = board(collect, rnd, today)
    assert [s.status for s in statuses] == expected
    assert statuses[0].file == "a.xlsx" and statuses[0].received is not None
    names = collect.store.catalog()
    assert statuses[2].missing == (names["meeting_count"].name, names["inspection_items"].name)
    assert reported_units(statuses) == ["甲镇"]


@pytest.mark.slow  # 0.9 s
def test_a_value_entered_in_the_form_counts_too(collect, rnd):
    rows = [["乙镇", PERIOD, c, 1.0] for c in CODES]
    collect.store.save_observations(
        pd.DataFrame(rows, columns=["unit", "period", "indicator", "value"])
    )
    assert board(collect, rnd, DUE)[1].status == DONE


def test_outliers_flag_a_tenfold_slip_against_the_units_last_period(collect, rnd):
    found = outliers(collect, rnd)
    assert found[["单位", "本期", "上期"]].values.tolist() == [["甲镇", "100", "10"]]
    assert found["说明"].iloc[0].startswith("本期是上期的10倍")


def test_reminder_lists_units_behind_and_what_they_miss(collect, rnd):
    text = reminder_text(rnd, board(collect, rnd, date(2025, 4, 2)), date(2025, 4, 2))
    assert "尚有3个单位未报齐：乙镇、丙镇、丁镇" in text
    assert "填报截止日期（2025年3月31日）已过" in text
    assert "1. 乙镇：尚未报送。" in text
    assert "2. 丙镇：缺报“" in text and "甲镇：" not in text


def test_reminder_docx_holds_the_same_lines(collect, rnd):
    from docx import Document

    statuses = board(collect, rnd, date(2025, 3, 1))
    doc = Document(io.BytesIO(reminder_docx(rnd, statuses, date(2025, 3, 1))))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "关于催报“一季度”数据的通知"
    assert any("请于2025年3月31日前报送" in t for t in texts)
    to = next(p for p in doc.paragraphs if p.text == "各有关单位：")  # 主送机关 顶格
    body = next(p for p in doc.paragraphs if "请于2025年3月31日前报送" in p.text)
    assert to.paragraph_format.first_line_indent == 0
    assert body.paragraph_format.first_line_indent != 0  # the body keeps its two characters


def test_demo_has_a_finished_round_and_an_open_one_with_late_units(demo_store):
    from jianfu.collect.demo import FINISHED, OPEN

    before = demo_store.observations()
    collect = Collect(demo_store)
    assert collect.round_names() == [FINISHED, OPEN]
    finished = board(collect, collect.round(FINISHED), date(2026, 1, 1))
    assert [s.status for s in finished] == [DONE, DONE]
    assert finished[0].file == "示例县城关镇（2023年）.xlsx"
    late = board(collect, collect.round(OPEN), date(2026, 1, 1))
    assert [(s.unit, s.status) for s in late] == [
        ("示例县城关镇", DONE), ("示例县青山镇", DONE), ("示例县", LATE), ("示例支队", LATE)
    ]  # fmt: skip
    from jianfu.collect.demo import build_demo_rounds

    build_demo_rounds(demo_store)  # again: nothing added
    assert collect.round_names() == [FINISHED, OPEN]
    assert len(demo_store.observations()) == len(before)


@pytest.mark.slow  # 0.8 s
def test_demo_rounds_change_no_demo_figure(tmp_path, catalog):
    from jianfu.collect.demo import build_demo_rounds
    from jianfu.store import Store
    from jianfu.store.demo import build_demo

    store = Store(f"sqlite:///{tmp_path / 'd.sqlite'}", catalog=catalog)
    build_demo(store)
    cols = ["unit", "period", "indicator", "value"]
    before = store.observations()[cols].sort_values(cols[:3]).reset_index(drop=True)
    build_demo_rounds(store)
    after = store.observations()[cols].sort_values(cols[:3]).reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)


def test_the_reported_units_go_to_compare_like_for_like(demo_store):
    """“只看已报单位”: the fully reported units, the round's period against the one before."""
    from urllib.parse import parse_qs

    from jianfu.collect.board import compare_query
    from jianfu.collect.demo import FINISHED, OPEN

    collect = Collect(demo_store)
    periods = demo_store.periods()
    rnd = collect.round(OPEN)
    query = parse_qs(compare_query(rnd, board(collect, rnd, date(2026, 1, 1)), periods))
    assert query == {
        "unit": ["示例县城关镇", "示例县青山镇"],
        "before": ["2023年"],
        "after": ["2024年"],
    }
    first = collect.round(FINISHED)  # nothing in the store before its period: nothing to compare
    earliest = [p for p in periods if p != first.period]
    assert compare_query(first, board(collect, first), [first.period, *earliest]) == ""
    assert compare_query(rnd, [], periods) == ""  # nobody has reported yet


def test_the_compare_page_opens_on_the_units_and_periods_in_its_address(demo_store):
    from jianfu_widgets.compare import CompareApp

    app = CompareApp(demo_store)
    app.open_address(
        "unit=示例县城关镇&unit=示例县青山镇&unit=不存在的单位&before=2021年&after=2024年"
    )
    chosen = app.selection()
    assert chosen.units == ("示例县城关镇", "示例县青山镇")  # an unknown name is passed over
    assert (chosen.before, chosen.after) == ("2021年", "2024年")
    app.open_address("before=2022年&after=2023年")  # no 2022年 here: only 比较期 moves
    assert (app.selection().before, app.selection().after) == ("2021年", "2023年")
    app.open_address("before=2023年&after=2024年")
    assert set(app.result.table["unit"]) == {"示例县城关镇", "示例县青山镇"}


def test_the_board_links_the_reported_units_to_compare(demo_store):
    from jianfu.collect.demo import OPEN
    from jianfu_widgets.collect import CollectApp

    app = CollectApp(demo_store, today=date(2026, 1, 1))
    app.round.value = OPEN
    assert "02_compare.ipynb?unit=%E7%A4%BA%E4%BE%8B%E5%8E%BF%E5%9F%8E%E5%85%B3%E9%95%87" in (
        app.totals.value
    )
    assert "&amp;before=2023%E5%B9%B4&amp;after=2024%E5%B9%B4" in app.totals.value
