"""Selections that make no sense are said (issue 17, item 5): a base period later than the
comparison period, and a unit without data in the chosen periods, in page, CLI and drafts."""

import pytest

from jianfu.cli import main
from jianfu.compare.selection import Selection, check_pair, check_run
from jianfu.errors import JianfuError
from jianfu_widgets.compare import CompareApp
from jianfu_widgets.draft import DraftApp

REVERSED = "基期“2024年”晚于比较期“2023年”"
NO_DATA = "所选单位在这两个时期没有数据"


@pytest.mark.parametrize(
    "before, after, periods, refused",
    [
        ("2024年", "2023年", ["2023年", "2024年"], True),
        ("2023年", "2024年", ["2023年", "2024年"], False),
        ("改革后", "改革前", ["改革前", "改革后"], True),  # the store's order, not the labels
        ("2019年", "2024年", ["2019年", "2023年", "2024年"], False),
        ("2023年", "2024年", ["2024年", "2023年"], True),  # the user reordered the periods
    ],
)
def test_check_pair_refuses_a_base_later_than_the_comparison(before, after, periods, refused):
    sel = Selection(before=before, after=after)
    if refused:
        with pytest.raises(JianfuError, match="晚于比较期"):
            check_pair(sel, periods)
    else:
        check_pair(sel, periods)


def test_check_run_refuses_periods_out_of_order():
    periods = ["2019年", "2020年", "2021年"]
    with pytest.raises(JianfuError, match="请按时间先后"):
        check_run(Selection(periods=("2021年", "2019年")), periods)
    check_run(Selection(periods=("2019年", "2021年")), periods)


def test_check_pair_with_data_refuses_a_unit_without_values(demo_store):
    obs = demo_store.observations()
    sel = Selection(units=("区委组织部",), before="2023年", after="2024年")
    with pytest.raises(JianfuError, match=NO_DATA):
        check_pair(sel, demo_store.periods(), demo_store.unit_names(), obs=obs)
    check_pair(
        Selection(units=("示例县",), before="2023年", after="2024年"),
        demo_store.periods(),
        obs=obs,
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["compare", "--before", "2024年", "--after", "2023年", "--unit", "示例县"], REVERSED),
        (["compare", "--before", "2023年", "--after", "2024年", "--unit", "区委组织部"], NO_DATA),
        (["compare", "--periods", "2021年,2019年", "--unit", "区委组织部"], "请按时间先后"),
        (["chart", "--kind", "change", "--unit", "示例县", "--before", "2024年",
          "--after", "2023年", "--out", "{tmp}/x.png"], REVERSED),
    ],
)  # fmt: skip
def test_cli_compare_says_so_and_exits_non_zero(demo_data_dir, tmp_path, capsys, args, message):
    assert main([a.replace("{tmp}", str(tmp_path)) for a in args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
    assert not list(tmp_path.glob("*.png"))


@pytest.mark.parametrize(
    "unit, before, after, message",
    [
        ("示例县", "2024年", "2023年", REVERSED),
        ("区委组织部", "2023年", "2024年", NO_DATA),
    ],
)
def test_cli_draft_says_so_and_writes_nothing(
    demo_data_dir, tmp_path, capsys, unit, before, after, message
):
    out = tmp_path / "发言.md"
    args = [
        "draft",
        "--genre",
        "研讨交流发言",
        "--unit",
        unit,
        "--before",
        before,
        "--after",
        after,
    ]
    assert main([*args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_compare_page_refuses_reversed_periods_and_offers_a_swap(demo_store):
    app = CompareApp(demo_store)
    app.choose(before="2024年", after="2023年")
    assert REVERSED in app.message and app.result is None
    assert app.shown("swap")
    app.click("swap")
    assert (app.chosen("before"), app.chosen("after")) == ("2023年", "2024年")
    assert app.message == "" and app.result is not None


def test_draft_page_refuses_reversed_periods(demo_store):
    app = DraftApp(demo_store)
    app.choose(unit="示例县", before="2024年", after="2023年")
    app.click("compose")
    assert app.draft is None
    assert REVERSED in app.status_text
