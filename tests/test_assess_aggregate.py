"""Dashboard aggregates, the minimum group size, exports and the hand-off to speech drafts."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from jianfu.assess.aggregate import MIN_GROUP, Filters, breakdown, select, summarise
from jianfu.assess.handoff import findings_for_draft
from jianfu.assess.questionnaire import load_questionnaire
from jianfu.assess.schema import SHOWN
from jianfu.assess.spreadsheets import answer_rows, export_answers, export_summary, summary_rows
from jianfu.assess.store import AssessStore, Response


@pytest.fixture(scope="module")
def quick():
    return load_questionnaire("quick")


def response(
    n, value=2, *, round_=1, unit=None, role="基层", submitted=True, comment_state=SHOWN, **answers
):
    base = {f"q0{k}": value for k in range(1, 10)} | {"g01": 4, "overall": 6}
    day = date(2025, 3, 1)
    return Response(f"sid{n}", round_, unit, role, day, submitted, comment_state, base | answers)


def room(count, **kwargs):
    return [response(n, **kwargs) for n in range(count)]


@pytest.mark.parametrize(
    ("people", "suppressed"), [(0, True), (1, True), (MIN_GROUP - 1, True), (MIN_GROUP, False)]
)
def test_fewer_than_five_show_only_the_count(quick, people, suppressed):
    s = summarise(quick, room(people))
    assert s.n == people and s.suppressed is suppressed
    if suppressed:
        assert s.index is None and s.dimensions == () and s.comments == () and s.problems == ()
    else:
        assert s.index == pytest.approx(75)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        # 6 基层 shown, 3 机关 counted only
        ("role", [("基层", 6, False), ("机关", 3, True)]),
        ("unit", [("甲镇", 5, False), ("乙镇", 4, True)]),
        ("round", [("第1轮", 9, False)]),
    ],
)
def test_breakdowns_hide_small_groups(quick, by, expected):
    people = [
        response(n, role="基层" if n < 6 else "机关", unit="甲镇" if n < 5 else "乙镇")
        for n in range(9)
    ]
    rows = breakdown(quick, people, by)
    assert [(r.group, r.n, r.suppressed) for r in rows] == expected
    for row in rows:
        assert (row.index is None) == row.suppressed
        assert (row.dimensions == {}) == row.suppressed


def test_filters_and_drafts(quick):
    people = room(6) + [response(9, submitted=False)] + room(2, round_=2)
    assert len(select(people, Filters())) == 8
    assert len(select(people, Filters(round=1))) == 6
    assert len(select(people, Filters(round=1, role="机关"))) == 0


def test_summary_figures(quick):
    people = [
        response(0, 1, q02=5, problems=["inspections"], comment="<b>会多</b>"),
        response(1, 1, q02=5, problems=["inspections", "meetings_docs"]),
        response(2, 1, q02=4, q03=0, problems=["meetings_docs", "inspections"]),
        response(3, 1, q02=4, overall=0),
        response(4, 1, q02=0, overall=10, g01=0),
    ]
    s = summarise(quick, people)
    meetings = next(d for d in s.dimensions if d.name == "会议")
    assert meetings.mean == pytest.approx((0 + 0 + 25 + 25) / 4) and meetings.n == 4
    assert s.weakest[0].name == "会议"
    q02 = next(i for i in s.items if i.id == "q02")
    assert q02.counts == (0, 0, 0, 2, 2) and q02.unknown == 1 and q02.mean == 4.5
    assert s.problems == (("督检考过多过频", 3), ("文山会海反弹回潮", 2))
    assert s.overall == pytest.approx((6 * 3 + 0 + 10) / 5)
    assert s.gain == 75.0
    assert s.overall_counts[0] == 1 and s.overall_counts[6] == 3
    assert [c.text for c in s.comments] == ["<b>会多</b>"]
    assert sum(s.index_levels.values()) == 5


def test_exports_neutralise_formulas_and_keep_small_groups_out(quick, tmp_path):
    from jianfu.assess.store import Session

    session = Session("abc", "测试", "quick", "", True, 1, True, (), False, False, date.today())
    people = room(5, comment='=HYPERLINK("http://x")') + [response(9, role="机关", unit="甲镇")]
    rows = summary_rows(quick, session, people, Filters())
    assert ["按岗位类别", "机关", f"不足{MIN_GROUP}人，不单独列出", "", "", 1] in rows
    assert not [r for r in rows if r[1] == "机关" and r[2] == "减负指数"]
    data = export_summary(quick, session, people, Filters(), "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    header, answers = answer_rows(quick, people, Filters())
    assert len(answers) == 6
    # labelling the 5 基层 would single out the one 机关 row: no row is labelled
    assert [r[header.index("岗位类别")] for r in answers] == [""] * 6
    csv_rows = list(
        csv.reader(io.StringIO(export_answers(quick, people, Filters(), "csv").decode("utf-8-sig")))
    )
    assert csv_rows[1][header.index(quick.comment.text)].startswith("'=HYPERLINK")
    # a filtered view of fewer than five: counts only
    small = summary_rows(quick, session, people, Filters(role="机关"))
    assert [r[0] for r in small] == ["场次", "说明"]
    _, none = answer_rows(quick, people[:3], Filters())
    assert none == []


def test_findings_for_draft(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = AssessStore(url)
    assert findings_for_draft(url) == []
    store.create_session("abc", "三月学习研讨", organiser="示例县委办")
    for n in range(4):
        sid = store.draft("abc", f"token-number-{n:08d}").submission_id
        store.save(
            "abc",
            1,
            sid,
            {f"q0{k}": 2 for k in range(1, 10)} | {"q02": 5, "problems": ["inspections"]},
            submit=True,
        )
    assert findings_for_draft(url) == []  # four people: nothing to quote
    sid = store.draft("abc", "token-number-00000009").submission_id
    store.save(
        "abc", 1, sid, {f"q0{k}": 2 for k in range(1, 10)} | {"q02": 5, "overall": 8}, submit=True
    )
    found = findings_for_draft(url)
    # one or two sentences with the sample size, tied to the area they support
    assert [f.category for f in found] == ["会议", "会议"]
    # only the lowest score is 最重 (was “会议、文件方面负担最重（分别为0分、75分”)
    assert found[0].text.startswith("本单位5名干部匿名自评显示，会议方面负担最重、文件方面次之")
    assert "（分别为0分、75分，满分100分，分数越高负担越轻）" in found[0].text
    assert found[0].topic == "会议方面负担很重"
    assert found[1].text == "参与者认为最突出的问题是督检考过多过频（4人次）"
    assert "第1轮：5人提交" in found[0].basis
    assert findings_for_draft(url, unit="示例县委办")[0] == found[0]
    assert findings_for_draft(url, unit="别的单位") == []
    # a second round where every area is light: nothing left to support a problem
    store.new_round("abc")
    for n in range(5):
        sid = store.draft("abc", f"token-number-{n:08d}").submission_id
        store.save("abc", 2, sid, {f"q0{k}": 1 for k in range(1, 10)}, submit=True)
    assert findings_for_draft(url) == []


# ---- questionnaire changes keep the votes (issue 17, item 18) --------------------------------


def _own_form(tmp_path, options, name="own.yaml"):
    import yaml

    from jianfu.assess.questionnaire import QUESTIONNAIRES

    data = yaml.safe_load((QUESTIONNAIRES / "quick.yaml").read_text(encoding="utf-8"))
    data["problems"]["options"] = [{"id": i, "text": t} for i, t in options]
    data["problems"]["max_choices"] = 2
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _vote(store, code, n, chosen, **answers):
    sid = store.draft(code, f"token-of-voter-{n:04d}").submission_id
    base = {f"q0{k}": 2 for k in range(1, 10)} | {"g01": 4, "overall": 6}
    store.save(code, 1, sid, base | answers | {"problems": chosen}, submit=True)


def test_renaming_an_option_keeps_its_votes_and_a_removed_one_is_reported(tmp_path):
    path = _own_form(
        tmp_path, [("meetings", "文山会海"), ("checks", "督检考过多"), ("old", "旧选项")]
    )
    store = AssessStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.create_session("abc", "测试", form=str(path))
    for n in range(5):
        _vote(store, "abc", n, ["meetings", "old"] if n < 3 else ["checks"])
    # the organiser rewords one option and deletes another
    _own_form(tmp_path, [("meetings", "文山会海反弹回潮"), ("checks", "督检考过多")])
    path.touch()
    form = load_questionnaire(path)
    s = summarise(form, store.responses("abc"))
    assert s.problems == (("文山会海反弹回潮", 3), ("督检考过多", 2))
    assert [(m.question, m.answer, m.count) for m in s.mismatches] == [("最突出的问题", "old", 3)]
    assert "未计入" in str(s.mismatches[0])
    store.engine.dispose()


def test_answers_to_a_removed_item_are_reported(quick):
    people = room(5, q99=4) + room(1, q98=2)
    s = summarise(quick, people)
    assert [(m.question, m.count) for m in s.mismatches] == [("q99", 5), ("q98", 1)]


def test_breakdowns_are_keyed_by_dimension_not_by_name(quick):
    rows = breakdown(quick, room(5), "role")
    assert set(rows[0].dimensions) == {d.key for d in quick.dimensions}
