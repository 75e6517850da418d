"""The 自评汇总 facilitator dashboard: sessions, link and QR code, live results, export, hand-off.

Everything shown comes from jianfu.assess (aggregate, disclosure, export,
handoff); this module only wires controls (HTML in dashboard_html, comment
moderation in moderation). The results refresh by themselves every few seconds
(a background thread that re-reads only when the submissions changed, so an
idle dashboard sends nothing and its kernel can still be culled).

The participant address comes from $JIANFU_PUBLIC_URL, else from the public
server that recorded itself in this dashboard's own database, else a guess;
the page says which. 投屏模式 swaps the page for the room's screen alone.
"""

from __future__ import annotations

import threading

import ipywidgets as w

from jianfu.assess.aggregate import Filters, Summary, comments, select, summarise
from jianfu.assess.disclosure import for_session
from jianfu.assess.handoff import handover_gap, sentences
from jianfu.assess.links import participant_link
from jianfu.assess.questionnaire import builtin_forms, load_questionnaire
from jianfu.assess.store import AssessStore, Session, new_code

from .common import MIMES, download_link, open_page, title_bar
from .dashboard_html import count_html, link_html, projector_html, results_html
from .handles import Handles
from .moderation import CommentModeration
from .status import StatusLine
from .templating import element

REFRESH_SECONDS = 3.0
# every 10th quiet refresh (30 s) the figures are sent again: the browser drops an update
# that comes before it has made the page's widgets, and a quiet room sends none after it
RESEND_EVERY = 10
ALL = "全部"
FULLSCREEN_BUTTON = (
    '<button type="button" class="jf-fullscreen" onclick="window.jianfuFullscreen()">全屏</button>'
)


class DashboardApp(Handles, w.VBox):
    """Create, open and close sessions; watch results arrive; export and hand off."""

    INPUTS = (
        "session",
        "title",
        "code",
        "form",
        "organiser",
        "ask_role",
        "units",
        "projector",
        "public",
        "f_round",
        "f_unit",
        "f_role",
        "export_kind",
        "export_fmt",
    )
    BUTTONS = ("create", "open", "round", "hide", "draft", "export")
    OUTPUTS = ("results", "link", "source", "count", "projector_html", "findings")
    PARTS = ("status", "title_bar")  # left out of the projector view

    def __init__(
        self, store: AssessStore, public_url: str | None = None, auto_refresh: bool = False
    ):
        self._store = store
        self._lock = threading.RLock()
        self._marker = None
        self._stop = threading.Event()
        self._status = StatusLine()
        self._build_controls(public_url)
        self._wire()
        self._lay_out()
        super().__init__(self._page_view, layout=w.Layout(width="100%"))
        self.add_class("jf-dash")
        self._load_sessions()
        if auto_refresh:
            threading.Thread(
                target=self._refresh_loop, daemon=True, name="jianfu-dashboard"
            ).start()

    def _build_controls(self, public_url: str | None) -> None:
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
        self._public = w.Text(description="参加地址", layout=w.Layout(width="520px"))
        self._source = w.HTML()  # which server the QR code points at
        self._address_why = ""
        self._set_address(public_url)
        self._link = w.HTML()
        # filters, results, comments, export, hand-off
        self._f_round = w.Dropdown(description="轮次")
        self._f_unit = w.Dropdown(description="单位")
        self._f_role = w.Dropdown(description="岗位类别")
        self._count = w.HTML()
        self._results = w.HTML(layout=w.Layout(width="auto"))
        self._projector_html = w.HTML(layout=w.Layout(width="100%"))
        self._moderation = CommentModeration(self._on_moderate)
        self._export_kind = w.Dropdown(
            options=[("汇总表", "summary"), ("答卷明细", "answers")], description="导出"
        )
        self._export_fmt = w.Dropdown(options=[("Excel (.xlsx)", "xlsx"), ("CSV (.csv)", "csv")])
        self._export = w.Button(description="生成文件")
        self._download = w.HBox()
        self._findings = w.Textarea(layout=w.Layout(width="100%", height="160px"))

    def _wire(self) -> None:
        self._session.observe(self._on_session_change, names="value")
        for box in (self._f_round, self._f_unit, self._f_role):
            box.observe(self._on_filter_change, names="value")
        self._public.observe(self._on_public_change, names="value")
        self._projector.observe(self._on_projector_change, names="value")
        self._projector.add_class("jf-projector-switch")  # jianfu.js: full screen on click
        self._create.on_click(self._on_create_click)
        self._open.on_click(self._on_open_click)
        self._round.on_click(self._on_round_click)
        self._hide.on_click(self._on_hide_click)
        self._draft.on_click(self._on_draft_click)
        self._export.on_click(self._on_export_click)

    def _lay_out(self) -> None:
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
                self._source,
                w.HBox([self._f_round, self._f_unit, self._f_role]),
            ]
        )
        controls.add_class("jf-dash-controls")
        extras = w.VBox(
            [
                w.HTML("<h3>导出与发言稿</h3>"),
                w.HBox([self._export_kind, self._export_fmt, self._export]),
                self._download,
                w.HTML("<p>“交给发言稿”后，“发言稿起草”可直接插入下面这些句子：</p>"),
                self._findings,
            ]
        )
        extras.add_class("jf-dash-controls")
        self._title_bar = title_bar("自评汇总", "现场自评的实时结果：扫码参加，结果自动刷新")
        self._page_view = [
            self._title_bar,
            w.HBox([self._projector, self._hide]),
            controls,
            self._status,
            w.HBox([self._link, self._count], layout=w.Layout(width="100%")),
            self._moderation,
            self._results,
            extras,
        ]
        bar = w.HBox([self._projector, self._hide, w.HTML(FULLSCREEN_BUTTON)])
        bar.add_class("jf-proj-bar")
        self._projector_view = [bar, self._projector_html]

    @classmethod
    def from_default_store(cls) -> DashboardApp:
        """Built before anyone waits in a preheated kernel, read again when the visitor comes."""
        store = AssessStore()
        return open_page(lambda: cls(store, auto_refresh=True), "dashboard")

    def refresh_if_stale(self) -> DashboardApp:
        """Show the sessions and the participants' address as they are now (the page protocol)."""
        self._set_address(None)
        self._load_sessions()
        return self

    # ---- public, for tests -------------------------------------------------
    @property
    def session(self) -> Session | None:
        code = self._session.value
        return self._store.find_session(code) if code else None

    @property
    def moderation(self) -> CommentModeration:
        """The comments waiting for release, and the buttons that release or hold them."""
        return self._moderation

    @property
    def downloads(self) -> tuple[w.Widget, ...]:
        """The export links made so far."""
        return tuple(self._download.children)

    @property
    def message(self) -> str:
        """The feedback line, as plain text."""
        return self._status.text

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

    def _on_public_change(self, change) -> None:
        with self._status.guard():
            if change["new"] != self._address_why_for:
                self._address_why = "手动填写的地址"
            self._show_link()

    def _on_projector_change(self, change) -> None:
        on = change["new"]
        self._projector.description = "退出投屏" if on else "投屏模式"
        if on:
            self.add_class("jf-dash-projector")
        else:
            self.remove_class("jf-dash-projector")
        self.children = self._projector_view if on else self._page_view
        with self._status.guard():
            self._render()

    def _set_address(self, given: str | None) -> None:
        """Fill in the participant address: the one given, or found for this database."""
        from jianfu.server.public import public_address  # the server module: on first use

        url, why = (given, "指定的地址") if given else public_address(self._store)
        self._address_why, self._address_why_for = why, url
        self._public.value = url

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
            gap = handover_gap(self._store, session)
            if gap:
                self._status.info(f"已交给发言稿；{gap}，发言稿中暂不会出现自评结果。")
            else:
                self._status.ok(f"已把“{session.title}”的自评结果交给发言稿起草。")
            self.refresh(force=True)

    def _on_moderate(self, ids: list[str] | None, state: str) -> None:
        with self._status.guard():
            session = self._require()
            if ids is None:
                done = self._store.release_comments(session.code, self._filters().round)
                self._status.ok(f"已公开{done}条意见建议。")
            elif not ids:
                self._status.info("请先在列表中选中意见（可按住 Ctrl 多选）。")
                return
            else:
                self._store.moderate(session.code, ids, state)
            self.refresh(force=True)

    def _on_export_click(self, _button) -> None:
        from jianfu.assess.spreadsheets import (  # pandas: only when asked
            export_answers,
            export_summary,
        )

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
            self._download.children = [download_link(data, name, MIMES[fmt], f"下载 {name}")]

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
        # "全部" is 0 or "", not None: a dropdown shows None as an empty box
        rounds = [(f"第{r}轮", r) for r in range(session.round, 0, -1)] + [("全部轮次", 0)]
        roles = [(ALL, "")] + [(r, r) for r in load_questionnaire(session.form).role.options]
        units = [(ALL, "")] + [(u, u) for u in session.units]
        for box, options, value in (
            (self._f_round, rounds, session.round),
            (self._f_role, roles, ""),
            (self._f_unit, units, ""),
        ):
            box.unobserve(self._on_filter_change, names="value")
            box.options = options
            box.value = value
            box.observe(self._on_filter_change, names="value")
        self._f_unit.layout.display = "" if session.units else "none"
        self._f_role.layout.display = "" if session.ask_role else "none"

    def _filters(self) -> Filters:
        return Filters(
            round=self._f_round.value or None,
            unit=self._f_unit.value or None,
            role=self._f_role.value or None,
        )

    def _show_link(self) -> None:
        session = self.session
        base = self._public.value.strip()
        self._source.value = element(
            "div", f"二维码指向 {base}——{self._address_why}", "jf-dash-source"
        )
        if session is None:
            self._link.value = ""
            return
        self._link.value = link_html(session, participant_link(base, session.code))

    def _render(self) -> None:
        session = self.session
        if session is None:
            self._count.value = ""
            self._results.value = (
                '<p class="jf-dash-empty">还没有自评场次。请在上方“新建自评场次”中创建。</p>'
            )
            self._link.value = self._projector_html.value = ""
            return
        form = load_questionnaire(session.form)
        responses = self._store.responses(session.code, submitted_only=False)
        submitted = [r for r in responses if r.submitted]
        disclosure = for_session(session, submitted)
        filters = self._filters()
        chosen = select(submitted, filters)
        in_round = [r for r in responses if filters.round is None or r.round == filters.round]
        answering = sum(1 for r in in_round if not r.submitted)
        self._summary = summarise(form, chosen, disclosure=disclosure)
        self._open.description = "结束收集" if session.is_open else "重新开放"
        self._hide.description = "显示结果" if session.results_hidden else "隐藏结果"
        self._show_link()
        self._count.value = count_html(len(chosen), answering)
        if session.results_hidden:
            self._results.value = (
                '<div class="jf-dash-hidden">结果已隐藏，作答结束后点击“显示结果”揭晓。</div>'
            )
        else:
            self._results.value = results_html(form, self._summary, submitted, filters, disclosure)
        url = participant_link(self._public.value, session.code)
        self._projector_html.value = projector_html(form, session, url, self._summary, answering)
        self._moderation.show(comments(form, select(submitted, Filters(round=filters.round))))
        self._findings.value = "\n".join(sentences(self._summary))

    def resend(self) -> None:
        """Send the count, the results and the projector view again, as they are."""
        with self._lock:
            for widget in (self._count, self._results, self._projector_html):
                widget.send_state("value")

    def _refresh_loop(self) -> None:
        quiet = 0
        while not self._stop.wait(REFRESH_SECONDS):
            try:
                quiet = 0 if self.refresh() else quiet + 1
                if quiet and quiet % RESEND_EVERY == 0:
                    self.resend()
            except Exception:  # the next tick tries again; the log has the cause
                from .common import server_log

                server_log().exception("dashboard refresh failed")


def _session_label(s: Session) -> str:
    state = "收集中" if s.is_open else "已结束"
    return f"{s.title}（{s.code}）· 第{s.round}轮 · {state}"
