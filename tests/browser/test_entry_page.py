"""The 录入 page in headless Chromium: type a value, save, reload, see it; upload a GBK CSV."""

from __future__ import annotations

import shutil

import pytest

from jianfu.numbers.format import plain
from jianfu.paths import NOTEBOOKS
from jianfu.store import Store
from jianfu_widgets.common import PREHEATED
from tests.support.demo import copy_demo
from tests.support.servers import wait_for_log

APP = ".jf-entry"
FIELD = "发文数量（件）"


@pytest.fixture(scope="module")
def entry_server(demo_voila):
    """A server on its own demo database, since these tests write."""
    return demo_voila()


def choose(page, label: str, option: str) -> None:
    dropdown = page.locator(".widget-dropdown", has_text=label).first.locator("select")
    dropdown.select_option(label=option)


def open_entry(page, server, open_app) -> float:
    seconds = open_app(page, server.render_url("01_entry.ipynb"), APP)
    choose(page, "单位", "示例县青山镇")
    choose(page, "时期", "2024年")
    return seconds


def field_input(page, label: str):
    return page.locator(".widget-text", has_text=label).first.locator("input")


def test_value_saved_in_the_page_is_there_after_reload(page, entry_server, open_app):
    seconds = open_entry(page, entry_server, open_app)
    print(f"entry page interactive after {seconds:.2f} s")
    box = field_input(page, FIELD)
    page.wait_for_function(
        "el => el.value === '33'", arg=box.element_handle(), timeout=10000
    )  # the stored demo value is loaded into the form
    box.fill("27")
    box.press("Enter")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_selector(
        "text=示例县青山镇 2024年 已保存", timeout=15000
    )  # not the tab 已保存数据

    page.reload(wait_until="commit")
    page.wait_for_selector(APP, state="visible", timeout=60000)
    choose(page, "单位", "示例县青山镇")
    choose(page, "时期", "2024年")
    box = field_input(page, FIELD)
    page.wait_for_function("el => el.value === '27'", arg=box.element_handle(), timeout=10000)

    obs = Store(entry_server.db_url).observations(["示例县青山镇"], ["2024年"])
    assert obs.set_index("indicator").loc["doc_count", "value"] == 27


def test_bad_value_is_flagged_in_chinese(page, entry_server, open_app):
    open_entry(page, entry_server, open_app)
    page.locator(".jupyter-widget-Collapse-header", has_text="指尖负担").click()
    box = field_input(page, "工作群数量（个）")
    page.wait_for_function("el => el.value === '12'", arg=box.element_handle(), timeout=10000)
    box.fill("-5")
    box.press("Enter")
    page.wait_for_selector("text=不能为负数", timeout=10000)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_selector("text=需要修改", timeout=10000)
    assert "Traceback" not in page.content()


def test_gbk_csv_upload_shows_preview(page, entry_server, open_app, tmp_path):
    open_entry(page, entry_server, open_app)
    page.locator(".lm-TabBar-tab", has_text="导入导出").click()
    csv = "单位,时期,指标,数值\n示例县青山镇,2024年,会议数量,35\n浏览器镇,2024年,工作群数量,4\n"
    path = tmp_path / "数据.csv"
    path.write_bytes(csv.encode("gbk"))
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload", has_text="选择文件").click()
    chooser.value.set_files(str(path))
    page.wait_for_selector("text=请核对后点击", timeout=20000)
    table = page.locator(".jf-table", has_text="浏览器镇").first
    table.wait_for(timeout=10000)
    preview = table.inner_text()
    assert "浏览器镇" in preview and "新增" in preview and "修改" in preview
    # nothing is written before the user confirms
    assert "浏览器镇" not in Store(entry_server.db_url).unit_names()
    page.locator("button", has_text="确认导入").click()
    page.wait_for_selector("text=“数据.csv”已保存", timeout=15000)
    assert "浏览器镇" in Store(entry_server.db_url).unit_names()


def test_template_download_works_in_the_page(page, entry_server, open_app):
    open_entry(page, entry_server, open_app)
    page.locator(".lm-TabBar-tab", has_text="导入导出").click()
    page.locator("button", has_text="下载空白模板").click()
    link = page.locator("a.jianfu-download")
    link.wait_for(timeout=20000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "基层减负数据填报模板.xlsx"
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(2) == b"PK"


def test_switching_with_unsaved_edits_asks_before_anything_is_lost(page, entry_server, open_app):
    open_entry(page, entry_server, open_app)
    box = field_input(page, FIELD)
    shown = plain(Store(entry_server.db_url).values_of("示例县青山镇", "2024年")["doc_count"])
    page.wait_for_function(  # the selected unit's stored value has reached the form
        "([el, v]) => el.value === v", arg=[box.element_handle(), shown], timeout=10000
    )
    box.fill("26")
    box.press("Enter")
    choose(page, "时期", "2023年")
    page.wait_for_selector("text=有未保存的修改（发文数量）", timeout=10000)
    period = page.locator(".widget-dropdown", has_text="时期").first.locator("select")
    page.wait_for_function("el => el.value !== ''", arg=period.element_handle(), timeout=10000)
    assert period.evaluate("el => el.options[el.selectedIndex].text") == "2024年"
    assert field_input(page, FIELD).input_value() == "26"  # the typed value is still there
    page.get_by_role("button", name="保存后切换").click()
    page.wait_for_function(
        "el => el.options[el.selectedIndex].text === '2023年'",
        arg=period.element_handle(),
        timeout=10000,
    )
    obs = Store(entry_server.db_url).observations(["示例县青山镇"], ["2024年"])
    assert obs.set_index("indicator").loc["doc_count", "value"] == 26


def test_a_preheated_page_shows_what_was_saved_while_it_waited(
    page, start_voila, demo_db_file, tmp_path, open_app
):
    """`make app` preheats: the form is built before anyone comes, the data read when they do."""
    url = copy_demo(demo_db_file, tmp_path)
    store = Store(url)
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(NOTEBOOKS / "01_entry.ipynb", folder)
    server = start_voila(db_url=url, notebooks_dir=folder, preheat=1)
    assert wait_for_log(server, PREHEATED.format(page="entry"), timeout=90), server.log()[-2000:]
    # a colleague saves and adds a unit while the page waits in the pool
    store.save_observations(
        store.observations(["示例县"], ["2024年"])
        .query("indicator == 'doc_count'")
        .assign(value=77)
    )
    store.add_unit("新设镇", "乡镇")
    open_app(page, server.render_url("01_entry.ipynb"), APP)
    box = field_input(page, FIELD)  # the page opens on 示例县, 2024年
    page.wait_for_function("el => el.value === '77'", arg=box.element_handle(), timeout=10000)
    choose(page, "单位", "新设镇")
    unit = page.locator(".widget-dropdown", has_text="单位").first.locator("select")
    assert unit.evaluate("el => el.options[el.selectedIndex].text") == "新设镇"


def test_a_hidden_sheet_is_marked_and_read_only_when_picked(page, entry_server, open_app, tmp_path):
    import openpyxl

    open_entry(page, entry_server, open_app)
    page.locator(".lm-TabBar-tab", has_text="导入导出").click()
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active.append(["2024年基层减负情况"])
    old = wb.create_sheet("旧数据")
    old.append(["单位", "时期", "发文数量"])
    old.append(["隐藏镇", "2024年", 500])
    old.sheet_state = "hidden"
    path = tmp_path / "隐藏.xlsx"
    wb.save(path)
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload", has_text="选择文件").click()
    chooser.value.set_files(str(path))
    page.wait_for_selector("text=数据表只在隐藏的工作表“旧数据”中", timeout=20000)
    choose(page, "工作表", "旧数据（隐藏）")
    page.wait_for_selector("text=请核对后点击", timeout=20000)
    page.wait_for_selector("text=工作表“旧数据”在Excel中是隐藏的", timeout=10000)
    assert "隐藏镇" not in Store(entry_server.db_url).unit_names()  # not before confirming
