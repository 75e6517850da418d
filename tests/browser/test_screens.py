"""录入 and 对比 on the screens they are used on: a projector, a laptop at 150 %, a phone.

At each size nothing may stick out sideways, key controls must be visible and
work, and a screenshot lands in test-artifacts/. The presentation view is also
checked for type a room can read, a chart that replaces a stale one, copying on
a plain-HTTP intranet address, and uploads refused before they are sent.
"""

from __future__ import annotations

import shutil

import pytest

from jianfu.paths import NOTEBOOKS, PROJECT_ROOT
from jianfu_widgets.import_panel import MAX_UPLOAD_MB

ARTIFACTS = PROJECT_ROOT / "test-artifacts"

COMPARE = "02_compare.ipynb"
ENTRY = "01_entry.ipynb"
CHART = ".jf-chart .jianfu-chart svg"
PRESENT_SIZES = {
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1},
    # a 1366×768 laptop at 150 % zoom: 911×512 CSS pixels
    "1366x768@150": {"viewport": {"width": 911, "height": 512}, "device_scale_factor": 1.5},
}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}

# Elements wider than the window, except inside boxes that scroll on their own
# (tables, charts); also the page's own scrollers.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scroller = document.getElementById('rendered_cells');
  const out = Array.from(document.querySelectorAll('#rendered_cells *'))
    .filter(e => {
      const box = e.getBoundingClientRect();
      return box.width > 0 && box.right > width + 1
        && !e.closest('.jf-table-wrap, .jianfu-chart');
    })
    .slice(0, 5)
    .map(e => `${e.tagName}.${String(e.className).slice(0, 60)} right=${e.getBoundingClientRect().right}`);
  if (document.documentElement.scrollWidth > width) out.push('document scrolls sideways');
  if (scroller.scrollWidth > scroller.clientWidth + 1) out.push('#rendered_cells scrolls sideways');
  return out;
}"""
# Smallest chart text as drawn on screen, in CSS px (SVG text scaled with its picture).
CHART_TEXT = """() => {
  const svg = document.querySelector('.jf-chart .jianfu-chart svg');
  const box = svg.getBoundingClientRect();
  const scale = Math.min(box.width / svg.viewBox.baseVal.width, box.height / svg.viewBox.baseVal.height);
  return Math.min(...Array.from(svg.querySelectorAll('text'))
    .filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
}"""


def font_px(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def sized(page_at):
    return page_at


# ---- the presentation view ------------------------------------------------------------------
# ---- the presentation view ------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESENT_SIZES)
def test_presentation_view_fits_and_reads_from_the_back(sized, voila_server, open_app, name):
    page = sized(**PRESENT_SIZES[name])
    seconds = open_app(page, voila_server.render_url(COMPARE) + "?present=1", ".jf-present")
    page.locator(CHART).wait_for(timeout=60000)
    print(f"presentation view {name}: interactive {seconds:.2f} s")
    assert page.evaluate(OVERFLOW) == []
    shot(page, f"compare-present-{name}")
    if name == "1920x1080":
        assert font_px(page, ".jf-sentences") >= 28
        assert font_px(page, ".jf-big-name") >= 28 and font_px(page, ".jf-big-value") >= 28
        assert page.evaluate(CHART_TEXT) >= 20
    # the controls are on one line at the top and they work
    bar = page.locator(".jf-present-bar")
    assert bar.is_visible() and bar.bounding_box()["y"] < 60
    title = page.locator(CHART).locator("text", has_text="示例县城关镇：2023年—2024年")
    assert "（1/" in title.first.text_content()
    page.get_by_role("button", name="下一页").click()
    page.wait_for_function(
        "() => document.querySelector('.jf-chart svg')?.textContent.includes('（2/')",
        timeout=30000,
    )
    assert page.evaluate(OVERFLOW) == []
    if name != "1920x1080":
        return
    # a unit without data in these periods leaves nothing of the last one on screen
    assert page.locator(".jf-copy").is_visible()
    unit = page.locator(".jf-present-bar .widget-dropdown", has_text="单位").locator("select")
    unit.select_option(label="区委组织部")  # no 2023年/2024年 values
    page.wait_for_selector("text=所选单位在这两个时期没有数据", timeout=20000)
    for stale in (CHART, ".jf-big", ".jf-sentences", ".jf-copy", ".jf-chart-wait"):
        assert page.locator(stale).count() == 0, stale
    shot(page, "compare-present-no-data")


# ---- a preheated page on a plain-HTTP intranet address ------------------------------------------

INTRANET = "jianfu.test"  # the browser maps it to 127.0.0.2: not a secure context


@pytest.fixture(scope="module")
def intranet_server(start_voila, browser_db, tmp_path_factory):
    """The 对比 page as `make app` serves it (one preheated kernel), on 127.0.0.2."""
    folder = tmp_path_factory.mktemp("intranet-notebooks")
    shutil.copy(NOTEBOOKS / COMPARE, folder)
    return start_voila(db_url=browser_db, notebooks_dir=folder, preheat=1, host="127.0.0.2")


def test_preheated_page_on_an_intranet_address(sized, intranet_server, open_app):
    page = sized(viewport={"width": 1366, "height": 768})
    url = intranet_server.render_url(COMPARE).replace("127.0.0.2", INTRANET) + "?present=1"
    seconds = open_app(page, url, ".jf-compare", timeout=90)
    # the pooled kernel read the address once the visitor arrived
    page.locator(".jf-present").wait_for(timeout=20000)
    page.locator(CHART).wait_for(timeout=60000)
    print(f"preheated presentation view: interactive {seconds:.2f} s")
    assert page.evaluate(OVERFLOW) == []
    shot(page, "compare-present-1366x768")
    # the switch leads back to the page view
    page.get_by_role("button", name="退出演示").click()
    page.locator(".lm-TabBar-tab", has_text="数据句").click()
    # copying without the Clipboard API (plain HTTP, not localhost): one sentence a line
    assert page.evaluate("[window.isSecureContext, !!navigator.clipboard]") == [False, False]
    page.evaluate(
        "() => document.addEventListener('copy', () => {"
        " window.copied = (document.activeElement.value || '') })"
    )
    button = page.locator("button.jf-copy")
    button.click()
    page.wait_for_function("() => window.copied !== undefined", timeout=10000)
    assert button.inner_text() == "已复制"
    lines = page.evaluate("window.copied").split("\n")
    shown = page.locator(".jf-sentences li").all_inner_texts()
    assert lines == shown and len(lines) > 1 and all(line.endswith("。") for line in lines)


# ---- phones ------------------------------------------------------------------------------------


def label_above_input(page, widget) -> bool:
    label = widget.locator(".widget-label").first.bounding_box()
    field = widget.locator("select, input").first.bounding_box()
    return label["y"] + label["height"] <= field["y"] + 1


def test_entry_and_compare_on_a_phone(sized, voila_server, open_app):
    page = sized(**PHONE)
    open_app(page, voila_server.render_url(ENTRY), ".jf-entry")
    assert page.evaluate(OVERFLOW) == []
    unit = page.locator(".widget-dropdown", has_text="单位").first
    period = page.locator(".widget-dropdown", has_text="时期").first
    assert label_above_input(page, unit) and label_above_input(page, period)
    unit.locator("select").select_option(label="示例县青山镇")
    period.locator("select").select_option(label="2023年")
    field = page.locator(".widget-text", has_text="发文数量（件）").first
    assert label_above_input(page, field)
    page.wait_for_function(
        "el => el.value === '39'", arg=field.locator("input").element_handle(), timeout=15000
    )
    # the save button stays on screen under a long form
    box = page.get_by_role("button", name="保存", exact=True).bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["viewport"]["height"]
    shot(page, "entry-phone-form")

    page.locator(".lm-TabBar-tab", has_text="已保存数据").click()
    saved = page.locator(".jf-table-wrap").first
    saved.wait_for(timeout=20000)
    assert page.locator("h3", has_text="示例县青山镇").is_visible()  # whose data this is
    assert saved.evaluate("e => e.scrollWidth > e.clientWidth")  # scrolls in its own box
    assert page.evaluate(OVERFLOW) == []
    shot(page, "entry-phone-saved")

    # a file over the limit never leaves the browser
    page.locator(".lm-TabBar-tab", has_text="导入导出").click()
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(len(f))))
    big = b"x" * ((MAX_UPLOAD_MB + 1) * 1024 * 1024)
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload", has_text="选择文件").click()
    chooser.value.set_files({"name": "太大.csv", "mimeType": "text/csv", "buffer": big})
    toast = page.locator("#jianfu-upload-refused")
    toast.wait_for(timeout=10000)
    assert f"超过{MAX_UPLOAD_MB}MB" in toast.inner_text() and "太大.csv" in toast.inner_text()
    page.wait_for_timeout(1000)
    assert not sent or max(sent) < 1024 * 1024  # nothing like the file went out
    assert page.locator("text=请核对后点击").count() == 0
    shot(page, "entry-phone-upload-refused")

    # every page links home and to the other apps
    nav = page.locator("nav.jianfu-nav")
    assert nav.locator("a", has_text="首页").get_attribute("href") == "index.ipynb"
    assert nav.locator("a[aria-current=page]").inner_text() == "数据录入"
    nav.locator("a", has_text="对比分析").click()
    page.wait_for_selector(".jf-compare", state="visible", timeout=60000)
    assert page.url.endswith("/voila/render/02_compare.ipynb")

    assert page.evaluate(OVERFLOW) == []
    shot(page, "compare-phone-top")
    before = page.locator(".widget-dropdown", has_text="基期").first
    assert label_above_input(page, before)
    before.locator("select").select_option(label="2021年")  # the town has no 2021年 values
    page.wait_for_selector("text=只有一个时期有数据", timeout=20000)
    before.locator("select").select_option(label="2023年")
    page.wait_for_selector("text=只有一个时期有数据", state="detached", timeout=20000)
    table = page.locator(".jf-table-wrap").first
    table.wait_for(timeout=20000)
    table.scroll_into_view_if_needed()
    # the table scrolls inside its box, its first column held in place
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")
    first = table.locator("td").first
    assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
    x = first.bounding_box()["x"]
    table.evaluate("e => { e.scrollLeft = 200; }")
    assert abs(first.bounding_box()["x"] - x) < 1
    assert page.evaluate(OVERFLOW) == []
    shot(page, "compare-phone-table")


# ---- the 自评汇总 projector (投屏模式) -------------------------------------------------------

DASHBOARD = "05_dashboard.ipynb"
PROJECTOR_SIZES = {
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1},
    "1366x768": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
}
# What the room must see without scrolling, each wholly inside the window.
ON_SCREEN = [
    ".jf-proj-qr svg",
    ".jf-proj-url",
    ".jf-proj-count",
    ".jf-proj .jf-dash-kpis",
    ".jf-proj .jf-assess-bars",
    ".jf-proj .jf-dash-problems",
    ".jf-proj .jf-dash-comments",
]
OUTSIDE_WINDOW = """sels => sels.filter(sel => {
  const box = document.querySelector(sel)?.getBoundingClientRect();
  return !box || box.height === 0 || box.top < 0 || box.left < 0
    || box.bottom > window.innerHeight + 0.5 || box.right > window.innerWidth + 0.5;
})"""
LINES = "sel => document.querySelector(sel).getClientRects().length"


@pytest.fixture(scope="module")
def room_dashboard(start_voila, tmp_path_factory):
    """A dashboard server on its own database: 12 answers, two comments released, one not."""
    from jianfu.assess.store import AssessStore

    folder = tmp_path_factory.mktemp("dashboard-notebooks")
    shutil.copy(NOTEBOOKS / DASHBOARD, folder)
    url = f"sqlite:///{tmp_path_factory.mktemp('room-db') / 'room.sqlite'}"
    store = AssessStore(url)
    store.create_session("x7kq2m", "3月学习研讨现场自评（城关镇、青山镇、示例县委办）")
    choices = [["inspections", "traces"], ["meetings_docs"], ["duties", "reports", "care"]]
    for n in range(12):
        sid = store.draft("x7kq2m", f"room-person-token-{n:04d}").submission_id
        answers = {f"q0{k}": 1 + (n + k) % 5 for k in range(1, 10)} | {"g01": 3, "overall": 6}
        answers |= {"problems": choices[n % 3], "comment": f"第{n}条意见：少开会，多办实事"}
        store.save("x7kq2m", 1, sid, answers, fields={"role": "基层"}, submit=True)
    released = [r.submission_id for r in store.responses("x7kq2m")[:2]]
    store.moderate("x7kq2m", released, "shown")
    store.engine.dispose()
    return start_voila(db_url=url, notebooks_dir=folder)


@pytest.mark.parametrize("name", PROJECTOR_SIZES)
def test_projector_is_one_full_screen(sized, room_dashboard, open_app, name):
    page = sized(**PROJECTOR_SIZES[name])
    open_app(page, room_dashboard.render_url(DASHBOARD), ".jf-dash-count-n")
    page.get_by_role("button", name="投屏模式").click()
    page.locator(".jf-proj").wait_for(timeout=20000)
    height = PROJECTOR_SIZES[name]["viewport"]["height"]
    # nothing of the page around it: no nav, no title, no old message
    for gone in ("nav.jianfu-nav", ".jianfu-title", ".jianfu-message", ".jf-dash-controls"):
        assert not page.locator(gone).first.is_visible() if page.locator(gone).count() else True
    drawn = page.locator(".jf-proj-qr svg path").bounding_box()  # the code, not its box
    assert drawn["height"] >= 0.3 * height, drawn
    assert page.evaluate(OUTSIDE_WINDOW, ON_SCREEN) == []
    assert page.locator(".jf-proj").evaluate("e => e.scrollHeight <= e.clientHeight + 1")
    # labels and the session code are never broken across lines
    for sel in (".jf-proj-code", ".jf-proj-count-label", ".jf-proj-state"):
        assert page.evaluate(LINES, sel) == 1, sel
    assert page.locator(".jf-proj-code").inner_text() == "?s=x7kq2m"
    # released comments only
    comments = page.locator(".jf-proj .jf-dash-comments li").all_inner_texts()
    assert len(comments) == 2 and all("少开会" in c for c in comments)
    assert page.locator(".jf-proj", has_text="意见建议（2条）").count() == 1
    shot(page, f"dashboard-projector-{name}")
    page.get_by_role("button", name="退出投屏").click()
    page.locator("nav.jianfu-nav").wait_for(timeout=10000)
    assert page.locator(".jf-proj").count() == 0
    # the page view: the count's label on one line, the address unbroken inside the code
    assert page.evaluate(LINES, ".jf-dash-count-label") == 1
    assert page.evaluate(LINES, ".jf-dash-url .jf-proj-code") == 1
    shot(page, f"dashboard-page-{name}")
