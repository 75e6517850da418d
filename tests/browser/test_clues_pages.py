"""问题线索 on the real public server: a phone reports, reads its status; no kernel for /report."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from jianfu.clues.page import NOT_FOUND, RECEIVED
from jianfu.clues.store import ClueStore
from jianfu.clues.text import report_from
from tests.support.browser import ARTIFACTS
from tests.support.servers import wait_for_log

PHONE = {"width": 390, "height": 844}
KERNEL_STARTED = "Kernel started"


@pytest.fixture(scope="module")
def clue_server(start_public, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('clue-db') / 'clues.sqlite'}"
    server = start_public(db_url=url, preheat=0)
    server.db_url = url
    return server


def test_a_phone_reports_and_reads_the_reply(page_at, clue_server):
    page = page_at(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(clue_server.url("report"))
    page.select_option("#category", "督检考")
    page.fill("#imposed_by", "某县督查室")
    page.fill("#what", "一次检查要求每个村提供二十张现场照片")
    page.fill("#hours", "4")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone
    page.screenshot(path=str(ARTIFACTS / "clues-report-390.png"), full_page=True)
    page.click("#send")
    expect(page.locator("h1")).to_have_text(RECEIVED)
    code = page.locator("#code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    page.screenshot(path=str(ARTIFACTS / "clues-received-390.png"), full_page=True)

    store = ClueStore(clue_server.db_url)
    [clue] = store.clues()
    store.change_status(clue.id, "核实属实", "已核实")
    store.set_reply(clue.id, "已要求督查室不再要求现场照片。")
    store.engine.dispose()

    page.click("text=凭查询码查看处理情况")
    page.fill("#code", code.replace("-", "").lower())
    page.click("#look")
    expect(page.locator("#result")).to_contain_text("已要求督查室不再要求现场照片。")
    expect(page.locator("#result")).to_contain_text("核实属实")
    page.screenshot(path=str(ARTIFACTS / "clues-status-390.png"), full_page=True)
    page.fill("#code", "AAAA-BBBB-CCCC")
    page.click("#look")
    expect(page.locator("#result")).to_have_text(NOT_FOUND)


def test_report_pages_start_no_kernel_and_other_paths_stay_closed(clue_server):
    for path in ("report", "report/status", "report/", "report/status/"):
        assert requests.get(clue_server.url(path), timeout=10).status_code == 200
    for path in ("reports", "report/x", "voila/files/x", "tree"):
        assert requests.get(clue_server.url(path), timeout=10).status_code in (403, 404)
    assert KERNEL_STARTED not in clue_server.log()
    requests.post(clue_server.url("report"), data={"what": "x"}, timeout=10)  # 403: no xsrf
    assert wait_for_log(clue_server, "POST /report (-)", timeout=10)
    assert "/report (127" not in clue_server.log()


def test_the_board_lists_a_report_and_records_a_status_change(page, demo_voila, open_app):
    server = demo_voila()
    store = ClueStore(server.db_url)
    store.submit(report_from({"category": "会议", "what": "<b>一周开了四次</b>调度会"}))
    store.engine.dispose()
    open_app(page, server.render_url("08_clues.ipynb"), ".jianfu-clue-list")
    assert "<b>一周开了四次</b>调度会" in page.locator(".jianfu-clue-list").inner_text()
    page.locator("textarea").first.fill("电话核实属实")
    page.get_by_role("button", name="更改状态").click()
    expect(page.locator(".jianfu-clue ol")).to_contain_text("电话核实属实")
    page.screenshot(path=str(ARTIFACTS / "clues-board.png"), full_page=True)
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "ClueBoard" not in text
    store = ClueStore(server.db_url)
    assert store.clue(1).status == "核实属实"
    store.engine.dispose()
