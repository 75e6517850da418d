"""The data-file layer: a kind of file is a model and one call; every problem is named at
once by file, entry and field; a validated file is read back without pydantic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import pytest
import yaml

from jianfu.assess.questionnaire import BUILTIN, FORM_FILE, QUESTIONNAIRES
from jianfu.catalog.loader import CATALOG_FILE, DEFAULT_CATALOG
from jianfu.datafiles import Code, DataFile, DataModel, Label, Problems, Text, cache
from jianfu.datafiles.plain import from_plain, to_plain
from jianfu.errors import DataFileError
from jianfu.registers.limits import LIMITS_FILE, LIMITS_PATH
from jianfu.speech.genres import GENRE_FILE, GENRES_DIR
from jianfu.speech.phrasebank import DEFAULT_PHRASEBANK, PHRASEBANK_FILE

ROOT = Path(__file__).resolve().parents[1]

# ---- a kind of data file the workbook does not have yet: a register (issue 21) --------------

TYPES = {"date": "日期", "text": "文字", "number": "数字", "choice": "选项", "flag": "是否"}


@dataclass(frozen=True)
class RegisterField(DataModel):
    __entry__ = "第{n}个字段"
    __entry_id__ = ("key", "label")

    key: Annotated[str, Code("字段代码")]
    label: Annotated[str, Text("名称")]
    type: Annotated[Literal[tuple(TYPES)], Label("类型", TYPES)]
    choices: Annotated[tuple[Annotated[str, Text("可选值")], ...], Label("可选值")] = ()
    required: Annotated[bool, Label("必填")] = False

    def validated(self) -> RegisterField:
        found = Problems()
        if self.type == "choice" and not self.choices:
            found.add("choices", "类型为选项（choice）时须列出{field}")
        found.raise_if_any()
        return self


@dataclass(frozen=True, kw_only=True)
class RegisterKind(DataModel):
    name: Annotated[str, Text("台账名称")]
    fields: Annotated[tuple[RegisterField, ...], Label("字段")]

    def validated(self) -> RegisterKind:
        found = Problems()
        seen: set[str] = set()
        for n, item in enumerate(self.fields):
            if item.key in seen:
                found.add(("fields", n, "key"), f"{{field}}“{item.key}”重复")
            seen.add(item.key)
        found.raise_if_any()
        return self


KINDS = DataFile(RegisterKind, "台账类型", DataFileError)

MEETINGS = {
    "name": "会议",
    "fields": [
        {"key": "date", "label": "日期", "type": "date", "required": True},
        {"key": "form", "label": "形式", "type": "choice", "choices": ["现场", "视频"]},
        {"key": "minutes", "label": "时长（分钟）", "type": "number"},
    ],
}


def write(folder: Path, name: str, data: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test its own cache folder and an empty memory."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_MEMO", {})


def test_a_new_kind_of_file_is_a_model_and_one_call(tmp_path):
    write(tmp_path / "registers", "meetings.yaml", MEETINGS)
    write(
        tmp_path / "registers", "documents.yaml", {"name": "发文", "fields": MEETINGS["fields"][:1]}
    )
    kinds = KINDS.load_folder(tmp_path / "registers", key=lambda k: k.name, label="台账名称")
    assert sorted(kinds) == ["会议", "发文"]
    form = kinds["会议"].fields[1]
    assert (form.key, form.type, form.choices, form.required) == (
        "form",
        "choice",
        ("现场", "视频"),
        False,
    )


def test_every_problem_is_named_at_once_by_file_entry_and_field(tmp_path):
    fields = [
        {"key": "date", "label": "日期", "type": "dat"},  # not a type
        {"key": "form", "type": "choice", "choices": ["现场"]},  # no label
        {"key": "hours", "lable": "时长", "type": "number"},  # a typo in a key
        {"key": "kind", "label": "类别", "type": "choice"},  # a choice with nothing to choose
        {"key": "date", "label": "日期2", "type": "date", "required": "yes"},
        "时长",  # not a mapping
    ]
    path = write(tmp_path, "mine.yaml", {"name": "会议", "fields": fields, "colour": "red"})
    with pytest.raises(DataFileError) as err:
        KINDS.load(path)
    assert err.value.problems == [
        "台账类型“mine.yaml”：未知字段“colour”，可用字段：name（台账名称）、fields（字段）",
        "台账类型“mine.yaml”第1个字段（date）：字段“类型”（type）的值“dat”无效，"
        "应为：date（日期）、text（文字）、number（数字）、choice（选项）、flag（是否）",
        "台账类型“mine.yaml”第2个字段（form）：缺少字段“名称”（label）",
        "台账类型“mine.yaml”第3个字段（hours）：未知字段“lable”，是不是“label”（名称）？",
        "台账类型“mine.yaml”第3个字段（hours）：缺少字段“名称”（label）",
        "台账类型“mine.yaml”第4个字段（kind）：类型为选项（choice）时须列出字段“可选值”（choices）",
        "台账类型“mine.yaml”第5个字段（date）：字段“必填”（required）应为 true 或 false，现为“yes”",
        "台账类型“mine.yaml”第6个字段：应为“字段: 值”的映射，写明 key（字段代码）、label（名称）、type（类型）",
    ]


def test_rules_between_entries_run_beside_broken_entries(tmp_path):
    fields = [*MEETINGS["fields"], {"key": "date", "label": "又一个日期", "type": "date"}]
    fields[1] = {**fields[1], "type": "colour"}
    with pytest.raises(DataFileError) as err:
        KINDS.parse({"name": "会议", "fields": fields}, source="mine.yaml")
    assert (
        err.value.problems[1]
        == "台账类型“mine.yaml”第4个字段（date）：字段“字段代码”（key）“date”重复"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # no guessing: "3" is not a number, "yes" is not true, 1 is not text
        ({"required": "true"}, "字段“必填”（required）应为 true 或 false，现为“true”"),
        ({"label": 1}, "字段“名称”（label）应为文字，现为“1”"),
        ({"choices": "现场、视频", "type": "choice"}, "字段“可选值”（choices）应为列表"),
        ({"choices": ["现场", ""], "type": "choice"}, "字段“可选值”（choices）第2项不能为空"),
        # a key left empty in YAML is a key not written
        ({"label": None}, "缺少字段“名称”（label）"),
        ({"label": "日\n期"}, "字段“名称”（label）不能含换行"),
        ({"key": "Date"}, "字段“字段代码”（key）只能用小写英文字母、数字和下划线"),
    ],
)
def test_values_are_what_the_model_declares(change, message):
    entry = {**MEETINGS["fields"][0], **change}
    with pytest.raises(DataFileError, match=message) as err:
        KINDS.parse({"name": "会议", "fields": [entry]}, source="mine.yaml")
    assert all("\n" not in line for line in err.value.problems)


def test_a_value_with_a_line_break_stays_on_its_line_of_the_message():
    entry = {**MEETINGS["fields"][0], "key": "a\nb", "label": "日期\n（年月日）"}
    with pytest.raises(DataFileError) as err:
        KINDS.parse({"name": "会议", "fields": [entry]}, source="mine.yaml")
    assert len(str(err.value).splitlines()) == len(err.value.problems) == 2
    assert "现为“a↵b”" in str(err.value)


def test_many_problems_are_counted_beyond_fifty():
    fields = [{"key": f"f{n}", "label": "", "type": "text"} for n in range(60)]
    with pytest.raises(DataFileError) as err:
        KINDS.parse({"name": "会议", "fields": fields})
    lines = str(err.value).splitlines()
    assert len(err.value.problems) == 60 and len(lines) == 51
    assert lines[-1] == "……另有10处问题未列出"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: [", "台账类型文件“bad.yaml”第2行第1列格式错误（YAML无法解析）"),
        (
            "- 会议\n",
            "台账类型“bad.yaml”：顶层应为“字段: 值”的映射，写明 name（台账名称）、fields（字段）",
        ),
    ],
)
def test_broken_files_in_a_folder_are_all_reported(tmp_path, text, message):
    write(tmp_path, "good.yaml", MEETINGS)
    write(tmp_path, "other.yaml", {**MEETINGS, "fields": [{"key": "x"}]})
    write(tmp_path, "bad.yaml", text)
    with pytest.raises(DataFileError) as err:
        KINDS.load_folder(tmp_path, key=lambda k: k.name, label="台账名称")
    assert message in err.value.problems
    assert any(p.startswith("台账类型“other.yaml”第1个字段（x）") for p in err.value.problems)


def test_a_name_used_by_two_files(tmp_path):
    write(tmp_path, "a.yaml", MEETINGS)
    write(tmp_path, "b.yaml", MEETINGS)
    with pytest.raises(DataFileError, match="台账类型“b.yaml”：台账名称“会议”与“a.yaml”重复"):
        KINDS.load_folder(tmp_path, key=lambda k: k.name, label="台账名称")
    with pytest.raises(DataFileError, match="没有台账类型文件"):
        KINDS.load_folder(tmp_path / "none", key=lambda k: k.name, label="台账名称")


# ---- validated once: the cache ----------------------------------------------------------------


def count_validations(monkeypatch) -> list:
    from jianfu.datafiles import validate

    calls: list = []
    real = validate.validate

    def counted(model, data):
        calls.append(model)
        return real(model, data)

    monkeypatch.setattr(validate, "validate", counted)
    return calls


def test_a_file_is_validated_once_and_again_when_it_changes(tmp_path, monkeypatch):
    calls = count_validations(monkeypatch)
    path = write(tmp_path, "meetings.yaml", MEETINGS)
    first = KINDS.load(path)
    assert KINDS.load(path) is first and len(calls) == 1  # the same process: from memory
    monkeypatch.setattr(cache, "_MEMO", {})
    assert KINDS.load(path) == first and len(calls) == 1  # a new process: from the cache
    write(tmp_path, "meetings.yaml", {**MEETINGS, "name": "会议台账"})
    assert KINDS.load(path).name == "会议台账" and len(calls) == 2
    write(tmp_path, "meetings.yaml", {**MEETINGS, "name": ""})
    with pytest.raises(DataFileError, match="字段“台账名称”（name）不能为空"):
        KINDS.load(path)


def test_a_damaged_or_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    path = write(tmp_path, "meetings.yaml", MEETINGS)
    expected = KINDS.load(path)
    for entry in (tmp_path / "cache" / "datafiles").glob("*.json"):
        entry.write_text('{"name": 3, "fields": "x"}', encoding="utf-8")
    monkeypatch.setattr(cache, "_MEMO", {})
    assert KINDS.load(path) == expected
    blocked = write(tmp_path, "not-a-folder", "x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocked))
    monkeypatch.setattr(cache, "_MEMO", {})
    assert KINDS.load(path) == expected


@pytest.mark.parametrize(
    ("layer", "path"),
    [
        (CATALOG_FILE, DEFAULT_CATALOG),
        (PHRASEBANK_FILE, DEFAULT_PHRASEBANK),
        *[(FORM_FILE, QUESTIONNAIRES / f"{key}.yaml") for key in BUILTIN],
        *[(GENRE_FILE, p) for p in sorted(GENRES_DIR.glob("*.yaml"))],
        (LIMITS_FILE, LIMITS_PATH),
    ],
    ids=lambda v: getattr(v, "name", None) or getattr(v, "what", None),
)
def test_a_shipped_file_reads_back_from_the_cache_unchanged(layer, path):
    value = layer.load(path)
    again = from_plain(layer.model, json.loads(json.dumps(to_plain(value), ensure_ascii=False)))
    assert again == value


@pytest.mark.slow  # 1.2 s
def test_pages_read_validated_files_without_pydantic(tmp_path):
    """The server checks the files first; a page's kernel then never imports pydantic."""
    env = {**os.environ, cache.CACHE_ENV: str(tmp_path / "cache")}
    warm = "from jianfu.server.warmup import check_data_files; print(check_data_files())"
    out = subprocess.run(
        [sys.executable, "-c", warm], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
    page = (
        "import sys, jianfu_widgets.assess, jianfu.assess.scoring\n"
        "from jianfu.server.warmup import data_file_loaders\n"
        "for load in data_file_loaders(): load()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", page], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_server_names_broken_data_files_before_it_starts(monkeypatch, capsys, tmp_path):
    from jianfu.server import warmup

    path = write(tmp_path, "mine.yaml", {**MEETINGS, "name": ""})
    with monkeypatch.context() as patch:
        patch.setattr(warmup, "data_file_loaders", lambda: [lambda: KINDS.load(path)])
        warmup.report_data_files()
    assert capsys.readouterr().err.splitlines() == [
        "数据文件有误，用到它们的页面将无法打开：",
        "  台账类型“mine.yaml”：字段“台账名称”（name）不能为空",
    ]
    assert warmup.check_data_files() == []  # the shipped files
    assert len(list((tmp_path / "cache" / "datafiles").glob("*.json"))) >= 4  # now cached
