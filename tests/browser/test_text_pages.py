"""A unit name holding characters no file can hold, on the real 对比 page (issue 16, item 10).

A database written before text was cleaned where it enters can hold U+FFFE and control
characters in a unit name; drawing that unit's chart made vl-convert panic and took the
page's kernel with it. The chart must appear, and the page must keep answering.
"""

from __future__ import annotations

from sqlalchemy import text

from tests.support.demo import copy_demo

APP = ".jf-compare"


def test_the_chart_of_a_unit_with_unholdable_characters_is_drawn(
    page, start_voila, demo_db_file, tmp_path, open_app
):
    from jianfu.store import Store

    url = copy_demo(demo_db_file, tmp_path)
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE units SET name = :n WHERE name = '示例县城关镇'"),
            {"n": "示例县城关\ufffe镇\x01"},
        )
    store.engine.dispose()
    server = start_voila(db_url=url)
    open_app(page, server.render_url("02_compare.ipynb"), APP)
    page.locator(".lm-TabBar-tab", has_text="图表").click()
    page.wait_for_selector(".jf-chart svg", timeout=60000)
    assert (
        "示例县城关镇：2023年—2024年减负指标变化幅度" in page.locator(".jf-chart svg").inner_html()
    )
    page.get_by_role("button", name="分类对比").click()  # the kernel is still there
    page.wait_for_function(
        "() => document.querySelector('.jf-chart svg')?.textContent.includes('分类别对比')",
        timeout=60000,
    )
