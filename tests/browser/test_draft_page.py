"""The 发言稿 page in headless Chromium: compose, edit, reload, the edit is there, .docx arrives."""

from __future__ import annotations

import re

import pytest

from tests.support.servers import wait_for_log, wait_until

APP = ".jf-draft"
BAR = ".jf-draft-time .progress-bar"
SAVED = ".jf-draft-saved"
TEXTAREAS = ".jf-draft-paragraph textarea"
EDIT = "我们还把会议通知统一提前三天下发，让基层有时间准备。"
PENDING_COUNT = (
    "() => [...document.querySelectorAll('.jf-draft-paragraph textarea')]"
    ".filter(t => t.value.includes('【待核实】')).length"
)


@pytest.fixture(scope="module")
def draft_server(demo_voila):
    """A server on its own demo database: composing writes drafts."""
    return demo_voila()


def saved_message(page) -> str:
    """The autosave's “已自动保存 HH:MM:SS”, or "" before the first save."""
    found = page.locator(SAVED)
    return found.first.text_content() if found.count() else ""


def first_paragraph(server) -> str:
    from jianfu.speech.drafts import DraftStore

    latest = DraftStore(server.db_url).latest()
    return latest.sections[0].paragraphs[0].text if latest else ""


def bar_width(page) -> float:
    style = page.locator(BAR).first.get_attribute("style") or ""
    match = re.search(r"width:\s*([\d.]+)%", style)
    return float(match.group(1)) if match else 0.0


def test_compose_edit_reload_and_download(page, draft_server, open_app):
    url = draft_server.render_url("03_draft.ipynb")
    open_app(page, url, APP)
    page.get_by_role("button", name="生成初稿", exact=True).click()
    page.wait_for_selector(TEXTAREAS, state="visible", timeout=30000)
    page.wait_for_function(
        f"document.querySelector('{BAR}') && parseFloat(document.querySelector('{BAR}').style.width) > 0",
        timeout=15000,
    )
    width = bar_width(page)
    saved = saved_message(page)

    first = page.locator(TEXTAREAS).first
    first.click()
    first.press("End")
    first.type(EDIT, delay=5)
    page.wait_for_function(
        f"parseFloat(document.querySelector('{BAR}').style.width) > {width}", timeout=15000
    )
    assert bar_width(page) > width  # the speaking-time bar moved
    # the debounced autosave (1 s after the last keystroke) stamps a new time
    page.wait_for_function(
        f"(before) => {{ const s = document.querySelector('{SAVED}');"
        " return s !== null && s.textContent !== before; }",
        arg=saved,
        timeout=10000,
    )
    # a save while typing stamps a time too: the database has the whole edit once the last is in
    assert wait_until(lambda: EDIT in first_paragraph(draft_server), timeout=10, every=0.2)

    open_app(page, url, APP)  # the page loaded again (a reload and then a goto started two kernels)
    page.wait_for_selector(TEXTAREAS, state="visible", timeout=30000)
    assert EDIT in page.locator(TEXTAREAS).first.input_value()

    page.locator(".lm-TabBar-tab", has_text="导出").click()
    page.get_by_role("button", name=re.compile(r"Word")).click()
    link = page.locator("a.jianfu-download")
    link.wait_for(timeout=30000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".docx")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"  # a zip container, as .docx files are


def test_closing_the_tab_shuts_the_kernel_down_and_keeps_the_last_words(
    page, draft_server, open_app
):
    """Voila shuts a page's kernel down when its tab closes (it needs the _xsrf cookie
    the template sets); the autosave pending at that moment is written first."""
    from jianfu.speech.drafts import DraftStore

    open_app(page, draft_server.render_url("03_draft.ipynb"), APP)
    page.locator(".lm-TabBar-tab", has_text="起草设置").click()  # a saved draft opens in 编辑
    page.get_by_role("button", name="生成初稿", exact=True).click()
    page.wait_for_selector(TEXTAREAS, state="visible", timeout=30000)
    shutdowns = draft_server.log().count("Kernel shutdown")
    box = page.locator(TEXTAREAS).first
    box.click()
    box.press("End")
    box.type("最后一句。", delay=5)
    # the kernel has the words once the preview (0.3 s after the last key) shows them;
    # close before the autosave (1 s after it)
    page.wait_for_function("document.body.innerText.includes('最后一句。')", timeout=5000)
    page.close(run_before_unload=True)
    assert wait_for_log(draft_server, "Kernel shutdown", shutdowns + 1, timeout=30)
    assert "403 POST /voila/api/shutdown" not in draft_server.log()
    # "Kernel shutdown" is logged when the request arrives; the kernel writes on its way out
    drafts = DraftStore(draft_server.db_url)
    assert wait_until(
        lambda: drafts.latest().sections[0].paragraphs[0].text.endswith("最后一句。"), 20
    )


def test_the_editor_shows_sources_and_confirms_a_measure(page, draft_server, open_app):
    """Each sentence's origin is one click away; “确认属实” takes the 待核实 mark off."""
    open_app(page, draft_server.render_url("03_draft.ipynb"), APP)
    page.locator(".lm-TabBar-tab", has_text="起草设置").click()
    page.get_by_role("button", name="生成初稿", exact=True).click()
    page.wait_for_selector(TEXTAREAS, state="visible", timeout=30000)
    target = (
        page.locator(".jf-draft-paragraph")
        .filter(has=page.get_by_role("button", name="确认属实", exact=True))
        .first
    )
    sources = target.locator("details.jf-draft-sources")
    sources.locator("summary").click()
    assert sources.locator(".jf-draft-src-label", has_text="对比数据").count() >= 1
    assert "对比表：示例县 · 发文数量：2023年 200件 → 2024年 98件" in sources.inner_text()
    assert "【待核实】" in target.locator("textarea").input_value()
    count = page.evaluate(PENDING_COUNT)
    target.get_by_role("button", name="确认属实", exact=True).click()
    page.wait_for_function(f"({PENDING_COUNT})() === {count - 1}", timeout=15000)
