"""The landing page as a visitor sees it: Chinese, offline, no code, a cue when the kernel is lost."""

from __future__ import annotations

import json

import psutil
import pytest

from jianfu.paths import NOTEBOOKS
from jianfu_widgets.landing import APPS, available_apps

CARDS = ".jianfu-app-cards"
NOTICE = "#jianfu-notice"


@pytest.fixture
def landing(page, voila_server, open_app):
    """The landing page, opened and interactive."""
    seconds = open_app(page, voila_server.render_url("index.ipynb"), CARDS)
    print(f"landing page interactive after {seconds:.2f} s")
    return page


def test_landing_shows_chinese_title_and_app_links(landing):
    assert landing.locator("h1").first.inner_text() == "基层减负工作簿"
    assert landing.title() == "基层减负工作簿"
    assert landing.evaluate("document.documentElement.lang") == "zh-CN"
    shown = landing.locator("a.jianfu-app-card")
    assert shown.count() == len(available_apps(NOTEBOOKS))
    for app in APPS:
        card = landing.locator("a.jianfu-app-card", has_text=app.title)
        if (NOTEBOOKS / app.notebook).exists():
            # The relative link must land on Voila's render route.
            href = card.evaluate("a => a.href")
            assert href.endswith(f"/voila/render/{app.notebook}")
        else:
            assert card.count() == 0


def test_landing_links_to_entry_app(landing):
    if not (NOTEBOOKS / "01_entry.ipynb").exists():
        pytest.skip("notebooks/01_entry.ipynb not written yet")
    assert landing.locator("a.jianfu-app-card", has_text="数据录入").is_visible()


NOT_SHOWN = (
    # voila's English loading texts
    "Loading",
    "Running",
    "Executing",
    # notebook source, errors
    "LandingPage()",
    "from jianfu_widgets",
    "Traceback",
    "Error",
)


def test_landing_shows_no_english_code_or_errors(landing):
    text = landing.locator("body").inner_text()
    assert [t for t in NOT_SHOWN if t in text] == []
    assert landing.locator(".jp-InputArea, .jianfu-cell-error").count() == 0


def test_page_html_is_chinese_and_offline(page, voila_server):
    response = page.goto(voila_server.render_url("index.ipynb"))
    page.wait_for_selector(CARDS, state="visible")
    markup = response.text()
    assert '<html lang="zh-CN">' in markup
    assert "正在加载，请稍候……" in markup
    for absent in ("Running index", "cdn.jsdelivr.net", "fontawesome", "LandingPage()"):
        assert absent not in markup


def test_top_address_forwards_to_landing_page(page, voila_server):
    page.goto(voila_server.url())
    page.wait_for_url("**/voila/render/index.ipynb")
    page.wait_for_selector(CARDS, state="visible")


def test_missing_page_answers_in_chinese(page, voila_server):
    response = page.goto(voila_server.render_url("no_such_page.ipynb"))
    assert response.status == 404
    assert "没有找到这个页面" in page.locator("body").inner_text()


def test_notice_when_kernel_dies(landing, voila_server):
    config = json.loads(landing.locator("#jupyter-config-data").text_content())
    connection_file = f"kernel-{config['kernelId']}.json"
    server = psutil.Process(voila_server.process.pid)
    kernels = [p for p in server.children() if connection_file in " ".join(p.cmdline())]
    assert len(kernels) == 1
    assert landing.locator(NOTICE).is_hidden()
    kernels[0].kill()
    landing.wait_for_selector(NOTICE, state="visible", timeout=30_000)
    assert "本页已失效" in landing.locator(NOTICE).inner_text()


def test_notice_when_server_stops(page, start_voila, open_app):
    server = start_voila()
    open_app(page, server.render_url("index.ipynb"), CARDS)
    assert page.locator(NOTICE).is_hidden()
    server.stop()
    page.wait_for_selector(NOTICE, state="visible", timeout=30_000)
    assert "连接已断开，请刷新页面" in page.locator(NOTICE).inner_text()
