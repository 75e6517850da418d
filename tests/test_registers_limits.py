"""The register warning limits come from data/registers/limits.yaml, checked and quoted."""

from __future__ import annotations

from datetime import date

import pytest

from jianfu.registers.limits import LIMITS_PATH, load_limits, shipped_limits
from jianfu.registers.merging import merge_suggestions
from jianfu.registers.model import RegisterError
from jianfu.registers.store import Row
from jianfu.registers.warnings import row_warnings

SHIPPED = LIMITS_PATH.read_text(encoding="utf-8")


def edited(tmp_path, old: str, new: str):
    """A temp copy of the shipped file with one piece of text replaced."""
    assert old in SHIPPED
    path = tmp_path / "limits.yaml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    return path


def doc(row_id=1, **values):
    return Row(row_id, "documents", "甲镇", date(2026, 3, 5), {"title": "某文件", **values})


def meeting(row_id, day, **values):
    base = {"name": f"会{row_id}", "kind": "专题会", "audience": "乡镇", **values}
    return Row(row_id, "meetings", "甲镇", day, base)


def test_the_shipped_limits_are_the_rules_and_read_once():
    limits = load_limits()
    assert limits is shipped_limits() is load_limits()
    assert [limits.document_chars.number, limits.task_document_chars.number] == [5000, 4000]
    assert [limits.speech_minutes.number, limits.meeting_minutes.number] == [60, 240]
    assert [limits.memo_chars.number, limits.merge_window_days.number] == [1500, 7]
    assert "若干规定" in limits.document_chars.source


def test_a_limit_edited_in_a_copy_changes_the_warning_and_its_source(tmp_path):
    path = edited(tmp_path, "value: 5000\n  source: 《整治形式主义为基层减负若干规定》关于文件篇幅的要求",
                  "value: 3000\n  source: 某县实施细则")  # fmt: skip
    row = doc(doc_no="甲发1号", kind="正式文件", chars=4000)
    assert row_warnings([row]) == []  # within the shipped 5000
    (alert,) = row_warnings([row], load_limits(path))
    assert alert.text.endswith("4000字，超过文件一般不超过3000字的要求（依据：某县实施细则）")


@pytest.mark.parametrize(
    ("old", "new", "row", "says"),
    [
        ("value: 60\n", "value: 90\n", meeting(1, date(2026, 3, 5), speech_minutes=80),
         None),
        ("value: 60\n", "value: 45\n", meeting(1, date(2026, 3, 5), speech_minutes=50),
         "主讲话50分钟，超过主要负责同志讲话一般不超过45分钟的要求"),
        ("value: 240\n", "value: 180\n", meeting(1, date(2026, 3, 5), minutes=200),
         "会议时长200分钟，超过一般会议不超过3小时的要求"),
        ("value: 1500\n", "value: 1000\n",
         doc(kind="便笺", to_level="乡镇", chars=1200), "却有1200字（达到1000字）"),
    ],
)  # fmt: skip
def test_each_edited_limit_is_the_one_applied(tmp_path, old, new, row, says):
    texts = [a.text for a in row_warnings([row], load_limits(edited(tmp_path, old, new)))]
    assert texts == [] if says is None else says in texts[0]


def test_the_merge_window_comes_from_the_file(tmp_path):
    rows = [meeting(1, date(2026, 3, 2)), meeting(2, date(2026, 3, 12))]  # 10 days apart
    assert merge_suggestions(rows) == []
    window = load_limits(edited(tmp_path, "value: 7\n", "value: 10\n")).merge_window_days
    (one,) = merge_suggestions(rows, window.number)
    assert "（相邻两次相隔不超过10天）" in one.text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("value: 4000", "value: -4000",
         "台账预警上限“limits.yaml”专项工作文件字数上限（task_document_chars）：字段“数值”（value）"
         "应为正数，现为“-4000”"),
        ("value: 4000", "value: 0", "应为正数，现为“0”"),
        ("value: 60\n", "value: 一小时\n", "（speech_minutes）"),
        ("memo_chars:", "memo_char:", "未知字段“memo_char”，是不是“memo_chars”"),
        ("merge_window_days:  # 天\n  value: 7\n", "merge_window_days:\n", "（merge_window_days）"),
        ("document_chars:  # 字\n", "document_chars: [\n", "格式错误（YAML无法解析）"),
    ],
)  # fmt: skip
def test_a_broken_limits_file_names_the_file_and_the_field(tmp_path, old, new, message):
    with pytest.raises(RegisterError) as err:
        load_limits(edited(tmp_path, old, new))
    assert "limits.yaml" in str(err.value) and message in str(err.value)


def test_a_missing_limit_is_named(tmp_path):
    start = SHIPPED.index("memo_chars:")
    end = SHIPPED.index("merge_window_days:")
    path = tmp_path / "limits.yaml"
    path.write_text(SHIPPED[:start] + SHIPPED[end:], encoding="utf-8")
    with pytest.raises(RegisterError, match="缺少字段“无文号材料视同正式文件的字数”（memo_chars）"):
        load_limits(path)


def test_the_server_checks_the_limits_file_before_serving():
    from jianfu.server.warmup import data_file_loaders

    assert shipped_limits in data_file_loaders()
