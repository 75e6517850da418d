"""填报任务 end to end in the core: a round, its templates, a batch of returned files."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from jianfu.collect.batch import DUPLICATE, IMPORTED, OTHER, REFUSED, import_files
from jianfu.collect.incoming import from_paths
from jianfu.collect.outgoing import round_templates
from jianfu.collect.rounds import Collect
from jianfu.collect.templates import file_name, read_mark
from jianfu.errors import JianfuError
from tests.support.collect import CODES, UNITS, filled, put

PERIOD = "2025年"


def returned_folder(collect, rnd, tmp_path):
    """One good file, one bad cell, one renamed, one unit twice, one from another round."""
    files = round_templates(collect, rnd)
    other = collect.new_round("另一任务", PERIOD, ["甲镇"], CODES)
    other_file = round_templates(collect, other)[file_name(other, "甲镇")]
    folder = tmp_path / "returned"
    put(folder, file_name(rnd, "甲镇"), filled(files[file_name(rnd, "甲镇")], [1, 2, 3]))
    put(folder, file_name(rnd, "乙镇"), filled(files[file_name(rnd, "乙镇")], [4, "五", 6]))
    put(folder, "扫描件（最终版）.xlsx", filled(files[file_name(rnd, "丙镇")], [7, 8, None]))
    ding = files[file_name(rnd, "丁镇")]
    put(folder, "丁镇_旧.xlsx", filled(ding, [100, 100, 100]), mtime=1_700_000_000)
    put(folder, "丁镇_新.xlsx", filled(ding, [9, 10, 11]), mtime=1_800_000_000)
    put(folder, "错发.xlsx", filled(other_file, [50, 50, 50]))
    return folder


def by_file(report):
    return {o.file: o for o in report.outcomes}


def test_round_is_stored_with_its_units_and_indicators(collect, rnd):
    again = Collect(collect.store).round("2025年度监测")
    assert again.unit_names() == UNITS
    assert list(again.indicators) == CODES
    assert again.period == PERIOD and again.token == rnd.token


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"unit_names": ["无此镇"]}, "单位“无此镇”不存在"),
        ({"indicators": ["no_such"]}, "指标“no_such”不在指标目录中"),
        ({"unit_names": []}, "请至少选择一个填报单位"),
    ],
)
def test_bad_round_is_refused_with_a_message(collect, kwargs, message):
    """A refused round leaves nothing behind: no round, no new period."""
    args = {"unit_names": UNITS, "indicators": CODES, **kwargs}
    with pytest.raises(JianfuError, match=message):
        collect.new_round("坏任务", PERIOD, args["unit_names"], args["indicators"])
    assert "坏任务" not in collect.round_names()
    assert collect.store.periods() == ["2024年"]  # nothing created on the way


def test_group_and_site_list_feed_a_round(collect):
    collect.save_group("七减监测指标", CODES[:2])
    collect.save_sites("监测点", ["丙镇", "甲镇"])
    rnd = collect.new_round("按组", PERIOD, collect.sites()["监测点"], group="七减监测指标")
    assert rnd.unit_names() == ["丙镇", "甲镇"] and list(rnd.indicators) == CODES[:2]


def test_unit_template_is_locked_marked_and_shows_last_period(collect, rnd):
    data = round_templates(collect, rnd)[file_name(rnd, "乙镇")]
    wb = load_workbook(io.BytesIO(data))
    ws = wb["填报"]
    assert [c.value for c in ws[1]][:6] == [
        "单位",
        "时期",
        "指标",
        "计量单位",
        "数值",
        "上期数值（参考）",
    ]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["乙镇"] * 3
    assert ws.cell(row=2, column=6).value == 20  # 乙镇's 2024年 value
    assert ws.protection.sheet and ws["A2"].protection.locked and not ws["E2"].protection.locked
    assert "说明" in wb.sheetnames
    assert read_mark(data) == (rnd.token, "u2")


@pytest.mark.slow  # 0.8 s
def test_batch_from_a_folder_reports_each_file_and_saves_only_accepted(collect, rnd, tmp_path):
    report = import_files(collect, rnd, from_paths([returned_folder(collect, rnd, tmp_path)]))
    got = by_file(report)
    assert got["2025年度监测_甲镇.xlsx"].status == IMPORTED
    assert got["2025年度监测_甲镇.xlsx"].counts["新增"] == 3
    assert got["2025年度监测_乙镇.xlsx"].status == REFUSED
    assert any("第3行" in m and "数值" in m for m in got["2025年度监测_乙镇.xlsx"].messages)
    assert got["扫描件（最终版）.xlsx"].status == IMPORTED
    assert got["扫描件（最终版）.xlsx"].units == ("丙镇",)
    assert got["丁镇_新.xlsx"].status == IMPORTED
    assert got["丁镇_旧.xlsx"].status == DUPLICATE
    assert "较新的“丁镇_新.xlsx”" in got["丁镇_旧.xlsx"].messages[0]
    assert got["错发.xlsx"].status == OTHER
    assert "填报任务“另一任务”" in got["错发.xlsx"].messages[0]
    stored = collect.store.observations(UNITS, [PERIOD])
    saved = {(r.unit, r.indicator): r.value for r in stored.itertuples()}
    assert saved == {
        ("甲镇", "doc_count"): 1, ("甲镇", "meeting_count"): 2, ("甲镇", "inspection_items"): 3,
        ("丙镇", "doc_count"): 7, ("丙镇", "meeting_count"): 8,
        ("丁镇", "doc_count"): 9, ("丁镇", "meeting_count"): 10, ("丁镇", "inspection_items"): 11,
    }  # fmt: skip


@pytest.mark.slow  # 0.7 s
def test_batch_from_a_zip_gives_the_same_report(collect, rnd, tmp_path):
    folder = returned_folder(collect, rnd, tmp_path)
    archive = tmp_path / "回收.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(folder.iterdir()):
            z.write(path, path.name)
    report = import_files(collect, rnd, from_paths([archive]))
    statuses = sorted((o.file.split("/")[-1], o.status) for o in report.outcomes)
    assert statuses == sorted(
        [("2025年度监测_甲镇.xlsx", IMPORTED), ("2025年度监测_乙镇.xlsx", REFUSED),
         ("扫描件（最终版）.xlsx", IMPORTED), ("丁镇_新.xlsx", IMPORTED),
         ("丁镇_旧.xlsx", DUPLICATE), ("错发.xlsx", OTHER)]
    )  # fmt: skip


def test_resent_file_replaces_the_units_round_values(collect, rnd, tmp_path):
    template = round_templates(collect, rnd)[file_name(rnd, "甲镇")]
    first = put(tmp_path / "a", "甲.xlsx", filled(template, [1, 2, 3]))
    import_files(collect, rnd, from_paths([first]))
    second = put(tmp_path / "b", "甲.xlsx", filled(template, [1, 5, None]))
    report = import_files(collect, rnd, from_paths([second]))
    assert report.outcomes[0].counts == {"新增": 0, "修改": 1, "不变": 1, "清除": 1}
    assert collect.store.values_of("甲镇", PERIOD) == {"doc_count": 1, "meeting_count": 5}


def test_value_changed_between_reading_and_saving_is_a_conflict(collect, rnd, tmp_path):
    import pandas as pd

    from jianfu.collect.batch import CONFLICT, apply, plan

    template = round_templates(collect, rnd)[file_name(rnd, "甲镇")]
    path = put(tmp_path, "甲.xlsx", filled(template, [1, 2, 3]))
    planned = plan(collect, rnd, from_paths([path]))
    row = pd.DataFrame([["甲镇", PERIOD, "doc_count", 99.0]],
                       columns=["unit", "period", "indicator", "value"])  # fmt: skip
    collect.store.save_observations(row)  # someone types in a form meanwhile
    report = apply(collect, rnd, planned)
    assert report.outcomes[0].status == CONFLICT
    assert "已被他人修改" in report.outcomes[0].messages[0]
    assert collect.store.values_of("甲镇", PERIOD) == {"doc_count": 99.0}


def test_file_for_a_unit_outside_the_round_is_not_in_it(collect, rnd, tmp_path):
    from jianfu.catalog import Catalog
    from jianfu.dataio.template import template_xlsx

    catalog = collect.store.catalog()
    blank = template_xlsx(Catalog(tuple(catalog[c] for c in CODES)), ["示例县"], [PERIOD])
    wb = load_workbook(io.BytesIO(blank))
    wb["填报"]["C2"] = 5
    buffer = io.BytesIO()
    wb.save(buffer)
    path = put(tmp_path, "县.xlsx", buffer.getvalue())
    report = import_files(collect, rnd, from_paths([path]))
    assert report.outcomes[0].status == OTHER
    assert report.outcomes[0].messages == ("单位“示例县”不在本任务的填报单位中",)


def test_combined_sheet_comes_back_as_one_file_for_several_units(collect, rnd, tmp_path):
    data = round_templates(collect, rnd)[file_name(rnd)]
    assert read_mark(data) == (rnd.token, "")
    wb = load_workbook(io.BytesIO(data))
    ws = wb["填报"]
    assert [ws.cell(row=r, column=1).value for r in range(2, 6)] == UNITS
    ws["C2"], ws["D2"], ws["C4"] = 5, 6, 7  # 甲镇 two values, 丙镇 one
    buffer = io.BytesIO()
    wb.save(buffer)
    path = put(tmp_path, "汇总.xlsx", buffer.getvalue())
    report = import_files(collect, rnd, from_paths([path]))
    assert report.outcomes[0].status == IMPORTED
    assert report.outcomes[0].units == ("甲镇", "丙镇")
    assert collect.store.values_of("甲镇", PERIOD) == {"doc_count": 5, "meeting_count": 6}
    assert collect.store.values_of("丙镇", PERIOD) == {"doc_count": 7}


def test_one_upload_is_capped_in_all(monkeypatch):
    """Many files chosen at once are capped together, as one archive is unpacked."""
    from jianfu.collect import incoming
    from jianfu.errors import JianfuError

    monkeypatch.setattr(incoming, "MAX_ZIP_BYTES", 10)
    assert (
        len(incoming.from_uploads([("甲.xlsx", b"12345", None), ("乙.xlsx", b"12345", None)])) == 2
    )
    with pytest.raises(JianfuError, match="合计超过200MB，请分批导入"):
        incoming.from_uploads([("甲.xlsx", b"123456", None), ("乙.xlsx", b"123456", None)])
