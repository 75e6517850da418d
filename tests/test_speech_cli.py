"""`jianfu draft`: a file by suffix, Traditional on request, Chinese errors."""

from __future__ import annotations

import io

import pytest
from docx import Document

from jianfu.cli import main

ARGS = [
    "draft",
    "--genre",
    "研讨交流发言",
    "--unit",
    "示例县",
    "--before",
    "2023年",
    "--after",
    "2024年",
]


def test_draft_writes_docx_and_reports_length(demo_data_dir, capsys):
    out = demo_data_dir / "稿.docx"
    assert main([*ARGS, "--out", str(out), "--speaker", "张三"]) == 0
    doc = Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "发文数量同比减少51%" in text and "督检考事项同比减少76.57%" in text and "张三" in text
    assert "字，约" in capsys.readouterr().out


def test_draft_traditional_markdown_and_save(demo_data_dir, capsys):
    out = demo_data_dir / "稿.md"
    assert main([*ARGS, "--out", str(out), "--script", "s2hk", "--digits", "0", "--save"]) == 0
    text = out.read_text("utf-8")
    assert "發文數量同比減少51%" in text and "督檢考事項同比減少77%" in text
    assert "已保存到数据库" in capsys.readouterr().out
    from jianfu.speech.drafts import DraftStore

    assert len(DraftStore().list()) == 1


def test_draft_quotes_the_units_self_assessment_unless_told_not_to(demo_data_dir, capsys):
    from jianfu.assess.store import AssessStore

    room = AssessStore()
    room.create_session("abc", "三月学习研讨", organiser="示例县")
    for n in range(5):
        sid = room.draft("abc", f"token-number-{n:08d}").submission_id
        room.save("abc", 1, sid, {f"q0{k}": 2 for k in range(1, 10)}, submit=True)
    room.engine.dispose()
    out = demo_data_dir / "稿.txt"
    assert main([*ARGS, "--out", str(out)]) == 0
    assert "本单位5名干部匿名自评显示" in out.read_text("utf-8")
    assert "已写入自评结果" in capsys.readouterr().out
    assert main([*ARGS, "--out", str(out), "--no-findings"]) == 0
    assert "自评显示" not in out.read_text("utf-8")
    assert "已写入自评结果" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--out", "x.pdf"], "扩展名应为"),
        (["--out", "x.txt", "--genre", "演讲稿"], "体裁“演讲稿”不存在"),
        (["--out", "x.txt", "--unit", "无此单位"], "单位“无此单位”不存在"),
        (["--out", "x.txt", "--after", "2099年"], "时期“2099年”不存在"),
    ],
)
def test_draft_errors_are_chinese(demo_data_dir, capsys, change, message):
    args = list(ARGS)
    for flag, value in zip(change[::2], change[1::2], strict=True):
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    args[args.index("--out") + 1] = str(demo_data_dir / args[args.index("--out") + 1])
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_draft_lists_the_source_of_every_sentence(demo_data_dir, capsys):
    args = [*ARGS, "--out", str(demo_data_dir / "稿.txt"), "--sources"]
    args[args.index("示例县")] = "示例县城关镇"
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "[一是·对比数据] 发文数量、上级来文数量同比分别减少32.61%、32.89%" in out
    assert "依据：对比表：示例县城关镇 · 发文数量：2023年 46件 → 2024年 31件" in out
    assert "[四是·预警规定] 上级机关原则上不得从县级以下借调干部，当前为1人" in out
    assert "[一是·短语库·待核实] 【待核实】" in out
