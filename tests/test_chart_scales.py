"""Charts that do not inflate (issue 17, items 12 and 13): small bases are not drawn as a
percentage, counts get whole-number ticks, and each page's axis fits the bars on it."""

import math

import pandas as pd
import pytest

from jianfu.charts import bars as bar_charts
from jianfu.charts import lines as line_charts
from jianfu.charts.sizes import SCREEN
from jianfu.compare import COMPARE_COLUMNS, trend
from jianfu.compare.selection import Selection, run_comparison
from jianfu.compare.sentences import change_sentence
from jianfu.compare.smallbase import SMALL_BASE, small_base
from tests.support.chart_specs import CATALOG, comparison_row, notes, plot, rows


def _bars(spec: dict) -> list[dict]:
    return rows(spec, plot(spec)["layer"][0])


def test_small_bases_are_left_out_of_the_change_chart_with_their_counts(demo_store):
    obs, catalog = demo_store.observations(), demo_store.catalog()
    sel = Selection(
        units=("示例县城关镇", "示例县青山镇"), group="两镇", before="2023年", after="2024年"
    )
    table = run_comparison(obs, catalog, sel).table
    spec = bar_charts.change_pages(table, size=SCREEN)[0].to_dict()
    drawn = {r["name"] for r in _bars(spec)}
    assert "容错纠错免责人数" not in drawn and "借调基层干部人数" not in drawn
    assert "发文数量" in drawn
    said = " ".join(notes(spec))
    assert f"基期小于{SMALL_BASE}" in said
    assert "容错纠错免责人数1人→3人" in said and "借调基层干部人数6人→1人" in said


def test_sentences_and_charts_use_one_small_base_rule():
    row = comparison_row("甲", "seconded_staff", 6, 1, "改善")
    assert small_base(row["kind"], row["before"])
    assert change_sentence(row) == "借调干部由6人减少到1人"  # counts, no percentage
    big = comparison_row("甲", "seconded_staff", 60, 10, "改善")
    assert not small_base(big["kind"], big["before"])
    table = pd.DataFrame([row, big], columns=COMPARE_COLUMNS)
    table["unit"] = ["甲", "乙"]
    assert [r["unit"] for r in _bars(bar_charts.change_pages(table)[0].to_dict())] == ["乙"]


def test_each_page_of_the_change_chart_fits_its_own_bars():
    falls = [comparison_row("甲", "doc_count", 100, 100 - n, "改善") for n in range(1, 41)]
    rises = [comparison_row("甲", "doc_count", 100, 100 + 3 * n, "恶化") for n in range(1, 6)]
    many = pd.DataFrame(falls + rises, columns=COMPARE_COLUMNS)
    many["name"] = [f"指标{n}" for n in range(len(many))]
    pages = list(bar_charts.change_pages(many, size=SCREEN))
    assert len(pages) == 2
    first = plot(pages[0].to_dict())["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert first[1] <= 0 < -first[0] <= 60  # only falls down to -40% on page 1
    second = plot(pages[1].to_dict())["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert second[0] >= -10 and 15 <= second[1] <= 30


def _y_axis(spec: dict) -> dict:
    layer = plot(spec)["layer"][0]
    return layer["encoding"]["y"]


@pytest.mark.parametrize(
    "code, values, whole",
    [
        ("doc_count", (82, 81, 85), True),  # 件: whole numbers only
        ("speech_main_minutes", (70.5, 55, 40), False),
    ],
)
def test_counts_get_whole_number_ticks(code, values, whole):
    periods = ["2019年", "2020年", "2021年"]
    obs = pd.DataFrame(
        [("甲", p, code, v) for p, v in zip(periods, values, strict=True)],
        columns=["unit", "period", "indicator", "value"],
    )
    spec = line_charts.trend_pages(trend(obs, CATALOG, periods), CATALOG, [code])[0].to_dict()
    axis = _y_axis(spec)["axis"]
    if whole:
        assert axis["tickMinStep"] == 1 and axis["format"] == "d"
    else:
        assert "tickMinStep" not in axis


def test_ranking_axis_fits_only_negative_values():
    ranking = pd.DataFrame(
        {"rank": [1, 2], "unit": ["甲", "乙"], "value": [-51.0, -20.0], "label": ["-51%", "-20%"]}
    )
    spec = bar_charts.ranking_pages(ranking)[0].to_dict()
    domain = plot(spec)["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain[1] == 0 and -80 <= domain[0] < -51
    assert not math.isnan(domain[0])


def test_ranking_on_one_indicator_does_not_crown_a_small_base():
    from jianfu.compare.ranking import rank

    table = pd.DataFrame(
        [
            {**comparison_row("甲", "care_measures", 1, 3, "改善"), "unit": "甲"},
            {**comparison_row("乙", "care_measures", 40, 60, "改善"), "unit": "乙"},
        ],
        columns=COMPARE_COLUMNS,
    )
    ranking = rank(table, indicator="care_measures")
    assert ranking["unit"].tolist() == ["乙", "甲"]  # +50% ranked; 1 -> 3 is not +200%
    assert ranking.loc[1, "label"] == "1项→3项" and pd.isna(ranking.loc[1, "rank"])
    assert "基期小于10" in ranking.attrs["notes"][0]
