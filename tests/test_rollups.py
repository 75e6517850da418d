"""A roll-up that is not a sum says so (issue 17, item 9).

Two towns combined: 主讲话时长 is the longer of the two (max), 单件文件平均字数 and 单次
会议时长 are means weighted by the counts the catalog names, and 满意率 (a rate typed
in, with no count of respondents) is not rolled up at all: the table says why. Rows are
labelled in tables, charts and sentences, never passed off as a total.
"""

import json

import pytest

from jianfu.catalog import parse_catalog
from jianfu.charts.figures import pair_figures
from jianfu.charts.sizes import SCREEN
from jianfu.cli import main
from jianfu.compare.selection import Selection, run_comparison, run_trend
from jianfu.compare.views import table_view, trend_view
from jianfu.errors import CatalogError

TOWNS = ("示例县城关镇", "示例县青山镇")


@pytest.fixture
def towns(demo_store):
    obs, catalog, units = demo_store.observations(), demo_store.catalog(), demo_store.units()
    sel = Selection(units=TOWNS, group="两镇汇总", before="2023年", after="2024年")
    return run_comparison(obs, catalog, sel, hierarchy=units), catalog


def test_means_are_weighted_by_the_catalogs_counts(towns):
    result, _ = towns
    table = result.table.set_index("indicator")
    # (5600*46 + 4800*39) / 85 and (4200*31 + 3900*33) / 64 characters per document
    assert table.loc["doc_avg_chars", ["before", "after"]].tolist() == [5232.94, 4045.31]
    # (75*58 + 60*44) / 102 and (50*40 + 45*37) / 77 minutes per meeting
    assert table.loc["meeting_minutes", ["before", "after"]].tolist() == [68.53, 47.6]
    assert table.loc["speech_main_minutes", ["before", "after"]].tolist() == [65, 45]  # the longer


def test_table_labels_what_each_roll_up_is(towns):
    result, _ = towns
    names = table_view(result.table)["指标"].tolist()
    assert "主讲话时长（两镇中最长）" in names
    assert "单件文件平均字数（按发文数量加权平均）" in names
    assert "单次会议时长（按会议数量加权平均）" in names
    assert "发文数量" in names  # a sum needs no label


def test_a_rate_typed_in_is_not_rolled_up_and_the_table_says_why(towns):
    result, _ = towns
    assert "satisfaction_rate" not in set(result.table["indicator"])
    note = result.not_rolled_up_note
    assert "干部对减负成效满意率" in note and "不能直接平均" in note


def test_sentences_say_the_longest_and_the_weighted_mean(towns):
    result, _ = towns
    said = "。".join(result.sentences)
    assert "两镇中最长的主讲话时长由65分钟缩短到45分钟" in said
    assert "单次会议时长（按会议数量加权平均）由68.53分钟缩短到47.60分钟" in said
    assert "两镇汇总主讲话时长" not in said  # never said under the group's name as a total
    assert "满意率" in said and "不能直接平均" in said


@pytest.mark.slow  # 1.3 s
def test_charts_label_the_rows(towns):
    result, catalog = towns
    specs = {
        f.name: json.dumps(f.pages(SCREEN)[0].to_dict(), ensure_ascii=False)
        for f in pair_figures(result, catalog)
    }
    assert "主讲话时长（两镇中最长）" in specs["变化幅度"]
    assert "主讲话时长（两镇中最长）" in specs["前后对比"]


def test_trend_of_a_group_labels_its_rows(demo_store):
    obs, catalog, units = demo_store.observations(), demo_store.catalog(), demo_store.units()
    sel = Selection(units=TOWNS, group="两镇汇总", periods=("2023年", "2024年"))
    table, sentences = run_trend(obs, catalog, sel, hierarchy=units)
    names = trend_view(table, ["2023年", "2024年"])["指标"].tolist()
    assert "主讲话时长（两镇中最长）" in names
    assert any(s.startswith("两镇中最长的主讲话时长2023年至2024年") for s in sentences)


def test_cli_prints_the_labels_and_the_reason(demo_data_dir, capsys):
    args = ["compare", "--before", "2023年", "--after", "2024年", "--group", "两镇汇总"]
    assert main([*args, "--unit", TOWNS[0], "--unit", TOWNS[1]]) == 0
    out = capsys.readouterr().out
    assert "主讲话时长（两镇中最长）" in out and "不能直接平均" in out
    assert main([*args, "--unit", TOWNS[0], "--unit", TOWNS[1], "--json"]) == 0
    records = {r["indicator"]: r for r in json.loads(capsys.readouterr().out)}
    assert records["speech_main_minutes"]["rollup"] == "max"
    assert records["speech_main_minutes"]["rollup_label"] == "两镇中最长"
    assert records["doc_count"]["rollup"] == "sum" and records["doc_count"]["rollup_label"] == ""


# ---- the catalog's rules -----------------------------------------------------------------

BASE = [
    {"code": "answers", "name": "调查人数", "category": "成效", "measure": "人",
     "direction": "中性", "kind": "count"},
]  # fmt: skip


def _rate(**extra):
    return {"code": "rate", "name": "满意率", "category": "成效", "measure": "%",
            "direction": "越多越好", "kind": "percent", **extra}  # fmt: skip


@pytest.mark.parametrize(
    "entry, problem",
    [
        (_rate(aggregate="mean"), "权数"),  # an unweighted mean of rates is refused
        (_rate(aggregate="mean", weight="nothing"), "“nothing”不存在"),
        (_rate(aggregate="max", weight="answers"), "只用于平均"),
        (_rate(aggregate="mean", weight="rate"), "计数类指标"),
    ],
)
def test_catalog_refuses_rates_averaged_without_a_count_weight(entry, problem):
    with pytest.raises(CatalogError, match=problem):
        parse_catalog({"indicators": [*BASE, entry]})


def test_a_rate_with_respondents_as_its_weight_is_rolled_up():
    catalog = parse_catalog({"indicators": [*BASE, _rate(aggregate="mean", weight="answers")]})
    import pandas as pd

    obs = pd.DataFrame(
        [
            ("甲", "2023年", "rate", 70.0), ("甲", "2023年", "answers", 10),
            ("乙", "2023年", "rate", 90.0), ("乙", "2023年", "answers", 30),
            ("甲", "2024年", "rate", 80.0), ("甲", "2024年", "answers", 10),
            ("乙", "2024年", "rate", 90.0), ("乙", "2024年", "answers", 30),
        ],
        columns=["unit", "period", "indicator", "value"],
    )  # fmt: skip
    sel = Selection(units=("甲", "乙"), group="合计", before="2023年", after="2024年")
    table = run_comparison(obs, catalog, sel).table.set_index("indicator")
    assert table.loc["rate", ["before", "after"]].tolist() == [85.0, 87.5]  # not 80 and 85
    assert table_view(table.reset_index())["指标"].tolist()[1] == "满意率（按调查人数加权平均）"
