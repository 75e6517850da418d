"""Indicators derived from hand-made registers, exactly; the hand-off to the store."""

from __future__ import annotations

import math

import pytest

from jianfu.registers import RegisterError
from jianfu.registers.derive import derive
from jianfu.registers.handoff import plan, write
from jianfu.registers.store import RegisterStore

U = "甲镇"
DOCS = [  # date, 文号, 文种, 字数, 多文合一
    ("2025-12-31", "甲发〔2025〕99号", "正式文件", 9000, "否"),  # last year: not counted
    ("2026-01-01", "甲发〔2026〕1号", "正式文件", 3000, "否"),  # first day of the year
    ("2026-06-30", "甲发〔2026〕2号", "专项工作文件", 4000, "是"),  # 多文合一: one document
    ("2026-07-01", "", "便笺", 800, "否"),  # 便笺 without 文号
    ("2026-09-30", "", "工作提示", None, "否"),
    ("2026-12-31", "甲发〔2026〕3号", "通知", None, "否"),  # numbered: a document; no 字数
    ("2027-01-01", "甲发〔2027〕1号", "正式文件", 100, "否"),  # next year: not counted
]
MEETINGS = [  # date, name, form, minutes, speech minutes
    ("2026-02-10", "全镇工作会", "现场", 120, 70),
    ("2026-05-06", "防汛视频会", "视频", 45, 20),
    ("2026-08-08", "安全电话会", "电话", 30, None),
    ("2026-11-11", "年终推进会", "现场", None, 70),
]
INSPECTIONS = [  # date, item, kind, form
    ("2026-03-01", "安全生产检查", "检查", "实地"),
    ("2026-04-01", "年度考核", "考核", "材料"),
    ("2026-05-01", "产业调研", "调研", "实地"),
]


def fill(regs: RegisterStore) -> RegisterStore:
    """The hand-made registers above, in ``regs`` (ids 1–7 documents, 8–11 meetings, 12–14 checks)."""
    for day, no, kind, chars, combined in DOCS:
        regs.add("发文", U, {"日期": day, "文号": no, "标题": f"文件{day}", "文种": kind,
                             "字数": chars, "是否多文合一": combined})  # fmt: skip
    for day, name, form, minutes, speech in MEETINGS:
        regs.add("会议", U, {"日期": day, "会议名称": name, "会议类型": "专题会", "形式": form,
                             "会议时长": minutes, "主讲话时长": speech})  # fmt: skip
    for day, item, kind, form in INSPECTIONS:
        regs.add("督检考", U, {"日期": day, "事项": item, "类别": kind, "方式": form})
    return regs


@pytest.fixture
def registers(tmp_path):
    regs = fill(RegisterStore(f"sqlite:///{tmp_path / 'test.sqlite'}"))
    yield regs
    regs.engine.dispose()


def _by_label(figures):
    return {f.label: (f.value, f.row_ids) for f in figures}


def test_a_year_derived_exactly(registers):
    got = _by_label(derive(registers, U, "2026年"))
    assert got["发文数量（有文号的文件）"] == (3, (2, 3, 6))
    assert got["无文号来文/便笺数量"] == (2, (4, 5))
    assert got["其中多文合一（各计1件）"] == (1, (3,))
    assert got["单件文件平均字数"] == (3500, (2, 3))  # (3000 + 4000) / 2: numbered with 字数
    assert got["会议数量"][0] == 4
    assert got["视频会议数量"][0] == 2  # 视频 and 电话
    assert got["主讲话时长（最长一次）"] == (70, (8, 11))  # both longest meetings cited
    assert got["主讲话时长（平均，仅供参考，不写入）"][0] == pytest.approx(160 / 3)
    assert got["单次会议时长（平均）"][0] == pytest.approx(195 / 3)
    assert got["督检考事项数（督查、检查、考核）"][0] == 2
    assert got["实地督检考次数"] == (1, (12,))
    assert got["调研（另计，不计入督检考事项）"][0] == 1


@pytest.mark.parametrize(
    ("period", "documents"),
    [
        ("2026年上半年", 2),  # 1月1日 and 6月30日
        ("2026年下半年", 3),  # 7月1日, 9月30日, 12月31日
        ("2026年第三季度", 2),
        ("2026年12月", 1),
        ("2027年", 1),
    ],
)
def test_period_boundaries(registers, period, documents):
    figures = {f.code: f for f in derive(registers, U, period)}
    assert figures["doc_count"].value + figures["doc_unnumbered"].value == documents


def test_a_period_that_is_not_a_calendar_span_is_refused(registers):
    with pytest.raises(RegisterError, match="时期“改革后”不是日历时期"):
        derive(registers, U, "改革后")


def test_written_with_source_and_rows_and_typed_values_kept(registers, store):
    store.save_observations(
        __import__("pandas").DataFrame(
            {"unit": [U], "period": ["2026年"], "indicator": ["doc_count"], "value": [5.0]}
        ),
        source="表单录入",
    )
    figures = derive(registers, U, "2026年")
    before = {o.figure.code: o.status for o in plan(store, U, "2026年", figures)}
    assert before["doc_count"] == "冲突" and before["meeting_count"] == "新增"
    done = write(store, registers, U, "2026年", figures)
    conflict = next(o for o in done if o.figure.code == "doc_count")
    assert conflict.line("发文数量") == (
        "发文数量：台账计算为3，已录入的值为5（来源：表单录入），未覆盖；请核对后选择保留哪一个"
    )
    obs = store.observations([U], ["2026年"]).set_index("indicator")
    assert obs.loc["doc_count", "value"] == 5  # the typed value stays
    assert obs.loc["meeting_count", "source"] == "台账"
    assert obs.loc["meeting_count", "note"] == "由台账4条记录计算"
    assert math.isclose(obs.loc["meeting_minutes", "value"], 65)
    assert "speech_main_minutes" in obs.index and "meeting_video_share" not in obs.index
    links = registers.links(U, "2026年")
    assert links["inspection_visits"] == (1.0, (12,)) and "doc_count" not in links
    # the user chose the register's figure after seeing both
    write(store, registers, U, "2026年", figures, replace=["doc_count"])
    assert store.values_of(U, "2026年")["doc_count"] == 3
    assert registers.links(U, "2026年")["doc_count"] == (3.0, (2, 3, 6))
    # derived again after a new row: the register's own value is updated, no conflict
    registers.add("会议", U, {"日期": "2026-12-01", "会议名称": "补登", "会议类型": "专题会",
                              "形式": "现场"})  # fmt: skip
    again = write(store, registers, U, "2026年", derive(registers, U, "2026年"))
    assert {o.figure.code: o.status for o in again}["meeting_count"] == "更新"
    assert store.values_of(U, "2026年")["meeting_count"] == 5


@pytest.mark.slow  # 1.0 s
def test_the_sample_registers_give_the_towns_2024_demo_figures(data_dir, capsys):
    from jianfu.cli import main
    from jianfu.registers.sample import TOWNS
    from jianfu.store import Store
    from jianfu.store.demo import TOWN_VALUES

    assert main(["demo"]) == 0
    assert main(["demo"]) == 0  # idempotent: no second set of rows
    store = Store.default()
    regs = RegisterStore(store.url, engine=store.engine)
    assert len(regs.rows()) == 231
    for town in TOWNS:
        derived = {f.code: f.value for f in derive(regs, town.unit, "2024年") if f.code}
        assert len(derived) == 9
        assert derived == {c: TOWN_VALUES[town.unit][c][1] for c in derived}
        outcomes = plan(store, town.unit, "2024年", derive(regs, town.unit, "2024年"))
        assert {o.status for o in outcomes} == {"相同"}  # typed and derived agree
    store.engine.dispose()
