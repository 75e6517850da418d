"""A draft says the figures the 对比 page shows, unless the writer overrides it (issue 17, item 4)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from jianfu.compare.selection import Selection, run_comparison
from jianfu.compare.views import table_view
from jianfu.speech.compose import DraftRequest, compose_draft
from jianfu.speech.documents import export_draft
from jianfu.speech.figures import numbers_in
from jianfu.speech.genres import load_genres
from jianfu.speech.phrasebank import load_phrasebank
from jianfu.speech.render import blocks, to_text
from jianfu.store.demo import demo_observations

UNIT = "示例县城关镇"


@pytest.fixture(scope="module")
def setting(catalog):
    return demo_observations(), catalog, load_genres(), load_phrasebank()


def compose(setting, unit=UNIT, genre="研讨交流发言", before="2023年", after="2024年", **kw):
    obs, catalog, genres, bank = setting
    request = DraftRequest(genre, unit, before, after, date=dt.date(2024, 8, 6), **kw)
    return compose_draft(obs, catalog, request, genres, bank)


def test_default_figures_are_the_compare_pages(setting):
    text = to_text(compose(setting))
    assert "视频会议占比由20.7%提高到40.0%，提高19.3个百分点" in text
    assert "20.69" not in text and "19.31" not in text


@pytest.mark.parametrize(
    ("unit", "before", "after"),
    [
        ("示例县城关镇", "2023年", "2024年"),
        ("示例县", "2023年", "2024年"),
        ("公安分局", "改革前", "改革后"),
    ],
)
@pytest.mark.parametrize("genre", ["研讨交流发言", "自查报告"])
def test_every_default_figure_is_on_the_compare_page(setting, unit, before, after, genre):
    obs, catalog, _, _ = setting
    page = table_view(run_comparison(obs, catalog, Selection((unit,), None, before, after)).table)
    shown = {n for cell in page.astype(str).to_numpy().ravel() for n in numbers_in(cell)}
    draft = compose(setting, unit, genre, before, after)
    said = {n for b in blocks(draft) if b.paragraph_id for n in numbers_in(b.text)}
    assert said and said <= shown


@pytest.mark.parametrize(
    ("digits", "sentence", "note"),
    [
        (None, "视频会议占比由20.7%提高到40.0%", "数字精度：与对比页面一致"),
        (2, "视频会议占比由20.69%提高到40.00%", "数字精度：两位小数（撰写人指定"),
        (0, "视频会议占比由21%提高到40%", "数字精度：整数（撰写人指定"),
    ],
)
def test_an_override_is_stated_in_the_exports_metadata(setting, digits, sentence, note):
    draft = compose(setting, digits=digits)
    assert sentence in to_text(draft)
    doc = Document(io.BytesIO(export_draft(draft, ".docx").data))
    assert doc.core_properties.comments.startswith(note)
    assert f"数据：{UNIT}，2023年—2024年" in doc.core_properties.comments
    markdown = export_draft(draft, ".md").data.decode("utf-8")
    assert f"<!-- {note}" in markdown and markdown.startswith("# ")


def test_the_command_line_says_which_precision(tmp_path, demo_data_dir, capsys):
    from jianfu.cli import main

    args = ["draft", "--genre", "研讨交流发言", "--unit", UNIT, "--before", "2023年"]
    args += ["--after", "2024年", "--out", str(tmp_path / "稿.txt"), "--no-findings"]
    assert main(args) == 0
    assert "数字精度：与对比页面一致" in capsys.readouterr().out
    assert "由20.7%提高到40.0%" in (tmp_path / "稿.txt").read_text("utf-8")
    assert main([*args, "--digits", "2"]) == 0
    assert "数字精度：两位小数（撰写人指定" in capsys.readouterr().out


def test_the_page_defaults_to_the_compare_pages_rule(demo_store):
    from jianfu_widgets.draft import PAGE_RULE, DraftApp

    app = DraftApp(demo_store)
    app.choose(unit=UNIT)
    assert app.chosen("digits") == PAGE_RULE and app.request().digits is None
    app.click("compose")
    assert "与对比页面一致" in app.output("precision")
    assert "由20.7%提高到40.0%" in app.output("preview")
    app.choose(digits=1)
    assert app.request().digits == 1
