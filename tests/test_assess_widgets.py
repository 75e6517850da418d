"""The 自评 pages without a browser: widgets driven from Python, as a person would."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jianfu.assess.store import AssessStore
from widgets.assess import ParticipantPage, cookie_token, session_code
from widgets.dashboard import DashboardApp, participant_link

TOKEN = "a-participant-token-0001"


@pytest.fixture
def assess_store(tmp_path):
    store = AssessStore(f"sqlite:///{tmp_path / 'assess.sqlite'}")
    store.create_session("live1", "现场自评", units=["甲镇", "乙镇"])
    yield store
    store.engine.dispose()


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
    page._submit.click()
    assert not page.submitted
    assert "还有10道必答题没有作答" in page._status.value
    answer_all(page)
    page.question("q02").value = 5
    page._submit.click()
    page._submit.click()  # a double click stores nothing twice
    assert page.submitted
    assert "减负指数" in page._result.value and "会议" in page._result.value
    (stored,) = assess_store.responses("live1")
    assert stored.answers["q02"] == 5 and stored.answers["overall"] == 6
    # back to the form and change an answer: still one submission
    page._edit.click()
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
    assert "已结束" in page._status.value


def test_user_text_is_escaped_on_the_participant_page(assess_store):
    assess_store.create_session("xss", "<b>标题</b>")
    page = ParticipantPage(assess_store, "xss", TOKEN)
    assert "<b>标题</b>" not in page.children[0].children[0].value
    assert "&lt;b&gt;" in page.children[0].children[0].value


def test_participant_page_imports_neither_pandas_nor_altair():
    code = (
        "import sys; import widgets.assess, jianfu.assess.scoring, jianfu.assess.store\n"
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
    assert "http://192.0.2.10:8870/?s=live1" in app._link.value and "<svg" in app._link.value
    for n in range(4):
        submit(assess_store, "live1", n, comment="<script>alert(1)</script>")
    assert app.refresh() is True and app.refresh() is False  # nothing new: no redraw
    assert app.summary.n == 4 and app.summary.suppressed
    assert "满5份后显示结果" in app._results.value
    submit(assess_store, "live1", 4, q02=5)
    assert app.refresh()
    assert app.summary.n == 5 and not app.summary.suppressed
    assert "<script>" not in app._results.value and "&lt;script&gt;" in app._results.value
    assert app.summary.weakest[0].name == "会议"
    assert "本单位自评显示，共有5人" in app._findings.value


def test_dashboard_session_controls(assess_store):
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    app._title.value = "第二场"
    app._code.value = "second"
    app._create.click()
    assert app.session.code == "second" and "已创建场次" in app._status.value
    app._open.click()
    assert not app.session.is_open and app._open.description == "重新开放"
    app._round.click()
    assert app.session.round == 2 and app.session.is_open and app._f_round.value == 2
    app._hide.click()
    assert app.session.results_hidden and "结果已隐藏" in app._results.value
    app._draft.click()
    assert app.session.for_draft
    app._projector.value = True
    assert "jf-dash-projector" in app._dom_classes
    app._title.value = "重复"
    app._code.value = "second"
    app._create.click()
    assert "已被使用" in app._status.value


def test_dashboard_filters_hide_groups_under_five(assess_store):
    for n in range(6):
        submit(assess_store, "live1", n)
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    assert app.summary.n == 6
    app._f_role.value = "机关"
    assert app.summary.n == 0 and app.summary.suppressed
    app._f_role.value = "基层"
    assert app.summary.n == 6 and not app.summary.suppressed


def test_dashboard_export_and_comment_hiding(assess_store):
    for n in range(5):
        submit(assess_store, "live1", n, comment=f"=CMD{n}")
    app = DashboardApp(assess_store, public_url="http://192.0.2.10:8870/")
    app._comments.value = app._comments.options[0][1]
    app._hide_comment.click()
    assert app.summary.comments[0].hidden and "=CMD0" not in app._results.value
    app._export_fmt.value = "csv"
    app._export.click()
    (link,) = app._download.children
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
    assert "最多选3项" not in page._status.value  # not down by the 提交 button


def test_a_participant_who_reloads_after_the_close_sees_their_result_read_only(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    answer_all(page)
    page._submit.click()
    assert page.submitted
    assess_store.set_open("live1", False)
    again = ParticipantPage(assess_store, "live1", TOKEN)  # a reload after 结束收集
    assert again.submitted and again.read_only
    assert "减负指数" in again._result.value and "已结束收集" in again._result.value
    assert again._edit not in again._result_box.children  # nothing left to change
    # someone who never submitted gets the message, not an empty form
    other = ParticipantPage(assess_store, "live1", "another-token-000000001")
    assert "已结束" in other.children[0].value and other.submission_id is None


def test_one_unscored_option_and_it_says_so(assess_store):
    page = ParticipantPage(assess_store, "live1", TOKEN)
    labels = [label for label, _ in page.question("q01").options]
    assert labels[-1] == "不清楚（不计分）"
    assert not {"说不准", "不好说", "不确定"} & set(labels)
