"""Register facts as a draft's evidence: counts of warnings per area, pointing at the rows."""

from __future__ import annotations

from datetime import date

import pytest

from jianfu.cli import main
from jianfu.registers.evidence import AREAS, register_findings
from jianfu.registers.store import RegisterStore

U = "甲镇"


@pytest.fixture
def registers(tmp_path):
    regs = RegisterStore(f"sqlite:///{tmp_path / 'test.sqlite'}")
    yield regs
    regs.engine.dispose()


def _meeting(day, name, **extra):
    return {"日期": day, "会议名称": name, "会议类型": "部署会", "形式": "现场", "参会层级": "乡镇",
            **extra}  # fmt: skip


def test_findings_count_warnings_per_area_and_cite_rows(registers):
    registers.add("会议", U, _meeting("2025-03-02", "春耕部署会", 主讲话时长=70))
    registers.add("会议", U, _meeting("2025-03-04", "防火部署会", 是否计划内="否"))
    registers.add("会议", U, _meeting("2025-08-01", "防汛部署会"))
    registers.add("督检考", U, {"日期": "2024-05-01", "事项": "旧检查", "类别": "检查",
                                "方式": "实地", "是否要求留痕材料": "是"})  # fmt: skip
    (meetings,) = register_findings(registers, U, date(2026, 1, 10))  # the latest year: 2025
    assert meetings.text == (
        "据会议台账，2025年有主讲话超过1小时的会议1次、计划外会议1次、可合并召开的会议1组"
    )
    assert meetings.basis == "甲镇会议台账（2025年）：台账第1、2号"
    assert (meetings.category, meetings.kind) == ("会议", "register")
    assert meetings.topic == "会议方面仍有超出规定的情况"
    this_year = register_findings(registers, U, date(2025, 12, 31))
    assert this_year[0].text.startswith("据会议台账，今年以来有")
    assert register_findings(registers, "乙镇", date(2026, 1, 10)) == []


@pytest.mark.slow  # 1.0 s
def test_a_draft_cites_the_sample_register_with_its_rows(data_dir, tmp_path, capsys):
    assert main(["demo"]) == 0
    out = tmp_path / "发言.docx"
    args = ["draft", "--genre", "研讨交流发言", "--unit", "示例县城关镇", "--before", "2023年",
            "--after", "2024年", "--out", str(out), "--sources"]  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "据发文登记簿，2024年有超过规定字数的文件1件" in text
    assert "示例县城关镇发文登记簿（2024年）：台账第1、35号" in text


@pytest.mark.parametrize(
    ("area", "kind", "said"),
    [(area, kind, said) for area, (_, _, words) in AREAS.items() for kind, said in words.items()],
)
def test_each_counted_item_reads_as_one_item(area, kind, said):
    """Items are joined by 、: “超过规定字数的文件1件、无文号却篇幅与正式文件相当、发往基层的材料1件”
    read as three items where there were two."""
    assert "、" not in said.format(n=1, speech="1小时", meeting="半天")
