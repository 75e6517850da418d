"""The `jianfu` command line, run in-process against a temporary data directory."""

import json

import pytest
from sqlalchemy import text

from jianfu.cli import main
from jianfu.store import Store


def db_dump(demo_data_dir) -> list:
    """Every row of every table: equal dumps mean the content did not change."""
    store = Store(f"sqlite:///{demo_data_dir / 'jianfu.sqlite'}")
    with store.engine.connect() as conn:
        return [
            conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            for table in ("units", "periods", "custom_indicators", "observations", "meta")
        ]


def test_compare_prints_table_and_seed_sentence(demo_data_dir, capsys):
    assert main(["compare", "--before", "2023年", "--after", "2024年", "--unit", "示例县"]) == 0
    out = capsys.readouterr().out
    assert "示例县发文数量、会议数量、督检考事项同比分别减少51%、56.6%、76.57%" in out
    assert "发文数量" in out and "改善" in out


def test_compare_json_records(demo_data_dir, capsys):
    assert (
        main(["compare", "--before", "改革前", "--after", "改革后", "--unit", "公安分局", "--json"])
        == 0
    )
    records = {r["indicator"]: r for r in json.loads(capsys.readouterr().out)}
    ledgers = records["community_police_ledgers"]
    assert (ledgers["before"], ledgers["after"], ledgers["pct_change"], ledgers["verdict"]) == (
        16,
        10,
        -37.5,
        "改善",
    )
    assert records["frontline_police_share"]["after"] == 92.6
    assert ledgers["name"] == "社区民警工作台账种类" and "warnings" in ledgers


def test_compare_trend(demo_data_dir, capsys):
    assert main(["compare", "--periods", "2019年,2020年,2021年", "--unit", "区委组织部"]) == 0
    assert "发文数量2019年至2021年分别为82件、81件、85件，未实现逐年递减" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["compare", "--before", "2023年"], "请用 --before 和 --after"),
        (["compare", "--before", "2023年", "--after", "2099年"], "时期“2099年”不存在"),
        (["import", "no-such-file.csv"], "找不到文件"),
        (["export", "out.txt"], "扩展名应为 .xlsx 或 .csv"),
    ],
)
def test_errors_are_chinese_and_exit_non_zero(demo_data_dir, capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_import_with_one_bad_row_changes_nothing(demo_data_dir, tmp_path, capsys):
    before = db_dump(demo_data_dir)
    bad = tmp_path / "bad.csv"
    rows = ["单位,时期,指标,数值", "示例县城关镇,2024年,发文数量,1", "新镇,2024年,会议数量,-3"]
    bad.write_bytes("\n".join(rows).encode("gbk"))
    assert main(["import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "第3行" in err and "“数值”列" in err and "不能为负数" in err
    assert db_dump(demo_data_dir) == before


def test_import_dry_run_then_for_real(demo_data_dir, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes("单位,时期,发文数量,会议数量\n新镇,2024年,12,8\n".encode("utf-8-sig"))
    before = db_dump(demo_data_dir)
    assert main(["import", str(good), "--dry-run"]) == 0
    assert "新增2项" in capsys.readouterr().out
    assert db_dump(demo_data_dir) == before
    assert main(["import", str(good)]) == 0
    assert "新增2项" in capsys.readouterr().out
    obs = Store(f"sqlite:///{demo_data_dir / 'jianfu.sqlite'}").observations(["新镇"])
    assert sorted(obs["value"]) == [8, 12]
    assert set(obs["source"]) == {"导入：good.csv"}


def test_export_and_template(demo_data_dir, tmp_path):
    out = tmp_path / "all.csv"
    assert main(["export", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "区委组织部".encode() in data
    template = tmp_path / "t.xlsx"
    assert main(["template", str(template)]) == 0
    assert template.read_bytes()[:2] == b"PK"


def test_exported_file_imports_back_unchanged(demo_data_dir, tmp_path, capsys):
    out = tmp_path / "all.xlsx"
    assert main(["export", str(out)]) == 0
    capsys.readouterr()
    assert main(["import", str(out), "--dry-run"]) == 0
    assert "新增0项，修改0项" in capsys.readouterr().out


@pytest.mark.slow  # 1.1 s
def test_db_flag_points_at_another_database(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("JIANFU_DB_URL", raising=False)  # main() sets it for kernels; undo after
    url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    assert main(["demo", "--db", url]) == 0
    assert url in capsys.readouterr().out
    assert not Store(url).is_empty()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--before", "2023年", "--after", "2024年", "--unit", "不存在"], "单位“不存在”不存在"),
        (["--before", "2023年", "--after", "2023年"], "不能是同一个时期"),
        (["--before", "2023年", "--after", "2030年"], "时期“2030年”不存在"),
    ],
)
def test_compare_refuses_what_cannot_be_compared(demo_data_dir, capsys, args, message):
    assert main(["compare", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_import_asks_about_fractions_and_says_what_it_converted(demo_data_dir, tmp_path, capsys):
    path = tmp_path / "率.csv"
    path.write_text(
        "单位,时期,干部对减负成效满意率,单次会议时长（小时）\n甲镇,2024年,0.85,1.5\n", "utf-8"
    )
    assert main(["import", str(path)]) == 2
    assert "是指85%这样的比例" in capsys.readouterr().err
    assert main(["import", str(path), "--fractions", "percent"]) == 0
    out = capsys.readouterr().out
    assert "注意：“单次会议时长（小时）”列已按1小时=60分钟换算" in out
    store = Store(f"sqlite:///{demo_data_dir / 'jianfu.sqlite'}")
    assert store.values_of("甲镇", "2024年") == {"meeting_minutes": 90.0, "satisfaction_rate": 85.0}
