"""The 发言稿 app without a browser: compose, edit, autosave, reopen, export, delete."""

from __future__ import annotations

import io

import pytest
from docx import Document

from jianfu.speech.drafts import DraftStore
from jianfu_widgets.draft import Debouncer, DraftApp
from jianfu_widgets.handles import css_classes


@pytest.fixture
def app(demo_store):
    app = DraftApp(demo_store)
    app.choose(unit="示例县城关镇")
    return app


def _compose(app, genre="研讨交流发言"):
    app.choose(genre=genre)
    app.click("compose")
    assert app.draft is not None, app.status_text
    return app.draft


def test_opens_empty_then_composes_from_the_demo_data(app):
    assert app.draft is None
    assert (app.chosen("before"), app.chosen("after")) == ("2023年", "2024年")
    ticked = app.ticked_categories
    assert ticked[:3] == ["文件", "会议", "督检考"] and "创建示范" not in ticked
    draft = _compose(app)
    assert draft.unit == "示例县城关镇" and draft.genre == "研讨交流发言"
    assert "同比分别减少" in app.output("preview")
    assert app.tab == 1
    assert app.draft_store.load(draft.id).to_dict() == draft.to_dict()


def test_an_edit_survives_rebuilding_the_app(app, demo_store):
    draft = _compose(app)
    pid = draft.sections[2].paragraphs[0].id
    app.paragraph_editor(pid).text.value = "这是用户改写的一段，发文数量由46件减少到31件。"
    # a new kernel: the app is built again from the database and reopens the draft
    again = DraftApp(demo_store)
    assert again.draft.id == draft.id
    assert again.draft.paragraph(pid).text == "这是用户改写的一段，发文数量由46件减少到31件。"
    assert again.paragraph_editor(pid).text.value.startswith("这是用户改写的一段")


def test_typing_moves_the_time_bar_and_the_checks_point_at_the_paragraph(app):
    draft = _compose(app)
    before = app.time_share
    pid = draft.sections[1].paragraphs[0].id
    editor = app.paragraph_editor(pid)
    editor.text.value += "发文数量由46件减少到30件。" + "我们" * 200
    assert app.time_share > before
    figure = [f for f in app.findings if f.check == "figure"]
    assert [f.paragraph_id for f in figure] == [pid]
    assert "jf-draft-flagged" in css_classes(editor)
    app.choose(rate=400)  # a faster reader: less time
    assert app.draft.rate == 400 and app.time_share < 1


def test_structural_edits_renumber_and_save(app):
    draft = _compose(app)
    section = draft.sections[1]
    first, second = section.paragraphs[0].id, section.paragraphs[1].id
    assert app.paragraph_editor(first).marker.endswith("一是</span>")
    app.move_paragraph(first, 1)
    assert app.paragraph_editor(first).marker.endswith("二是</span>")
    assert app.paragraph_editor(second).marker.endswith("一是</span>")
    app.insert_paragraph(second)
    assert len(app.draft_store.load(draft.id).sections[1].paragraphs) == 4
    app.remove_paragraph(second)
    saved = app.draft_store.load(draft.id).sections[1].paragraphs
    assert [p.id for p in saved][1] == first and len(saved) == 3


def test_phrase_picker_inserts_checked_phrases(app):
    draft = _compose(app)
    app.choose(phrase_category="会议")
    app.choose(phrase_field="next_steps")
    target = draft.sections[4]
    app.choose(phrase_target=target.id)
    count = len(target.paragraphs)
    app.tick_phrases(1, 2)
    app.click("phrase_insert")
    assert len(app.draft.section(target.id).paragraphs) == count + 2
    added = app.draft.section(target.id).paragraphs[-1]
    assert "短语库“会议”类的打算（撰写人选用）" in app.paragraph_editor(added.id).sources.value


def test_user_text_is_escaped_in_the_preview(app):
    draft = _compose(app)
    pid = draft.sections[0].paragraphs[0].id
    app.paragraph_editor(pid).text.value = "<script>alert(1)</script>"
    assert "<script>" not in app.output("preview")
    assert "&lt;script&gt;" in app.output("preview")


@pytest.mark.slow  # 0.7 s
def test_docx_export_and_traditional_preview(app):
    _compose(app)
    app.choose(script="s2tw")
    assert "減少" in app.output("preview")
    exported = app.export(".docx")
    doc = Document(io.BytesIO(exported.data))
    assert "減負" in doc.paragraphs[0].text
    assert app.downloads and "download=" in app.downloads[0].value


def test_library_duplicate_open_and_delete(app, demo_store):
    first = _compose(app)
    app.click("duplicate")
    copy = app.draft
    assert copy.id != first.id and copy.title.endswith("（副本）")
    app.choose(draft_list=first.id)
    app.click("open")
    assert app.draft.id == first.id
    app.click("delete")
    app.click("confirm")
    assert app.draft is None
    assert [s.id for s in DraftStore(demo_store.url).list()] == [copy.id]


def test_findings_come_through_a_callable(demo_store):
    asked = []

    def findings(unit):
        asked.append(unit)
        return ["自评中，多数参与者认为工作群仍然偏多"]

    app = DraftApp(demo_store, findings=findings)
    app.choose(unit="示例县城关镇")
    assert "自评中，多数参与者认为工作群仍然偏多" in app.output("findings_info")
    draft = _compose(app)
    problems = {s.key: s for s in draft.sections}["problems"].paragraphs
    assert problems[-1].origin == "finding" and "示例县城关镇" in asked


def test_the_page_quotes_the_units_self_assessment(demo_store, monkeypatch):
    """The 发言稿 page (from_default_store) finds a session organised by the unit."""
    from jianfu.assess.store import AssessStore

    monkeypatch.setenv("JIANFU_DB_URL", demo_store.url)
    room = AssessStore(demo_store.url)
    room.create_session("abc", "三月学习研讨", organiser="示例县城关镇")
    for n in range(5):
        sid = room.draft("abc", f"token-number-{n:08d}").submission_id
        answers = {f"q0{k}": 2 for k in range(1, 10)} | {"problems": ["inspections"]}
        room.save("abc", 1, sid, answers, submit=True)
    room.engine.dispose()
    app = DraftApp.from_default_store()
    app.choose(unit="示例县城关镇")
    assert "本单位5名干部匿名自评显示" in app.output("findings_info")
    problems = {s.key: s for s in _compose(app).sections}["problems"].paragraphs
    # placed with the problem it supports (文件 got worse and is the heaviest area)
    point = next(p for p in problems if p.topic == "文件方面出现反弹")
    assert "本单位5名干部匿名自评显示，文件、会议方面负担最重（均为75分" in point.text
    assert "最突出的问题是督检考过多过频（5人次）" in point.text
    app.choose(unit=next(u for u in demo_store.unit_names() if u != "示例县城关镇"))
    assert app.output("findings_info") == ""


def test_debouncer_runs_at_once_without_a_loop():
    calls = []
    debouncer = Debouncer(10, lambda: calls.append(1))
    debouncer.touch()
    assert calls == [1] and not debouncer.pending


def test_debouncer_waits_in_a_running_loop():
    import asyncio
    import threading

    calls = []

    async def main():
        debouncer = Debouncer(0.05, lambda: calls.append(1), deferred=True)
        for _ in range(5):
            debouncer.touch()
        assert debouncer.pending and calls == []
        await asyncio.sleep(0.15)
        assert calls == [1]
        debouncer.touch()
        debouncer.flush()
        assert calls == [1, 1]

    # a thread of its own: another test's event loop may be running in this one
    errors = []
    thread = threading.Thread(target=lambda: _run(asyncio.run, main(), errors))
    thread.start()
    thread.join()
    assert not errors, errors


def _run(runner, coroutine, errors) -> None:
    try:
        runner(coroutine)
    except Exception as exc:  # reported to the test thread
        errors.append(exc)


@pytest.mark.slow  # 1.0 s
def test_two_windows_on_one_draft_do_not_overwrite_each_other(app, demo_store):
    draft = _compose(app)
    other = DraftApp(demo_store)  # a second window (or a second computer) on the same draft
    assert other.draft.id == draft.id
    pid = draft.sections[2].paragraphs[0].id
    app.paragraph_editor(pid).text.value = "第一个窗口改写的一段。"
    app.save_now()
    other.paragraph_editor(pid).text.value = "第二个窗口改写的一段。"
    other.save_now()
    assert "已在另一个窗口" in other.status_text
    assert DraftStore(demo_store.url).load(draft.id).paragraph(pid).text == (
        "第一个窗口改写的一段。"
    )  # the first window's edit is kept
    other.answer("载入")
    assert other.draft.paragraph(pid).text == "第一个窗口改写的一段。"
    other.paragraph_editor(pid).text.value = "在最新版本上再改。"
    other.save_now()
    assert DraftStore(demo_store.url).load(draft.id).paragraph(pid).text == "在最新版本上再改。"


def test_the_editor_shows_where_each_sentence_came_from(app):
    draft = _compose(app)
    first = next(s for s in draft.sections if s.key == "results").paragraphs[0]
    editor = app.paragraph_editor(first.id)
    shown = editor.sources.value
    assert "对比数据" in shown and "短语库·待核实" in shown
    assert "对比表：示例县城关镇 · 发文数量：2023年 46件 → 2024年 31件" in shown
    problem = next(s for s in draft.sections if s.key == "problems").paragraphs[-1]
    assert "预警（中央）" in app.paragraph_editor(problem.id).sources.value
    # the writer vouches for the 做法: the mark goes, in the editor and the saved draft
    assert editor.confirm_button.layout.display is None
    editor.confirm_button.click()
    assert "【待核实】" not in editor.text.value
    assert "【待核实】" not in app.draft_store.load(draft.id).paragraph(first.id).text
    assert editor.confirm_button.layout.display == "none"
    assert first.id not in {f.paragraph_id for f in app.findings if f.check == "pending"}
    # what the writer types is the writer's own, shown escaped
    editor.text.value = editor.text.value.replace("同比分别减少", "分别下降") + "<b>加粗</b>。"
    assert "撰写人" in editor.sources.value and "&lt;b&gt;" in editor.sources.value


def test_the_self_name_setting(app):
    app.choose(self_name="示例县城关镇")  # the writer asks for the full name
    draft = _compose(app)
    opening = draft.sections[0].paragraphs[0]
    assert "结合示例县城关镇为基层减负的实践" in opening.text
    assert app.chosen("rename") == "示例县城关镇"
    app.choose(rename="我镇")
    app.click("rename_button")
    assert "结合我镇为基层减负的实践" in app.paragraph_editor(opening.id).text.value
    saved = app.draft_store.load(draft.id)
    assert saved.self_name == "我镇" and "示例县城关镇" not in saved.paragraph(opening.id).text
    app.choose(genre="调研报告")  # written about the unit: its name
    assert app.chosen("self_name") == "示例县城关镇"


def test_a_new_page_and_a_new_unit_say_nothing_is_wrong(demo_store):
    """Choosing a unit moves both periods: the pair is checked once both have moved (a
    fresh page said 基期“2023年”晚于比较期“2019年” while showing 2023年 and 2024年)."""
    app = DraftApp(demo_store)
    assert app.status_text == ""
    assert (app.chosen("before"), app.chosen("after")) == ("2023年", "2024年")
    for unit in ("示例县城关镇", "公安分局", "示例县"):
        app.choose(unit=unit)
        assert app.status_text == "", unit
    app.choose(before="2024年", after="2023年")  # a real reversal is still refused
    assert "对比的方向反了" in app.status_text
