"""The 自评汇总 facilitator dashboard: sessions, link and QR code, live results, export, hand-off.

Everything shown comes from jianfu.assess (aggregate, export, handoff); this
module only wires controls. The results refresh by themselves every few
seconds (a background thread that re-reads only when the submissions changed,
so an idle dashboard sends nothing and its kernel can still be culled).
"""

from __future__ import annotations

import os
import threading

import ipywidgets as w

from jianfu.assess.aggregate import (
    MIN_GROUP,
    Filters,
    Summary,
    breakdown,
    round_comparison,
    select,
    summarise,
)
from jianfu.assess.handoff import sentences
from jianfu.assess.questionnaire import Questionnaire, builtin_forms, load_questionnaire
from jianfu.assess.store import AssessStore, Response, Session, new_code
from jianfu.numfmt import fmt_number

from .assess_html import esc, heat_map, level_class, qr_svg, score_bars
from .common import download_link, title_bar, wait_for_visitor
from .status import StatusLine

REFRESH_SECONDS = 3.0
ALL = "全部"
PUBLIC_URL_ENV = "JIANFU_PUBLIC_URL"
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def default_public_url() -> str:
    """Where participants go: $JIANFU_PUBLIC_URL, the running public server, or a guess."""
    from jianfu.server import public

    return (
        os.environ.get(PUBLIC_URL_ENV)
        or public.read_state()
        or public.participant_url(public.DEFAULT_HOST, public.DEFAULT_PORT)
    )


def participant_link(base: str, code: str) -> str:
    base = (base or "").strip()
    if not base.endswith("/"):
        base += "/"
    return f"{base}?s={code}"


class DashboardApp(w.VBox):
    """Create, open and close sessions; watch results arrive; export and hand off."""

    def __init__(
        self, store: AssessStore, public_url: str | None = None, auto_refresh: bool = False
    ):
        self._store = store
        self._lock = threading.RLock()
        self._marker = None
        self._stop = threading.Event()
        self._status = StatusLine()
        # sessions
        self._session = w.Dropdown(description="场次", layout=w.Layout(width="520px"))
        self._title = w.Text(description="名称", placeholder="如：3月学习研讨现场自评")
        self._code = w.Text(description="代码", value=new_code())
        self._form = w.Dropdown(
            description="问卷", options=[(t, k) for k, t in builtin_forms().items()]
        )
        self._organiser = w.Text(description="本单位", placeholder="选填，用于发言稿")
        self._ask_role = w.Checkbox(value=True, description="询问岗位类别（机关/基层）")
        self._units = w.Textarea(
            description="单位", placeholder="选填：每行一个单位，参加者从中选择"
        )
        self._create = w.Button(description="创建场次", button_style="primary")
        # session controls
        self._open = w.Button(description="结束收集")
        self._round = w.Button(description="开始新一轮")
        self._hide = w.Button(description="隐藏结果")
        self._draft = w.Button(description="交给发言稿")
        self._projector = w.ToggleButton(description="投屏模式", icon="")
        self._public = w.Text(
            description="参加地址",
            value=public_url or default_public_url(),
            layout=w.Layout(width="520px"),
        )
        self._link = w.HTML()
        # filters, results, comments, export, hand-off
        self._f_round = w.Dropdown(description="轮次")
        self._f_unit = w.Dropdown(description="单位")
        self._f_role = w.Dropdown(description="岗位类别")
        self._count = w.HTML()
        self._results = w.HTML(layout=w.Layout(width="auto"))
        self._comments = w.Select(rows=6, layout=w.Layout(width="100%"))
        self._hide_comment = w.Button(description="隐藏所选意见")
        self._show_comment = w.Button(description="恢复所选意见")
        self._export_kind = w.Dropdown(
            options=[("汇总表", "summary"), ("答卷明细", "answers")], description="导出"
        )
        self._export_fmt = w.Dropdown(options=[("Excel (.xlsx)", "xlsx"), ("CSV (.csv)", "csv")])
        self._export = w.Button(description="生成文件")
        self._download = w.HBox()
        self._findings = w.Textarea(layout=w.Layout(width="100%", height="160px"))

        self._session.observe(self._on_session_change, names="value")
        for box in (self._f_round, self._f_unit, self._f_role):
            box.observe(self._on_filter_change, names="value")
        self._public.observe(self._on_public_change, names="value")
        self._projector.observe(self._on_projector_change, names="value")
        self._create.on_click(self._on_create_click)
        self._open.on_click(self._on_open_click)
        self._round.on_click(self._on_round_click)
        self._hide.on_click(self._on_hide_click)
        self._draft.on_click(self._on_draft_click)
        self._hide_comment.on_click(lambda _b: self._on_comment_click(True))
        self._show_comment.on_click(lambda _b: self._on_comment_click(False))
        self._export.on_click(self._on_export_click)

        creator = w.Accordion(
            children=[
                w.VBox(
                    [
                        self._title,
                        self._code,
                        self._form,
                        self._organiser,
                        self._ask_role,
                        self._units,
                        self._create,
                    ]
                )
            ],
            titles=("新建自评场次",),
        )
        creator.selected_index = None
        controls = w.VBox(
            [
                self._session,
                creator,
                w.HBox([self._open, self._round, self._draft]),
                self._public,
                w.HBox([self._f_round, self._f_unit, self._f_role]),
            ]
        )
        controls.add_class("jf-dash-controls")
        extras = w.VBox(
            [
                w.HTML("<h3>意见建议</h3><p>隐藏的意见不在页面和导出文件中出现。</p>"),
                self._comments,
                w.HBox([self._hide_comment, self._show_comment]),
                w.HTML("<h3>导出与发言稿</h3>"),
                w.HBox([self._export_kind, self._export_fmt, self._export]),
                self._download,
                w.HTML("<p>“交给发言稿”后，“发言稿起草”可直接插入下面这些句子：</p>"),
                self._findings,
            ]
        )
        extras.add_class("jf-dash-controls")
        super().__init__(
            [
                title_bar("自评汇总", "现场自评的实时结果：扫码参加，结果自动刷新"),
                w.HBox([self._projector, self._hide]),  # stays visible on the projector
                controls,
                self._status,
                w.HBox([self._link, self._count], layout=w.Layout(width="100%")),
                self._results,
                extras,
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("jf-dash")
        self._load_sessions()
        if auto_refresh:
            threading.Thread(
                target=self._refresh_loop, daemon=True, name="jianfu-dashboard"
            ).start()

    @classmethod
    def from_default_store(cls) -> DashboardApp:
        """Built before anyone waits in a preheated kernel, read again when the visitor comes."""
        app = cls(AssessStore(), auto_refresh=True)
        if wait_for_visitor("dashboard"):
            app.reload()
        return app

    def reload(self) -> None:
        """Show the sessions and the participants' address as they are now."""
        self._public.value = default_public_url()
        self._load_sessions()

    # ---- public, for tests -------------------------------------------------
    @property
    def session(self) -> Session | None:
        code = self._session.value
        return self._store.find_session(code) if code else None

    @property
    def summary(self) -> Summary | None:
        return getattr(self, "_summary", None)

    def refresh(self, force: bool = False) -> bool:
        """Re-read the session if its submissions changed; True when the view was redrawn."""
        with self._lock:
            code = self._session.value
            if not code:
                return False
            marker = self._store.change_marker(code)
            if not force and marker == self._marker:
                return False
            self._marker = marker
            self._render()
            return True

    def stop(self) -> None:
        self._stop.set()

    # ---- handlers -------------------------------------------------------------
    def _on_session_change(self, _change) -> None:
        with self._status.guard():
            self._marker = None
            self._fill_filters()
            self.refresh(force=True)

    def _on_filter_change(self, _change) -> None:
        with self._status.guard():
            self.refresh(force=True)

    def _on_public_change(self, _change) -> None:
        with self._status.guard():
            self._show_link()

    def _on_projector_change(self, change) -> None:
        if change["new"]:
            self.add_class("jf-dash-projector")
        else:
            self.remove_class("jf-dash-projector")
        with self._status.guard():
            self._render()

    def _on_create_click(self, _button) -> None:
        with self._status.guard():
            units = [u for u in self._units.value.splitlines() if u.strip()]
            session = self._store.create_session(
                self._code.value,
                self._title.value,
                self._form.value,
                organiser=self._organiser.value,
                ask_role=self._ask_role.value,
                units=units,
            )
            self._title.value = ""
            self._code.value = new_code()
            self._load_sessions(select_code=session.code)
            self._status.ok(
                f"已创建场次“{session.title}”，代码 {session.code}。请把链接或二维码发给参加者。"
            )

    def _on_open_click(self, _button) -> None:
        with self._status.guard():
            session = self._require()
            session = self._store.set_open(session.code, not session.is_open)
            self._status.ok(
                "已重新开放，参加者可以继续作答。"
                if session.is_open
                else "已结束收集，答卷不能再提交或修改。"
            )
            self._load_sessions(select_code=session.code)

    def _on_round_click(self, _button) -> None:
        with self._status.guard():
            session = self._store.new_round(self._require().code)
            self._status.ok(f"已开始第{session.round}轮，前几轮的结果保留，可在“轮次”中对比。")
            self._load_sessions(select_code=session.code)
            self._f_round.value = session.round

    def _on_hide_click(self, _button) -> None:
        with self._status.guard():
            session = self._require()
            self._store.set_results_hidden(session.code, not session.results_hidden)
            self.refresh(force=True)

    def _on_draft_click(self, _button) -> None:
        with self._status.guard():
            session = self._store.mark_for_draft(self._require().code)
            found = self._findings.value.strip()
            if not found:
                self._status.info(
                    f"已交给发言稿；目前提交不足{MIN_GROUP}人，发言稿中暂不会出现自评结果。"
                )
            else:
                self._status.ok(f"已把“{session.title}”的自评结果交给发言稿起草。")
            self.refresh(force=True)

    def _on_comment_click(self, hidden: bool) -> None:
        with self._status.guard():
            if not self._comments.value:
                self._status.info("请先在列表中选中一条意见。")
                return
            self._store.hide_comment(self._comments.value, hidden)
            self.refresh(force=True)

    def _on_export_click(self, _button) -> None:
        from jianfu.assess.export import export_answers, export_summary  # pandas: only when asked

        with self._status.guard():
            session = self._require()
            form = load_questionnaire(session.form)
            responses = self._store.responses(session.code)
            fmt, kind = self._export_fmt.value, self._export_kind.value
            if kind == "summary":
                data = export_summary(form, session, responses, self._filters(), fmt)
                name = f"自评汇总_{session.code}.{fmt}"
            else:
                data = export_answers(form, responses, self._filters(), fmt)
                name = f"自评答卷_{session.code}.{fmt}"
            self._download.children = [download_link(data, name, MIME[fmt], f"下载 {name}")]

    # ---- drawing ----------------------------------------------------------------
    def _require(self) -> Session:
        session = self.session
        if session is None:
            from jianfu.errors import JianfuError

            raise JianfuError("请先选择或新建一个场次")
        return session

    def _load_sessions(self, select_code: str | None = None) -> None:
        sessions = self._store.sessions()
        options = [(_session_label(s), s.code) for s in sessions]
        current = select_code or self._session.value
        self._session.options = options
        codes = [code for _, code in options]
        value = current if current in codes else (codes[0] if codes else None)
        if self._session.value != value:
            self._session.value = value  # redraws through _on_session_change
        else:
            self._marker = None
            self._fill_filters()
            self.refresh(force=True)
        if not codes:
            self._render()

    def _fill_filters(self) -> None:
        session = self.session
        if session is None:
            return
        rounds = [(f"第{r}轮", r) for r in range(session.round, 0, -1)] + [("全部轮次", None)]
        roles = [(ALL, None)] + [(r, r) for r in load_questionnaire(session.form).role.options]
        units = [(ALL, None)] + [(u, u) for u in session.units]
        for box, options, value in (
            (self._f_round, rounds, session.round),
            (self._f_role, roles, None),
            (self._f_unit, units, None),
        ):
            box.unobserve(self._on_filter_change, names="value")
            box.options = options
            box.value = value
            box.observe(self._on_filter_change, names="value")
        self._f_unit.layout.display = "" if session.units else "none"
        self._f_role.layout.display = "" if session.ask_role else "none"

    def _filters(self) -> Filters:
        return Filters(round=self._f_round.value, unit=self._f_unit.value, role=self._f_role.value)

    def _show_link(self) -> None:
        session = self.session
        if session is None:
            self._link.value = ""
            return
        url = participant_link(self._public.value, session.code)
        state = "收集中" if session.is_open else "已结束"
        self._link.value = (
            f'<div class="jf-dash-link"><div class="jf-dash-qr">{qr_svg(url)}</div>'
            f'<div><div class="jf-dash-session">{esc(session.title)}</div>'
            f'<div class="jf-dash-url">{esc(url)}</div>'
            f'<div class="jf-dash-state">第{session.round}轮 · {state}</div></div></div>'
        )

    def _render(self) -> None:
        session = self.session
        if session is None:
            self._count.value = ""
            self._results.value = (
                '<p class="jf-dash-empty">还没有自评场次。请在上方“新建自评场次”中创建。</p>'
            )
            self._link.value = ""
            return
        form = load_questionnaire(session.form)
        responses = self._store.responses(session.code, submitted_only=False)
        submitted = [r for r in responses if r.submitted]
        filters = self._filters()
        chosen = select(submitted, filters)
        in_round = [r for r in responses if filters.round is None or r.round == filters.round]
        answering = sum(1 for r in in_round if not r.submitted)
        self._summary = summarise(form, chosen)
        self._open.description = "结束收集" if session.is_open else "重新开放"
        self._hide.description = "显示结果" if session.results_hidden else "隐藏结果"
        self._show_link()
        self._count.value = (
            f'<div class="jf-dash-count"><span class="jf-dash-count-n">{len(chosen)}</span>'
            f'<span class="jf-dash-count-label">份已提交</span>'
            f'<span class="jf-dash-answering">{answering}人正在作答</span></div>'
        )
        if session.results_hidden:
            self._results.value = (
                '<div class="jf-dash-hidden">结果已隐藏，作答结束后点击“显示结果”揭晓。</div>'
            )
        else:
            self._results.value = _results_html(form, self._summary, submitted, filters)
        self._comments.options = [
            (("【已隐藏】" if c.hidden else "") + c.text, c.submission_id)
            for c in self._summary.comments
        ]
        self._findings.value = "\n".join(sentences(self._summary))

    def _refresh_loop(self) -> None:
        while not self._stop.wait(REFRESH_SECONDS):
            try:
                self.refresh()
            except Exception:  # the next tick tries again; the log has the cause
                from .common import server_log

                server_log().exception("dashboard refresh failed")


def _session_label(s: Session) -> str:
    state = "收集中" if s.is_open else "已结束"
    return f"{s.title}（{s.code}）· 第{s.round}轮 · {state}"


def _results_html(
    form: Questionnaire, s: Summary, submitted: list[Response], filters: Filters
) -> str:
    if s.suppressed:
        return (
            f'<div class="jf-dash-wait">已提交{s.n}份。满{MIN_GROUP}份后显示结果'
            "（人数太少时不显示，以免推测出个人的答案）。</div>"
        )
    index = "不足" if s.index is None else fmt_number(s.index, 0)
    level = form.level(s.index)
    parts = [
        '<div class="jf-dash-results">',
        f'<div class="jf-dash-kpis"><div class="jf-dash-kpi jf-level-{level_class(level)}">'
        f"<span>减负指数</span><b>{esc(index)}</b><em>{esc(level)}</em></div>",
        f'<div class="jf-dash-kpi"><span>总体负担感（0—10）</span><b>{esc(fmt_number(s.overall, 1))}</b>'
        "<em>越高越重</em></div>",
        f'<div class="jf-dash-kpi"><span>获得感指数</span><b>{esc(fmt_number(s.gain, 0))}</b><em>满分100</em></div></div>',
        "<h3>各方面得分（0—100，越高负担越轻）</h3>",
        score_bars([(d.name, d.mean, form.level(d.mean)) for d in s.dimensions], big=True),
    ]
    weakest = s.weakest[:3]
    if weakest:
        names = "、".join(f"{esc(d.name)}（{fmt_number(d.mean, 0)}分）" for d in weakest)
        parts.append(f'<p class="jf-dash-weak">负担最重的方面：<b>{names}</b></p>')
    if s.problems:
        top = s.problems[0][1]
        rows = "".join(
            f'<div class="jf-assess-bar-row"><div class="jf-assess-bar-name">{esc(name)}</div>'
            f'<div class="jf-assess-bar-track"><div class="jf-assess-bar jf-dash-problem" style="width:{count * 100 // top}%"></div></div>'
            f'<div class="jf-assess-bar-value">{count}</div></div>'
            for name, count in s.problems
        )
        parts.append(
            f'<h3>最突出的问题（选择人次）</h3><div class="jf-assess-bars jf-dash-problems">{rows}</div>'
        )
    parts.append(_distribution_html(form, s))
    parts.append("<h3>各题作答分布</h3>")
    parts.append(
        heat_map(
            [(str(n), i.text, i.counts, i.unknown) for n, i in enumerate(s.items, 1)],
            form.scale,
            form.unknown_label,
        )
    )
    shown = [c for c in s.comments if not c.hidden]
    if shown:
        items = "".join(f"<li>{esc(c.text)}</li>" for c in shown)
        parts.append(
            f'<h3>意见建议（{len(shown)}条）</h3><ul class="jf-dash-comments">{items}</ul>'
        )
    base = select(submitted, Filters(round=filters.round))
    tables = []
    if filters.round is None:
        tables.append(("按轮次对比", round_comparison(form, submitted)))
    else:
        rounds = round_comparison(form, submitted)
        if len(rounds) > 1:
            tables.append(("各轮对比", rounds))
    for by, label in (("role", "按岗位类别"), ("unit", "按单位")):
        rows = breakdown(form, base, by)
        if len(rows) > 1 or (rows and rows[0].group != "未填写"):
            tables.append((label, rows))
    for label, rows in tables:
        parts.append(_group_table(label, form, rows))
    parts.append("</div>")
    return "".join(parts)


def _distribution_html(form: Questionnaire, s: Summary) -> str:
    labels = [label for _, label in form.levels] + ["不足"]
    head = "".join(f"<th>{esc(label)}</th>" for label in labels)
    rows = "".join(
        f"<tr><th>{esc(d.name)}</th>"
        + "".join(f"<td>{d.levels.get(label, 0)}</td>" for label in labels)
        + "</tr>"
        for d in s.dimensions
    )
    return (
        "<h3>各方面的评价分布（人数）</h3>"
        f'<table class="jf-dash-table"><thead><tr><th>方面</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _group_table(title: str, form: Questionnaire, rows) -> str:
    names = [d.name for d in form.dimensions]
    head = "".join(f"<th>{esc(n)}</th>" for n in names)
    body = []
    for row in rows:
        if row.suppressed:
            body.append(
                f"<tr><th>{esc(row.group)}</th><td>{row.n}</td>"
                f'<td colspan="{len(names) + 1}" class="jf-dash-small">不足{MIN_GROUP}人，不单独显示</td></tr>'
            )
            continue
        cells = "".join(f"<td>{esc(fmt_number(row.dimensions.get(n), 0))}</td>" for n in names)
        body.append(
            f"<tr><th>{esc(row.group)}</th><td>{row.n}</td><td>{esc(fmt_number(row.index, 0))}</td>{cells}</tr>"
        )
    return (
        f'<h3>{esc(title)}</h3><table class="jf-dash-table"><thead><tr><th>分组</th><th>人数</th>'
        f"<th>减负指数</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
