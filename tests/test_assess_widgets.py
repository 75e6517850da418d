"""The 自评 pages without a browser: widgets driven from Python, as a person would."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import pytest

from jianfu.assess.links import participant_link, session_code
from jianfu.assess.store import AssessStore
from jianfu_widgets.assess import ParticipantPage, cookie_token
from jianfu_widgets.dashboard import DashboardApp

TOKEN = "a-participant-token-0001"


@pytest.fixture
def assess_store(tmp_path):
    store = AssessStore(f"sqlite:///{tmp_path / 'assess.sqlite'}")
    store.create_session("live1", "现场自评", units=["甲镇", "乙镇"])
    yield store
    store.engine.dispose()


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def answer_all(page: ParticipantPage, value: int = 2) -> None:
    for n in range(1, 10):
        page.question(f"q0{n}").value = value
    page.question("g01").value = 4
    page.question("overall").value = 6


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("s=live1", "live1"),
        ("code=ab-12&x=1", "ab-12"),
        ("session=%20xyz", "xyz"),
        ("", ""),
        ("t=1", ""),
    ],
)
def test_session_code_from_the_query_string(query, code):
    assert session_code(query) == code


@pytest.mark.parametrize(
    ("header", "token"),
    [
        (f"_xsrf=abc; jianfu_participant={TOKEN}", TOKEN),
        ("_xsrf=abc", None),
        ("", None),
        ('bad"cookie', None),
    ],
)
def test_token_from_the_cookie(header, token):
    assert cookie_token(header) == token


def test_answers_are_saved_as_given_and_come_back(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    page.question("q01").value = 4
    page.question("q02").value = 0  # 不清楚
    page.question("unit").value = "乙镇"
    page.question("comment").value = "少开会"
    again = ParticipantPage(assess_store, "LIVE1", TOKEN)  # a reload
    assert again.answers == {"q01": 4, "q02": 0, "comment": "少开会"}
    assert again.question("q01").value == 4 and again.question("unit").value == "乙镇"
    assert not again.submitted


def test_submit_needs_the_required_items_then_shows_the_result(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    page.question("q01").value = 5
    page.click("submit")
    assert not page.submitted
    assert "还有10道必答题没有作答" in page.output("status")
    answer_all(page)
    page.question("q02").value = 5
    page.click("submit")
    page.click("submit")  # a double click stores nothing twice
    assert page.submitted
    assert "减负指数" in page.output("result") and "会议" in page.output("result")
    (stored,) = assess_store.responses("live1")
    assert stored.answers["q02"] == 5 and stored.answers["overall"] == 6
    # back to the form and change an answer: still one submission
    page.click("edit")
    page.question("q02").value = 1
    assert [r.answers["q02"] for r in assess_store.responses("live1")] == [1]
    # a reload after submitting opens on the result
    assert ParticipantPage(assess_store, "live1", TOKEN).submitted


def test_at_most_three_problems(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    buttons = page.question("problems").children[1].children
    for button in buttons[:4]:
        button.value = True
    assert [b.value for b in buttons[:4]] == [True, True, True, False]
    assert "最多选3项" in page.question("problems").children[-1].value
    assert assess_store.draft("live1", TOKEN).answers["problems"] == [
        "meetings_docs",
        "inspections",
        "traces",
    ]


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "链接中缺少场次代码"), ("nosuch", "没有找到场次“nosuch”"), ("closed", "已结束")],
)
def test_unknown_or_closed_codes_get_a_clear_message(assess_store, code, message):
    assess_store.create_session("closed", "上周的场次")
    assess_store.set_open("closed", False)
    page = ParticipantPage(assess_store, code, TOKEN)
    assert message in page.children[0].value
    assert page.submission_id is None


def test_closing_while_answering_is_shown(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    assess_store.set_open("live1", False)
    page.question("q01").value = 3
    assert "已结束" in page.output("status")


def test_user_text_is_escaped_on_the_participant_page(assess_store):
    assess_store.create_session("xss", "<b>标题</b>")
    page = ParticipantPage(assess_store, "xss", TOKEN)
    assert "<b>标题</b>" not in page.children[0].children[0].value
    assert "&lt;b&gt;" in page.children[0].children[0].value


@pytest.mark.slow  # 0.7 s
def test_participant_page_imports_neither_pandas_nor_altair():
    code = (
        "import sys; import jianfu_widgets.assess, jianfu.assess.scoring, jianfu.assess.store\n"
        "print(sorted(m for m in ('pandas', 'altair', 'numpy', 'openpyxl', 'jianfu.store') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def submit(store, code, n, value=2, **extra):
    sid = store.draft(code, f"token-for-person-{n:04d}").submission_id
    answers = {f"q0{k}": value for k in range(1, 10)} | {"g01": 3, "overall": 5} | extra
    store.save(code, store.session(code).round, sid, answers, fields={"role": "基层"}, submit=True)


def test_dashboard_counts_then_shows_results_from_five(assess_store):
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870")
    assert app.session.code == "live1"
    assert "http://192.0.2.10:8870/?s=live1" in text_of(app.output("link"))
    assert "<svg" in app.output("link")
    for n in range(4):
        submit(assess_store, "live1", n, comment="<script>alert(1)</script>")
    assert app.refresh() is True and app.refresh() is False  # nothing new: no redraw
    assert app.summary.n == 4 and app.summary.suppressed
    assert "满5份后显示结果" in app.output("results")
    submit(assess_store, "live1", 4, q02=5)
    assert app.refresh()
    assert app.summary.n == 5 and not app.summary.suppressed
    assert "&lt;script&gt;" not in app.output("results")  # comments wait for release
    app.moderation.release_all.click()
    assert "<script>" not in app.output("results") and "&lt;script&gt;" in app.output("results")
    assert app.summary.weakest[0].name == "会议"
    assert "本单位自评显示，共有5人" in app.output("findings")


def test_the_live_dashboard_sends_its_figures_again_when_quiet(assess_store, monkeypatch):
    """A count the browser dropped while the page was opening (a submission in that second)
    must not stay wrong until the next one: quiet refreshes send the figures again."""
    import ipywidgets as w

    import jianfu_widgets.dashboard as dashboard

    monkeypatch.setattr(dashboard, "REFRESH_SECONDS", 0.01)
    monkeypatch.setattr(dashboard, "RESEND_EVERY", 3)
    sent, resent = [], threading.Event()

    def send_state(widget, key=None):
        sent.append(getattr(widget, "value", None))
        if "满5份后显示结果" in str(sent[-1]):
            resent.set()

    submit(assess_store, "live1", 0)
    app = DashboardApp(assess_store, auto_refresh=True)
    monkeypatch.setattr(w.Widget, "send_state", send_state)  # from here on: nothing changes
    try:
        assert resent.wait(10), "the results were not sent again"
    finally:
        app.stop()
    assert app.output("count") in sent


def test_dashboard_session_controls(assess_store):
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    app.choose(title="第二场")
    app.choose(code="second")
    app.click("create")
    assert app.session.code == "second" and "已创建场次" in app.status_html
    app.click("open")
    assert not app.session.is_open and app.button_label("open") == "重新开放"
    app.click("round")
    assert app.session.round == 2 and app.session.is_open and app.chosen("f_round") == 2
    app.click("hide")
    assert app.session.results_hidden and "结果已隐藏" in app.output("results")
    app.click("draft")
    assert app.session.for_draft
    app.choose(projector=True)
    assert "jf-dash-projector" in app.css_classes
    app.choose(title="重复")
    app.choose(code="second")
    app.click("create")
    assert "已被使用" in app.status_html


def test_dashboard_filters_hide_groups_under_five(assess_store):
    for n in range(6):
        submit(assess_store, "live1", n)
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    assert app.summary.n == 6
    app.choose(f_role="机关")
    assert app.summary.n == 0 and app.summary.suppressed
    app.choose(f_role="基层")
    assert app.summary.n == 6 and not app.summary.suppressed


def test_dashboard_export_and_comment_hiding(assess_store):
    for n in range(5):
        submit(assess_store, "live1", n, comment=f"=CMD{n}")
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    app.moderation.release_all.click()
    app.moderation.choose([app.summary.comments[0].submission_id])
    app.moderation.hold_back.click()
    assert not app.summary.comments[0].shown and "=CMD0" not in app.output("results")
    assert "=CMD1" in app.output("results")
    app.choose(export_fmt="csv")
    app.click("export")
    (link,) = app.downloads
    assert 'download="自评汇总_live1.csv"' in link.value


@pytest.mark.parametrize(
    ("base", "link"),
    [("http://10.1.2.3:8870", "http://10.1.2.3:8870/?s=abc"), ("http://h/", "http://h/?s=abc")],
)
def test_participant_link(base, link):
    assert participant_link(base, "abc") == link


# ---- the room, as seen on a phone (issue 17, item 19) ------------------------------------------


def test_the_three_choices_warning_stands_at_the_question(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    box = page.question("problems")
    for button in box.children[1].children[:4]:
        button.value = True
    note = box.children[-1]
    assert "最多选3项" in note.value and 'role="status"' in note.value
    assert "最多选3项" not in page.output("status")  # not down by the 提交 button


def test_a_participant_who_reloads_after_the_close_sees_their_result_read_only(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    answer_all(page)
    page.click("submit")
    assert page.submitted
    assess_store.set_open("live1", False)
    again = ParticipantPage(assess_store, "live1", TOKEN)  # a reload after 结束收集
    assert again.submitted and again.read_only
    assert "减负指数" in again.output("result") and "已结束收集" in again.output("result")
    assert again.shown("result") and not again.shown("edit")  # nothing left to change
    # someone who never submitted gets the message, not an empty form
    other = ParticipantPage(assess_store, "live1", "another-token-000000001")
    assert "已结束" in other.children[0].value and other.submission_id is None


def test_one_unscored_option_and_it_says_so(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    labels = [label for label, _ in page.question("q01").options]
    assert labels[-1] == "不清楚（不计分）"
    assert not {"说不准", "不好说", "不确定"} & set(labels)


# ---- the dashboard: moderation, privacy, the address, the projector (issue 17) ------------------


def released_on_screen(app) -> str:
    return app.output("results") + app.output("projector_html")


def test_comments_reach_the_projector_only_once_released(assess_store):
    for n in range(5):
        submit(assess_store, "live1", n, comment=f"我是某某科科长，意见{n}")
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    app.choose(projector=True)
    assert "某某科" not in released_on_screen(app)
    pending = app.moderation.pending
    assert len(pending) == 5 and "待审5条" in app.moderation.title
    app.moderation.choose([pending[0].submission_id])
    app.moderation.release_chosen.click()
    assert released_on_screen(app).count("某某科") == 2  # one comment, page and projector
    app.moderation.release_all.click()  # bulk release
    assert "意见4" in app.output("projector_html") and app.moderation.pending == ()
    app.moderation.choose([pending[1].submission_id])
    app.moderation.hold_back.click()
    assert "意见1" not in released_on_screen(app)
    # a participant who edits a released comment sends it back for review
    submit(assess_store, "live1", 2, comment="改过的意见")
    app.refresh()
    assert "改过的意见" not in released_on_screen(app)
    assert [c.text for c in app.moderation.pending] == ["改过的意见"]


def test_the_issue_room_withholds_the_group_that_gives_away_four(assess_store):
    for n in range(11):
        sid = assess_store.draft("live1", f"token-for-person-{n:04d}").submission_id
        answers = {f"q0{k}": 2 for k in range(1, 10)} | {"g01": 3, "overall": 5}
        role = "基层" if n < 7 else "机关"
        assess_store.save("live1", 1, sid, answers, fields={"role": role}, submit=True)
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    assert not app.summary.suppressed  # the room of 11 shows
    table = app.output("results").split("按岗位类别")[1]
    assert "与其他分组相减可推算出" in table and "不足5人" in table
    app.choose(f_role="基层")
    assert app.summary.suppressed and "相减" in app.output("results")


def test_the_participant_address_is_the_one_of_this_databases_server(tmp_path, monkeypatch):
    from jianfu.server import public

    monkeypatch.setenv("JIANFU_DATA_DIR", str(tmp_path))  # one data folder, two databases
    monkeypatch.delenv("JIANFU_PUBLIC_URL", raising=False)
    monkeypatch.setattr(public, "lan_address", lambda: "203.0.113.9")
    urls = {}
    for name, url in (("a", "http://198.51.100.1:8870/"), ("b", "http://198.51.100.2:8871/")):
        urls[name] = f"sqlite:///{tmp_path / f'{name}.sqlite'}"
        AssessStore(urls[name]).create_session("live1", "现场自评")
        public.write_state(url, urls[name])  # a public server started on that database
    for name, host in (("a", "198.51.100.1:8870"), ("b", "198.51.100.2:8871")):
        app = DashboardApp(AssessStore(urls[name]))
        assert f"http://{host}/?s=live1" in text_of(app.output("link"))
        assert f"二维码指向 http://{host}/" in app.output("source")
        assert "使用本数据库的自评服务" in app.output("source")
    # the server stopped: nothing recorded for this database any more, and the page says so
    public.clear_state("http://198.51.100.1:8870/", urls["a"])
    app = DashboardApp(AssessStore(urls["a"]))
    assert "http://203.0.113.9:8870/?s=live1" in text_of(app.output("link"))
    assert "未找到使用本数据库的自评服务" in app.output("source")


def test_the_public_server_records_its_address_while_it_runs(tmp_path, monkeypatch):
    from jianfu.server import public
    from jianfu.server import voila as private

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    seen = []

    class Process:  # serves until the facilitator presses Ctrl+C
        def wait(self):
            seen.append(public.read_state(url))
            raise KeyboardInterrupt

        def poll(self):
            return 0

    monkeypatch.setattr(public.subprocess, "Popen", lambda *a, **k: Process())
    monkeypatch.setattr(private, "wait_until_ready", lambda *a, **k: True)
    monkeypatch.setattr(public, "lan_address", lambda: "192.0.2.9")
    assert public.run(port=8899, db_url=url) == 0
    assert seen == ["http://192.0.2.9:8899/"]
    assert public.read_state(url) is None  # forgotten once it stopped


def test_the_projector_view_is_the_room_screen_alone(assess_store):
    for n in range(5):
        submit(assess_store, "live1", n, problems=["inspections"])
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    app.click("open")
    app.click("open")  # closed and reopened: a message stays on the status line
    assert "已重新开放" in app.status_text and app.session.is_open
    assert app.shown("status") and app.shown("title_bar")
    app.choose(projector=True)
    assert not app.shown("status") and not app.shown("title_bar")  # no nav, title, old message
    html = app.output("projector_html")
    assert "<svg" in html and 'class="jf-proj-count-n">5<' in html
    assert "减负指数" in html and "督检考过多过频" in html
    # the address breaks only before the session code, never inside it
    assert '<span class="jf-proj-code">?s=live1</span>' in html
    app.choose(projector=False)
    assert app.shown("title_bar") and app.shown("status")


def test_a_form_edited_mid_session_does_not_block_submitting(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    page.question("problems").children[1].children[0].value = True
    with assess_store.engine.begin() as conn:  # as if the option and an item were removed since
        conn.exec_driver_sql(
            "UPDATE assess_answers SET text = 'removed_option' WHERE item = 'problems'"
        )
        sid = conn.exec_driver_sql("SELECT id FROM assess_submissions").scalar()
        conn.exec_driver_sql(
            f"INSERT INTO assess_answers (submission, item, value) VALUES ({sid}, 'q99', 3)"
        )
    again = ParticipantPage(assess_store, "live1", TOKEN)
    answer_all(again)
    again.click("submit")
    assert again.submitted
    (stored,) = assess_store.responses("live1")
    # kept, for the dashboard to report
    assert stored.answers["q99"] == 3 and stored.answers["problems"] == ["removed_option"]


@pytest.mark.parametrize(
    ("submitted", "role", "said"),
    [
        (3, None, "已交给发言稿；目前提交不足5人，发言稿中暂不会出现自评结果。"),
        # the dashboard's filter shows nobody, yet the draft cites the whole room of 6
        (6, "机关", "已把“现场自评”的自评结果交给发言稿起草。"),
    ],
)
def test_handing_over_says_what_the_draft_will_cite(assess_store, submitted, role, said):
    for n in range(submitted):
        submit(assess_store, "live1", n)
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    if role:
        app.choose(f_role=role)
    app.click("draft")
    assert app.message == said
