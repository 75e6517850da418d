"""The 填报任务 page in headless Chromium: upload several returned files at once, confirm,
see the late units become 已报 on the board."""

from __future__ import annotations

import pytest

from jianfu.collect.demo import OPEN
from jianfu.collect.outgoing import round_templates
from jianfu.collect.rounds import Collect
from jianfu.collect.templates import file_name
from jianfu.store import Store
from tests.support.collect import filled

APP = ".jf-collect"
LATE = {"示例县": [98, 46, 41, 30, 20, 12, 5], "示例支队": [178, 90, 15, 22, 26, 9, 3]}


@pytest.fixture(scope="module")
def collect_server(demo_voila):
    return demo_voila()


def test_upload_several_files_then_the_board_shows_them(page, collect_server, open_app, tmp_path):
    store = Store(collect_server.db_url)
    collect = Collect(store)
    rnd = collect.round(OPEN)
    templates = round_templates(collect, rnd, combined=False)
    paths = []
    for unit, values in LATE.items():
        path = tmp_path / f"{unit}交回.xlsx"
        path.write_bytes(filled(templates[file_name(rnd, unit)], values))
        paths.append(str(path))
    open_app(page, collect_server.render_url("06_collect.ipynb"), APP)
    page.wait_for_selector("text=已报2个", timeout=20000)
    assert "逾期2个" in page.locator(APP).inner_text()
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload", has_text="选择交回的文件").click()
    chooser.value.set_files(paths)
    page.wait_for_selector("text=已检查：共2个文件：已导入2个", timeout=30000)
    assert store.values_of("示例县", "2024年").get("report_forms") is None  # not before confirm
    page.locator("button", has_text="确认导入").click()
    page.wait_for_selector("text=导入完成", timeout=30000)
    page.wait_for_selector("text=已报4个", timeout=20000)
    assert store.values_of("示例县", "2024年")["report_forms"] == 30
    store.engine.dispose()


def test_the_board_opens_compare_on_the_reported_units(page, collect_server, open_app):
    """“只看已报单位”: the link opens the 对比 page on exactly the units that have reported."""
    open_app(page, collect_server.render_url("06_collect.ipynb"), APP)
    link = page.locator("a", has_text="在“对比分析”中只对比这些单位")
    link.wait_for(timeout=20000)
    ready = page.locator("p", has_text="已报齐的单位").inner_text()
    with page.context.expect_page() as opened:
        link.click()
    compare = opened.value
    compare.wait_for_selector(".jf-compare", timeout=90000)
    chosen = compare.locator(".jf-compare select[multiple] option:checked").all_inner_texts()
    assert chosen and all(unit in ready for unit in chosen)
    assert "示例县城关镇" in chosen and "示例县青山镇" in chosen
    compare.close()


def test_two_files_for_one_unit_wait_for_the_choice(page, collect_server, open_app, tmp_path):
    """Same modified time: nothing of 示例县 is imported until “使用哪一份” is answered."""
    import os

    store = Store(collect_server.db_url)
    collect = Collect(store)
    rnd = collect.round(OPEN)
    template = round_templates(collect, rnd, combined=False)[file_name(rnd, "示例县")]
    paths = []
    for name, forms in (("县甲.xlsx", 31), ("县乙.xlsx", 29)):
        path = tmp_path / name
        path.write_bytes(filled(template, [98, 46, 41, forms, 20, 12, 5]))
        os.utime(path, (1_750_000_000, 1_750_000_000))
        paths.append(str(path))
    open_app(page, collect_server.render_url("06_collect.ipynb"), APP)
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload", has_text="选择交回的文件").click()
    chooser.value.set_files(paths)
    page.wait_for_selector("text=待选择2个", timeout=30000)
    assert "报表台账种类：县甲.xlsx 31，县乙.xlsx 29" in page.locator(APP).inner_text()
    page.locator(".widget-toggle-button", has_text="县乙.xlsx").click()
    page.wait_for_selector("text=已导入1个，重复1个", timeout=20000)
    page.locator("button", has_text="确认导入").click()
    page.wait_for_selector("text=导入完成", timeout=30000)
    assert store.values_of("示例县", "2024年")["report_forms"] == 29
    store.engine.dispose()
