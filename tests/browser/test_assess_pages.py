"""自评 in a real browser: the participant page on the public server, the room, the live dashboard."""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from jianfu.assess.questionnaire import load_questionnaire
from jianfu.assess.store import AssessStore
from jianfu.paths import NOTEBOOKS
from tests.support import room as sim
from tests.support.browser import ARTIFACTS, CELL_ERROR, PREHEATED, is_outside, watch_requests
from tests.support.servers import wait_for_log

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1024, "height": 768}
# The element's top edge is on screen, in its upper third.
ON_TOP = """sel => { const b = document.querySelector(sel).getBoundingClientRect();
  return b.top >= 0 && b.top < window.innerHeight / 3; }"""
# (rows, widths) of the 0–10 buttons: rows by their top edge, widths rounded to 0.5 px.
OVERALL_ROWS = """() => {
  const boxes = Array.from(document.querySelectorAll('.jf-q-overall button'))
    .map(b => b.getBoundingClientRect());
  const rows = new Set(boxes.map(b => Math.round(b.top)));
  return [rows.size, boxes.map(b => Math.round(b.width * 2) / 2)];
}"""
READY = ".jf-assess-ready"
ROOM = 6  # real browsers on the same 2 cores; rooms of 60 are simulated (tests.support.room)


@pytest.fixture(scope="module")
def assess_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('assess-db') / 'assess.sqlite'}"
    store = AssessStore(url)
    store.create_session("live1", "浏览器测试场次")
    store.create_session("room1", "十人现场")
    store.create_session("sim1", "模拟现场")
    store.create_session("closed1", "上周的场次")
    store.set_open("closed1", False)
    store.create_session("phone1", "手机上的场次")
    store.create_session("shut1", "会后关闭的场次")
    store.engine.dispose()
    return url


@pytest.fixture(scope="module")
def public_server(start_public, assess_db):
    # a pool for the room test and the participant's page and reload
    # a warm kernel for everyone in the room test (it runs first); later tests start cold ones
    return start_public(db_url=assess_db, preheat=ROOM, wait_for_pool=ROOM)


def stored(db_url: str, code: str):
    store = AssessStore(db_url)
    try:
        return store.responses(code, submitted_only=False)
    finally:
        store.engine.dispose()


def choose(page, item: str, label: str) -> None:
    page.locator(f".jf-q-{item}").get_by_role("button", name=label, exact=True).click()


def answer_all(page, value: str = "不太符合") -> None:
    for n in range(1, 10):
        choose(page, f"q0{n}", value)
    choose(page, "g01", "比较符合")
    choose(page, "overall", "6")


@pytest.mark.parametrize(
    "path",
    [
        "voila/render/05_dashboard.ipynb",
        "voila/render/01_entry.ipynb",
        "voila/render/index.ipynb",
        "voila/tree",
        "voila/files/04_assess.ipynb",
        "voila/files/05_dashboard.ipynb",
        "voila/api/contents/",
        "api/kernels",
        "api/contents",
        "05_dashboard.ipynb",
        "tree",
    ],
)
def test_public_server_refuses_everything_but_the_participant_page(public_server, path):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(public_server.url(path), timeout=10)
    assert refused.value.code in (403, 404)


def test_room_of_browsers_all_submit(browser, public_server, assess_db):
    contexts, pages, seen = [], [], []
    for _ in range(ROOM):
        context = browser.new_context(viewport=PHONE, locale="zh-CN")  # own cookie: own person
        seen.append(watch_requests(context))
        contexts.append(context)
        pages.append(context.new_page())
    try:
        start = time.perf_counter()
        for page in pages:  # everyone arrives together
            page.goto(public_server.url("?s=room1"), wait_until="commit")
        for page in pages:
            page.wait_for_selector(READY, state="visible", timeout=120000)
        ready = time.perf_counter() - start
        for n, page in enumerate(pages):
            answer_all(page, ["完全不符合", "不太符合", "部分符合", "比较符合", "完全符合"][n % 5])
            page.get_by_role("button", name="提交", exact=True).click()
        for page in pages:
            page.get_by_text("已提交，感谢参与").wait_for(timeout=60000)
        elapsed = time.perf_counter() - start
    finally:
        for context in contexts:
            context.close()
    room = stored(assess_db, "room1")
    assert len(room) == ROOM and all(r.submitted for r in room)
    assert len({r.submission_id for r in room}) == ROOM
    assert sorted(r.answers["q01"] for r in room) == sorted((n % 5) + 1 for n in range(ROOM))
    outside = sorted({u for urls in seen for u in urls if is_outside(u)})
    assert outside == []
    print(f"{ROOM} browsers interactive after {ready:.1f} s, all submitted after {elapsed:.1f} s")


def test_participant_answers_reloads_mid_way_and_submits(page, public_server, assess_db):
    page.set_viewport_size(PHONE)
    url = public_server.url("?s=live1")
    page.goto(url, wait_until="commit")
    page.wait_for_selector(f"{READY}, {CELL_ERROR}", state="visible", timeout=60000)
    assert page.locator(CELL_ERROR).count() == 0
    assert page.get_by_text("浏览器测试场次").is_visible()
    choose(page, "q01", "比较符合")
    choose(page, "q02", "不清楚（不计分）")
    choose(page, "role", "基层")
    page.get_by_text("必答题已答 2 / 11").wait_for(timeout=10000)
    page.reload(wait_until="commit")
    page.wait_for_selector(READY, state="visible", timeout=60000)
    active = page.locator(
        ".jf-q-q01 button.mod-active, .jf-q-q02 button.mod-active, .jf-q-role button.mod-active"
    )
    assert active.all_inner_texts() == ["基层", "比较符合", "不清楚（不计分）"]
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_text("还有9道必答题没有作答").wait_for(timeout=10000)
    answer_all(page)
    choose(page, "q01", "完全符合")
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_text("已提交，感谢参与").wait_for(timeout=15000)
    assert page.locator(".jf-assess-index-value").inner_text().isdigit()
    # the page shows "已提交" at the top, not where the 提交 button was
    page.wait_for_function(ON_TOP, arg=".jf-assess-done", timeout=5000)
    (mine,) = stored(assess_db, "live1")
    assert mine.submitted and mine.role == "基层"
    assert mine.answers["q01"] == 5 and mine.answers["q02"] == 2 and mine.answers["overall"] == 6


def test_the_facilitators_preview_is_preheated_too(page, start_voila, assess_db, tmp_path):
    """`make app` preheats the participant page as well: the preview opens as fast as the rest."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(NOTEBOOKS / "04_assess.ipynb", folder)
    server = start_voila(db_url=assess_db, notebooks_dir=folder, preheat=1)
    assert wait_for_log(server, PREHEATED, timeout=90), server.log()[-2000:]
    store = AssessStore(assess_db)
    store.create_session("preview1", "开场前预览")  # made while the page waits in the pool
    store.engine.dispose()
    page.set_viewport_size(PHONE)
    page.goto(server.render_url("04_assess.ipynb") + "?s=preview1", wait_until="commit")
    page.wait_for_selector(f"{READY}, {CELL_ERROR}", state="visible", timeout=60000)
    assert page.locator(CELL_ERROR).count() == 0
    # the pooled kernel read the session code once the visitor came
    assert page.get_by_text("开场前预览").is_visible()


@pytest.mark.parametrize(
    ("query", "message"),
    # the other messages (no code, unknown code) are checked without a browser
    [("?s=closed1", "已结束")],
)
def test_unknown_or_closed_codes(page, public_server, query, message):
    page.set_viewport_size(PHONE)
    page.goto(public_server.url(query), wait_until="commit")
    page.get_by_text(message).wait_for(timeout=60000)
    assert page.locator(".jf-assess-q").count() == 0


def test_room_simulator_small_room(public_server, assess_db):
    form = load_questionnaire("quick")
    room = sim.make_room(form, 3, sim.Behaviour.instant(), "sim")
    sim.run_sync(sim.run_room(public_server.url(), "sim1", form, room, sim.Behaviour.instant()))
    tally = sim.check_room(assess_db, "sim1", form, room)
    assert tally.ok and tally.stored == 3, tally.problems
    assert all(p.arrival_to_form >= p.arrival_to_page > 0 for p in room)


def test_plain_gets_then_a_full_room_then_the_line_in_a_browser(browser, start_public, assess_db):
    """Issue 17 item 16 and the 请稍候 line, with the pages' own scripts."""
    server = start_public(db_url=assess_db, preheat=1, max_kernels=2, wait_for_pool=1)
    url = server.url("?s=room1")
    for _ in range(2):  # as many as the cap, from a script: no kernel for any of them
        with urllib.request.urlopen(url, timeout=30) as reply:
            assert b"jianfu_js" in reply.read()
    contexts = [browser.new_context(viewport=PHONE, locale="zh-CN") for _ in range(3)]
    seen = [watch_requests(context) for context in contexts]
    pages = [context.new_page() for context in contexts]
    try:
        start = time.perf_counter()
        pages[0].goto(url, wait_until="commit")
        pages[0].wait_for_selector(READY, state="visible", timeout=10000)
        assert time.perf_counter() - start < 10
        pages[1].goto(url, wait_until="commit")
        pages[1].wait_for_selector(READY, state="visible", timeout=60000)
        pages[2].goto(url, wait_until="commit")  # the room is full
        pages[2].get_by_text("请稍候").wait_for(timeout=10000)
        assert pages[2].locator("#place").inner_text() == "1"
        pages[0].close(run_before_unload=True)  # someone leaves: the next in line gets in
        pages[2].wait_for_selector(READY, state="visible", timeout=30000)
    finally:
        for context in contexts:
            context.close()
    outside = sorted({u for urls in seen for u in urls if is_outside(u)})
    assert outside == []


def test_dashboard_shows_a_new_submission_without_reload(page, voila_server, browser_db):
    # The session server's database: the 自评 tables are apart from the demo data
    # the other pages read, so a new session there disturbs no other test.
    server = voila_server
    store = AssessStore(browser_db)
    store.create_session("dash1", "主持人看板")  # the newest: opened first
    page.goto(server.render_url("05_dashboard.ipynb"), wait_until="commit")
    page.wait_for_selector(f".jf-dash-count-n, {CELL_ERROR}", state="visible", timeout=60000)
    assert page.locator(CELL_ERROR).count() == 0
    assert page.locator(".jf-dash-count-n").inner_text() == "0"
    assert page.locator(".jf-dash-qr svg").count() == 1
    for n in range(5):
        sid = store.draft("dash1", f"dashboard-person-{n:04d}").submission_id
        answers = {f"q0{k}": 2 for k in range(1, 10)} | {"g01": 3, "overall": 4}
        store.save("dash1", 1, sid, answers, submit=True)
        if n == 0:
            page.wait_for_function(
                "document.querySelector('.jf-dash-count-n').textContent === '1'", timeout=20000
            )
    page.wait_for_function(
        "document.querySelector('.jf-dash-count-n').textContent === '5'", timeout=20000
    )
    page.get_by_text("减负指数").first.wait_for(timeout=10000)
    store.engine.dispose()


@pytest.mark.parametrize(("size", "rows"), [(LAPTOP, 1), (PHONE, 2)])
def test_the_overall_scale_is_one_even_row_or_two_on_a_phone(page, public_server, size, rows):
    page.set_viewport_size(size)
    page.goto(public_server.url("?s=phone1"), wait_until="commit")
    page.wait_for_selector(READY, state="visible", timeout=60000)
    got_rows, widths = page.evaluate(OVERALL_ROWS)
    assert len(widths) == 11 and got_rows == rows
    assert max(widths) - min(widths) <= 1, widths  # equal buttons, no 7 + 4
    assert min(widths) >= (28 if rows == 1 else 44)  # big enough to tap
    # the unscored answer stands on a row of its own, under the five scored ones
    unknown = page.locator(".jf-q-q01").get_by_role("button", name="不清楚（不计分）")
    scored = page.locator(".jf-q-q01").get_by_role("button", name="完全符合", exact=True)
    assert unknown.bounding_box()["y"] > scored.bounding_box()["y"] + 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"assess-form-{size['width']}.png"))


def test_the_three_choices_warning_shows_at_the_question(page, public_server):
    page.set_viewport_size(PHONE)
    page.goto(public_server.url("?s=phone1"), wait_until="commit")
    page.wait_for_selector(READY, state="visible", timeout=60000)
    question = page.locator(".jf-q-problems")
    for name in ("督检考过多过频", "数据报表重复填报", "借调抽调基层干部", "创建示范评比过多"):
        question.get_by_role("button", name=name).click()
    note = question.locator(".jf-assess-msg", has_text="最多选3项")
    note.wait_for(timeout=10000)
    box, area = note.bounding_box(), question.bounding_box()
    assert area["y"] <= box["y"] and box["y"] + box["height"] <= area["y"] + area["height"]
    expect(note).to_be_in_viewport(ratio=0.95)  # seen where she taps, once scrolled there
    assert page.locator(".jf-assess-submit ~ * .jf-assess-msg").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "assess-phone-three-choices.png"))


def test_after_the_close_a_reload_shows_ones_own_result(page, public_server, assess_db):
    page.set_viewport_size(PHONE)
    page.goto(public_server.url("?s=shut1"), wait_until="commit")
    page.wait_for_selector(READY, state="visible", timeout=60000)
    answer_all(page)
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_text("已提交，感谢参与").wait_for(timeout=15000)
    shown = page.locator(".jf-assess-index-value").inner_text()
    store = AssessStore(assess_db)
    store.set_open("shut1", False)  # the facilitator clicks 结束收集
    store.engine.dispose()
    page.reload(wait_until="commit")
    page.get_by_text("本场自评已结束收集").wait_for(timeout=60000)
    assert page.locator(".jf-assess-index-value").inner_text() == shown
    assert page.get_by_role("button", name="修改答案").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "assess-phone-closed-result.png"), full_page=True)
