"""台账 in the real Voila server: add a meeting row in the browser and see its warning."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from jianfu.registers.store import RegisterStore
from tests.support.browser import ARTIFACTS


def test_add_a_row_and_see_the_warning(page, demo_voila, open_app):
    server = demo_voila()
    open_app(page, server.render_url("07_registers.ipynb"), ".jf-registers")
    page.get_by_role("button", name="会议", exact=True).click()
    expect(page.locator(".jf-field-speech_minutes input")).to_be_visible()
    page.locator(".jf-unit input").fill("甲镇")
    page.locator(".jf-field-date input").fill(date.today().isoformat())
    page.locator(".jf-field-name input").fill("全镇<b>工作</b>会")
    page.locator(".jf-field-kind select").select_option("专题会")
    page.locator(".jf-field-form select").select_option("现场")
    page.locator(".jf-field-speech_minutes input").fill("75")
    page.get_by_role("button", name="登记").click()
    status = page.locator(".jf-register-status")
    expect(status).to_contain_text("已登记（台账第1号）")
    expect(status).to_contain_text("主讲话75分钟，超过主要负责同志讲话一般不超过1小时")
    expect(page.locator(".jf-registers")).to_contain_text("主讲话超时")
    expect(page.locator(".jf-registers")).to_contain_text("全镇<b>工作</b>会")  # shown as text
    page.screenshot(path=str(ARTIFACTS / "registers-page.png"), full_page=True)
    registers = RegisterStore(server.db_url)
    try:
        (row,) = registers.rows(unit="甲镇")
        assert row.values["speech_minutes"] == 75 and row.source == "表单录入"
    finally:
        registers.engine.dispose()
