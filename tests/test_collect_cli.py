"""`jianfu collect …`: the round cycle from the command line."""

from __future__ import annotations

import json

import pytest

from jianfu.cli import main
from jianfu.store import Store
from tests.support.collect import CODES, filled, put, seed_units

NAME = "2025年度监测"


@pytest.fixture
def seeded(data_dir):
    store = Store.default()
    seed_units(store)
    store.engine.dispose()
    return data_dir


def test_cycle_new_templates_import_status_remind(seeded, tmp_path, capsys):
    args = ["collect", "new", NAME, "--period", "2025年", "--children", "示例县",
            "--indicators", ",".join(CODES), "--due", "2025-03-31"]  # fmt: skip
    assert main(args) == 0
    assert "4个单位，3项指标" in capsys.readouterr().out
    assert main(["collect", "templates", NAME, "--out", str(tmp_path / "out")]) == 0
    sent = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert sent == sorted(f"{NAME}_{u}.xlsx" for u in ["甲镇", "乙镇", "丙镇", "丁镇", "汇总表"])
    back = tmp_path / "back"
    put(back, "甲.xlsx", filled((tmp_path / "out" / f"{NAME}_甲镇.xlsx").read_bytes(), [1, 2, 3]))
    put(back, "乙.xlsx", filled((tmp_path / "out" / f"{NAME}_乙镇.xlsx").read_bytes(), [-1, 2, 3]))
    capsys.readouterr()
    assert main(["collect", "import", NAME, str(back)]) == 1  # one file refused
    out = capsys.readouterr().out
    assert "已导入  甲.xlsx（甲镇）" in out and "已拒收  乙.xlsx" in out
    assert "共2个文件：已导入1个，已拒收1个" in out
    assert main(["collect", "status", NAME, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [u["状态"] for u in status["单位"]] == ["已报", "逾期", "逾期", "逾期"]
    docx = tmp_path / "催报.docx"
    assert main(["collect", "remind", NAME, "--out", str(docx)]) == 0
    assert "尚有3个单位未报齐：乙镇、丙镇、丁镇" in capsys.readouterr().out
    assert docx.stat().st_size > 0
    assert Store.default().values_of("甲镇", "2025年") == dict(zip(CODES, [1, 2, 3], strict=True))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["collect", "status", "无此任务"], "填报任务“无此任务”不存在"),
        (["collect", "new", "X", "--period", "2025年", "--units", "甲镇", "--due", "3月"],
         "截止日期“3月”无效"),
        (["collect", "new", "X", "--period", "2025年", "--children", "甲镇"], "没有下级单位"),
    ],
)  # fmt: skip
def test_errors_are_chinese_and_exit_2(seeded, capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err
