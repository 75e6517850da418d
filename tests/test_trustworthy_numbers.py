"""Figures that must not mislead, each against hand-checked numbers, on the engine and the CLI.

Every case here was a wrong figure a speaker could have repeated: a missing value
read as a rise, a total over different units in two periods, a rounded pair that
did not add up, and a warning in words nobody writes.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jianfu.catalog import load_catalog
from jianfu.cli import main
from jianfu.compare import compare, trend
from jianfu.compare.selection import Selection, run_comparison
from jianfu.compare.views import not_compared_view, table_view
from jianfu.numbers.format import fmt_number
from jianfu.store import Store
from tests.support.observations import make_obs as obs

CATALOG = load_catalog()
COLUMNS = ["unit", "period", "indicator", "value"]


@pytest.fixture
def cli_store(data_dir):
    """A database for the command line; rows are saved into it by each test."""
    return Store.default()


def run_cli(capsys, *args) -> str:
    assert main(["compare", *args]) == 0
    return capsys.readouterr().out


# ---- no baseline is not an increase --------------------------------------------------

# a town entered only for 2025, compared 2023 -> 2025
NEW_TOWN = obs(
    ("新镇", "2025年", "doc_count", 30),
    ("新镇", "2025年", "meeting_count", 12),
    ("新镇", "2025年", "gov_apps", 2),
    ("老镇", "2023年", "doc_count", 40),
    ("老镇", "2025年", "doc_count", 30),
    ("老镇", "2023年", "gov_apps", 0),  # a recorded zero: this one is 新增
    ("老镇", "2025年", "gov_apps", 2),
)


def test_missing_baseline_is_not_compared_on_the_engine():
    result = run_comparison(NEW_TOWN, CATALOG, Selection(before="2023年", after="2025年"))
    table = result.table.set_index(["unit", "indicator"])
    assert set(table.loc["新镇", "verdict"]) == {"基期无数据"}
    assert table.loc[("老镇", "gov_apps"), "verdict"] == "新增"
    # the new town is listed apart, never in a sentence as a rise
    assert not_compared_view(result.table)["单位"].tolist() == ["新镇"] * 3
    assert "新镇" not in set(table_view(result.table)["单位"])
    text = "".join(result.sentences)
    assert "新镇" not in text and "新增30件" not in text and "30件" not in text
    assert "面向基层政务App数由0增加到2个" in text  # only a recorded zero reads as a rise from 0


def test_missing_baseline_is_not_compared_on_the_cli(cli_store, capsys):
    cli_store.save_observations(NEW_TOWN)
    out = run_cli(capsys, "--before", "2023年", "--after", "2025年")
    listed = out.split("未作比较：", 1)[1]
    assert "新镇" in listed and "基期无数据" in listed
    sentences = [line for line in out.splitlines() if line.endswith("。")]
    assert sentences and not [s for s in sentences if "新镇" in s]


# ---- aggregates compare like with like ----------------------------------------------

# three towns in 2024, two in 2023: 甲 40 -> 30, 乙 60 -> 50, 丙 only 30 in 2024
THREE_TOWNS = obs(
    ("甲镇", "2023年", "doc_count", 40),
    ("甲镇", "2024年", "doc_count", 30),
    ("乙镇", "2023年", "doc_count", 60),
    ("乙镇", "2024年", "doc_count", 50),
    ("丙镇", "2024年", "doc_count", 30),
)


def test_a_total_counts_only_units_with_data_in_both_periods():
    table = compare(THREE_TOWNS, CATALOG, "2023年", "2024年", group="全县")
    row = table.iloc[0]
    # like for like: 100 -> 80 (-20%, 改善); all units: 100 -> 110 would be a false 恶化
    assert (row["before"], row["after"], row["pct_change"], row["verdict"]) == (
        100,
        80,
        -20,
        "改善",
    )
    assert row["warnings"] == []  # no false 只减不增 warning
    assert table.attrs["left_out"] == [
        {"unit": "丙镇", "indicator": "doc_count", "name": "发文数量", "missing": "2023年"}
    ]


def test_a_run_of_periods_counts_only_units_with_data_in_all_of_them():
    rows = obs(*THREE_TOWNS.itertuples(index=False), ("甲镇", "2025年", "doc_count", 20))
    table = trend(rows, CATALOG, ["2023年", "2024年", "2025年"], group="全县")
    assert table.iloc[0]["values"] == [40, 30, 20]  # 甲 only: 乙 lacks 2025, 丙 lacks 2023
    assert [r["unit"] for r in table.attrs["left_out"]] == ["乙镇", "丙镇"]


def test_the_cli_says_which_units_a_total_left_out(cli_store, capsys):
    cli_store.save_observations(THREE_TOWNS)
    out = run_cli(
        capsys, "--before", "2023年", "--after", "2024年", "--group", "全县",
        "--unit", "甲镇", "--unit", "乙镇", "--unit", "丙镇",
    )  # fmt: skip
    assert "100件" in out and "80件" in out and "-20%" in out and "改善" in out
    assert "只减不增" not in out
    assert "汇总时未计入" in out and "丙镇" in out
    assert "未计入：丙镇的发文数量（2023年无数据）。" in out


# ---- figures a reader sees add up -----------------------------------------------------


@pytest.mark.parametrize(
    "rows, before, after, shown",
    [
        # 301/407 = 73.96% -> 377/407 = 92.63%: shown 74.0% -> 92.6%, +18.6 (not +18.7)
        (
            obs(
                ("分局", "改革前", "frontline_police", 301),
                ("分局", "改革前", "total_police", 407),
                ("分局", "改革后", "frontline_police", 377),
                ("分局", "改革后", "total_police", 407),
            ),
            "改革前",
            "改革后",
            ("74.0%", "92.6%", "+18.6个百分点"),
        ),
        # 5/44 = 11.36% -> 14/37 = 37.84%: shown 11.4% -> 37.8%, +26.4 (not +26.5)
        (
            obs(
                ("镇", "2023年", "meeting_video", 5),
                ("镇", "2023年", "meeting_count", 44),
                ("镇", "2024年", "meeting_video", 14),
                ("镇", "2024年", "meeting_count", 37),
            ),
            "2023年",
            "2024年",
            ("11.4%", "37.8%", "+26.4个百分点"),
        ),
    ],
)
def test_a_change_equals_the_difference_of_the_values_shown(rows, before, after, shown):
    table = compare(rows, CATALOG, before, after)
    view = table_view(table)
    share = view[view["指标"].str.endswith("占比")].iloc[0]
    assert (share[before], share[after], share["变化"]) == shown


def test_the_cli_shows_the_same_figures(cli_store, capsys):
    cli_store.save_observations(
        obs(
            ("分局", "改革前", "frontline_police", 301),
            ("分局", "改革前", "total_police", 407),
            ("分局", "改革后", "frontline_police", 377),
            ("分局", "改革后", "total_police", 407),
        )
    )
    out = run_cli(capsys, "--before", "改革前", "--after", "改革后")
    assert "74.0%" in out and "92.6%" in out and "+18.6个百分点" in out
    assert "18.7" not in out
    assert "由74.0%提高到92.6%，提高18.6个百分点" in out


@settings(max_examples=200, deadline=None)
@given(
    parts=st.tuples(
        st.integers(0, 5000), st.integers(1, 5000), st.integers(0, 5000), st.integers(1, 5000)
    )
)
@pytest.mark.slow  # 1.3 s
def test_shown_points_always_equal_the_shown_difference(parts):
    num_b, den_b, num_a, den_a = parts
    rows = obs(
        ("甲", "2023年", "frontline_police", min(num_b, den_b)),
        ("甲", "2023年", "total_police", den_b),
        ("甲", "2024年", "frontline_police", min(num_a, den_a)),
        ("甲", "2024年", "total_police", den_a),
    )
    row = (
        compare(rows, CATALOG, "2023年", "2024年")
        .set_index("indicator")
        .loc["frontline_police_share"]
    )
    d = int(row["decimals"])
    shown_b, shown_a = (float(fmt_number(row[k], d, fixed=True)) for k in ("before", "after"))
    assert fmt_number(row["pp_change"], d, fixed=True) == fmt_number(
        shown_a - shown_b, d, fixed=True
    )


# ---- warnings in the rule's own words --------------------------------------------------


def test_a_none_in_principle_rule_warns_in_its_own_words(cli_store, capsys):
    cli_store.save_observations(
        obs(("局", "2023年", "seconded_staff", 4), ("局", "2024年", "seconded_staff", 1))
    )
    out = run_cli(capsys, "--before", "2023年", "--after", "2024年")
    assert "上级机关原则上不得从县级以下借调干部，当前为1人" in out
    assert "超过上限0" not in out


# ---- charts show what the table shows -------------------------------------------------


def test_the_trend_chart_of_a_total_draws_the_total():
    from jianfu.charts import lines as line_charts

    table = trend(THREE_TOWNS, CATALOG, ["2023年", "2024年"], group="全县")
    spec = line_charts.trend_pages(table, CATALOG, ["doc_count"])[0].to_dict()
    data = next(iter(spec["datasets"].values()))
    assert {r["unit"] for r in data} == {"全县"}
    assert sorted(r["value"] for r in data) == [80, 100]  # the table's like-for-like figures
