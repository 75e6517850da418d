"""A draft warns only by the 预警依据 its writer keeps, as the 对比 page does.

示例县城关镇's meetings (50分钟) are over one rule only, a 示例 one (another unit's
practice, 会议一般不超过45分钟); its main speech (45分钟) is over a 地方 rule too.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from jianfu.errors import JianfuError
from jianfu.speech.compose import DraftRequest, compose_draft
from jianfu.speech.documents import export_draft
from jianfu.speech.figures import draft_comparison, draft_figures, levels_note
from jianfu.speech.genres import load_genres
from jianfu.speech.model import Draft
from jianfu.speech.phrasebank import load_phrasebank
from jianfu.speech.render import to_text
from jianfu.store.demo import demo_observations

UNIT = "示例县城关镇"
EXAMPLE_RULE = "会议一般不超过45分钟"  # 示例
LOCAL_RULE = "主讲话不超过40分钟"  # 地方


@pytest.fixture(scope="module")
def setting(catalog):
    return demo_observations(), catalog, load_genres(), load_phrasebank()


def compose(setting, genre="自查报告", **kw) -> Draft:
    obs, catalog, genres, bank = setting
    request = DraftRequest(genre, UNIT, "2023年", "2024年", date=dt.date(2024, 8, 6), **kw)
    return compose_draft(obs, catalog, request, genres, bank)


@pytest.mark.parametrize("genre", ["研讨交流发言", "自查报告", "调研报告"])
def test_a_level_left_out_warns_nowhere_in_the_draft(setting, genre):
    every = to_text(compose(setting, genre))
    assert EXAMPLE_RULE in every and LOCAL_RULE in every
    draft = compose(setting, genre, disabled_levels=("示例",))
    text = to_text(draft)
    assert EXAMPLE_RULE not in text and "其他单位" not in text
    assert LOCAL_RULE in text  # the other levels still count
    assert draft.disabled_levels == ["示例"]


def test_the_saved_draft_keeps_its_levels(setting):
    obs, catalog, _, _ = setting
    draft = Draft.from_dict(compose(setting, disabled_levels=("示例", "地方")).to_dict())
    assert draft.disabled_levels == ["地方", "示例"]  # in the catalog's order
    assert draft_figures(obs, catalog, draft)  # the editor's checks recompute with them
    old = compose(setting).to_dict()
    del old["disabled_levels"]  # saved before drafts had 预警依据
    assert Draft.from_dict(old).disabled_levels == []


def test_an_unknown_level_is_refused_in_chinese(setting):
    obs, catalog, _, _ = setting
    with pytest.raises(JianfuError, match="预警依据“国家”无效，可选：中央、省、地方、示例"):
        draft_comparison(obs, catalog, UNIT, "2023年", "2024年", disabled_levels=["国家"])


def test_the_export_says_which_warnings_were_left_out(setting):
    draft = compose(setting, disabled_levels=("示例", "省"))
    assert levels_note(draft.disabled_levels) == "预警依据不含：省、示例"
    doc = Document(io.BytesIO(export_draft(draft, ".docx").data))
    assert "预警依据不含：省、示例" in doc.core_properties.comments
    assert (
        "预警依据"
        not in Document(
            io.BytesIO(export_draft(compose(setting), ".docx").data)
        ).core_properties.comments
    )


def test_the_command_line_leaves_a_level_out(tmp_path, demo_data_dir, capsys):
    from jianfu.cli import main

    args = ["draft", "--genre", "自查报告", "--unit", UNIT, "--before", "2023年"]
    args += ["--after", "2024年", "--out", str(tmp_path / "稿.txt"), "--no-findings"]
    assert main([*args, "--skip-level", "示例"]) == 0
    assert "预警依据不含：示例" in capsys.readouterr().out
    text = (tmp_path / "稿.txt").read_text("utf-8")
    assert EXAMPLE_RULE not in text and LOCAL_RULE in text


def test_the_page_leaves_out_the_levels_unticked(demo_store):
    from jianfu_widgets.draft import DraftApp

    app = DraftApp(demo_store)
    app.choose(unit=UNIT, genre="自查报告")
    app.use_levels("中央", "省", "地方")
    app.click("compose")
    assert app.draft.disabled_levels == ["示例"]
    assert EXAMPLE_RULE not in app.output("preview") and LOCAL_RULE in app.output("preview")
    assert "预警依据不含：示例" in app.output("precision")
