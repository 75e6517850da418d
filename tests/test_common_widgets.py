"""Shared UI helpers and the landing page, without a browser."""

from __future__ import annotations

import base64
import logging
import re

import ipywidgets as widgets
import pytest

from jianfu.errors import JianfuError
from jianfu_widgets import common
from jianfu_widgets.landing import APPS, LandingPage, available_apps
from jianfu_widgets.status import StatusLine


@pytest.mark.parametrize("target_type", [widgets.HTML, widgets.Output])
def test_show_message_escapes_and_keeps_lines(target_type):
    target = target_type()
    common.show_message(target, '<b>"坏"</b>\n第2行', "error")
    markup = target.value if target_type is widgets.HTML else target.outputs[0]["data"]["text/html"]
    assert "&lt;b&gt;&#34;坏&#34;&lt;/b&gt;<br>第2行" in markup
    assert 'role="alert"' in markup
    common.clear_message(target)
    assert (target.value if target_type is widgets.HTML else target.outputs) in ("", ())


@pytest.fixture
def records():
    caught: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = caught.append
    logger = logging.getLogger("jianfu.widgets")
    common.server_log()  # install the real handler first, as in a kernel
    logger.addHandler(handler)
    yield caught
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("exc", "shown", "logged"),
    [
        # a message meant for the user is shown as is
        (JianfuError("第3行“数值”列：不是数字"), "操作未完成：第3行“数值”列：不是数字", False),
        # anything else: a generic message, the traceback to the server log
        (KeyError("secret_internal_name"), common.UNEXPECTED_ERROR, True),
    ],
)
def test_a_handler_shows_chinese_never_a_traceback(records, exc, shown, logged):
    status = StatusLine()
    with status.guard():
        raise exc
    assert (status.text, status.kind) == (shown, "error")
    assert "Traceback" not in status.value and "secret_internal_name" not in status.value
    assert bool(records) is logged
    if logged:
        assert records[0].exc_info[0] is KeyError


def test_download_link_carries_the_bytes_under_an_escaped_name():
    data = "单位,数值\n甲,1\n".encode("utf-8-sig")
    link = common.download_link(data, '对比"结果".csv', "text/csv", "下载 CSV")
    assert 'download="对比&#34;结果&#34;.csv"' in link.value
    payload = re.search(r"base64,([A-Za-z0-9+/=]+)", link.value).group(1)
    assert base64.b64decode(payload) == data
    assert ">下载 CSV</a>" in link.value


def test_download_link_refuses_huge_files(monkeypatch):
    monkeypatch.setattr(common, "MAX_DOWNLOAD_BYTES", 10)
    with pytest.raises(JianfuError, match="文件太大"):
        common.download_link(b"x" * 11, "a.bin")


def test_title_bar_escapes():
    bar = common.title_bar("<对比>", "副标题&")
    assert "&lt;对比&gt;" in bar.value and "副标题&amp;" in bar.value


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], []),
        (["01_entry.ipynb"], ["数据录入"]),
        ([app.notebook for app in APPS], [app.title for app in APPS]),
    ],
)
def test_landing_shows_only_apps_whose_notebook_exists(tmp_path, existing, expected):
    for name in existing:
        (tmp_path / name).write_text("{}")
    assert [app.title for app in available_apps(tmp_path)] == expected
    page = LandingPage(tmp_path)
    cards = page.children[1].value
    assert cards.count('class="jianfu-app-card"') == len(expected)
    for app in APPS:
        assert (f'href="{app.notebook}"' in cards) is (app.notebook in existing)


def test_the_landing_page_shows_an_app_added_while_it_waited(tmp_path):
    """The page protocol (refresh_if_stale) on the landing page."""
    page = LandingPage(tmp_path)
    assert page.apps == []
    (tmp_path / "01_entry.ipynb").write_text("{}")
    fresh = page.refresh_if_stale()
    assert [app.title for app in fresh.apps] == ["数据录入"]
    assert 'href="01_entry.ipynb"' in fresh.children[1].value
    assert fresh.refresh_if_stale() is fresh


def test_every_page_opens_by_the_one_protocol(monkeypatch):
    """Built first; in a pool, refresh_if_stale's page is what the visitor gets."""
    events = []

    class Page:
        def refresh_if_stale(self):
            events.append("refresh")
            return "fresh page"

    monkeypatch.setattr(common, "wait_for_visitor", lambda page="": events.append(page) or True)
    assert common.open_page(Page, "entry") == "fresh page"
    assert events == ["entry", "refresh"]
    monkeypatch.setattr(common, "wait_for_visitor", lambda page="": False)
    assert isinstance(common.open_page(Page, "entry"), Page)  # no pool: nothing to refresh


@pytest.mark.parametrize(("preheat", "waits"), [(None, False), ("False", False), ("True", True)])
def test_wait_for_visitor_waits_only_in_a_preheated_kernel(monkeypatch, preheat, waits):
    import jianfu.server.visitor

    calls = []
    monkeypatch.setattr(jianfu.server.visitor, "wait_for_request", lambda: calls.append(1))
    if preheat is None:
        monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    else:
        monkeypatch.setenv("VOILA_PREHEAT", preheat)
    common.wait_for_visitor()
    assert bool(calls) is waits
