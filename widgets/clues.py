"""问题线索 board: filter the clues, move each one through triage, reply, merge, count, export.

Everything is done through jianfu.clues.store (one place for the rules); this
module only wires the controls. The reporter is never shown: a supervisor's
report carries a number, the 查询码 is not stored in clear.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from jianfu.clues import counts
from jianfu.clues.export import clues_xlsx
from jianfu.clues.model import CATEGORIES, REFERRED, STATUSES, Clue, ClueError
from jianfu.clues.notice import ASK_WORDING, notice_docx, period_of
from jianfu.clues.store import ClueStore
from jianfu.clues.triage import allowed
from jianfu_widgets.clues_html import clue_detail, clue_list, tally_table
from jianfu_widgets.common import MIMES, download_link, show_message, title_bar, wait_for_visitor

ALL = "（全部）"
WIDE = w.Layout(width="100%")
STYLE = {"description_width": "72px"}


class ClueBoard(w.VBox):
    """The office's board over a :class:`ClueStore`."""

    def __init__(self, store: ClueStore):
        self.store = store
        self.shown: list[Clue] = []
        self._refreshing = False
        self._filters()
        self._actions()
        self.message = w.HTML()
        self.list_html = w.HTML(layout=WIDE)
        self.detail_html = w.HTML(layout=WIDE)
        self.counts_html = w.HTML(layout=WIDE)
        self.download = w.Box()
        super().__init__(
            [
                title_bar("问题线索", "匿名反映的形式主义问题：核实、转办、整改、答复"),
                w.HBox([self.status, self.category, self.unit]),
                w.HBox([self.since, self.until, self.supervisor, self.merged]),
                self.message,
                self.list_html,
                self.picker,
                self.detail_html,
                w.HTML("<h4>处理</h4>"),
                w.HBox([self.next_status, self.referred_to]),
                self.note,
                self.change_button,
                self.reply,
                self.reply_button,
                self.measures,
                self.measures_button,
                w.HBox([self.merge_into, self.merge_button]),
                w.HTML("<h4>统计与导出</h4>"),
                self.counts_html,
                w.HBox([self.export_button, self.download]),
                w.HTML("<h4>起草通报</h4>"),
                w.HBox([self.period, self.office, self.notice_button]),
                self.notice_download,
                w.HBox([self.issue_button, self.withdraw_choice, self.withdraw_button]),
            ],
            layout=WIDE,
        )
        self.refresh()

    @classmethod
    def from_default_store(cls) -> ClueBoard:
        board = cls(ClueStore())
        if wait_for_visitor("clues"):
            board.refresh()
        return board

    # ---- controls ---------------------------------------------------------------
    def _filters(self) -> None:
        self.status = w.Dropdown(options=[ALL, *STATUSES], description="状态", style=STYLE)
        self.category = w.Dropdown(options=[ALL, *CATEGORIES], description="类别", style=STYLE)
        self.unit = w.Text(description="涉及单位", placeholder="包含此文字", style=STYLE)
        self.since = w.DatePicker(description="受理自", style=STYLE)
        self.until = w.DatePicker(description="至", style=STYLE)
        self.supervisor = w.Dropdown(options=[ALL], description="监督员", style=STYLE)
        self.merged = w.Checkbox(description="显示已合并的线索", indent=False)
        for control in (self.status, self.category, self.unit, self.since, self.until):
            control.observe(self._filtered, "value")
        for control in (self.supervisor, self.merged):
            control.observe(self._filtered, "value")

    def _actions(self) -> None:
        self.picker = w.Dropdown(description="线索", layout=WIDE, style=STYLE)
        self.picker.observe(lambda _: self._show_picked(), "value")
        self.next_status = w.Dropdown(description="改为", style=STYLE)
        self.referred_to = w.Text(description="转办给", placeholder="转办时填写", style=STYLE)
        self.note = w.Textarea(description="处理说明", layout=WIDE, style=STYLE)
        self.change_button = w.Button(description="更改状态", button_style="primary")
        self.change_button.on_click(lambda _: self.change_status())
        self.reply = w.Textarea(description="答复", layout=WIDE, style=STYLE)
        self.reply_button = w.Button(description="保存答复（反映人凭查询码可见）")
        self.reply_button.on_click(lambda _: self.save_reply())
        self.measures = w.Textarea(
            description="整改措施", placeholder=f"写入通报：{ASK_WORDING}", layout=WIDE, style=STYLE
        )
        self.measures_button = w.Button(description="保存整改措施（用于通报）")
        self.measures_button.on_click(lambda _: self.save_measures())
        self.merge_into = w.Dropdown(description="合并到", style=STYLE)
        self.merge_button = w.Button(description="作为重复线索合并")
        self.merge_button.on_click(lambda _: self.merge())
        self.export_button = w.Button(description="导出 Excel")
        self.export_button.on_click(lambda _: self.export())
        self.period = w.Text(description="时期", placeholder="如 2026年第四季度", style=STYLE)
        self.office = w.Text(description="发文机关", placeholder="署名，可不填", style=STYLE)
        self.notice_button = w.Button(description="生成通报初稿（Word）")
        self.notice_button.on_click(lambda _: self.draft_notice())
        self.notice_download = w.Box()
        self.issue_button = w.Button(description="发放监督员编码")
        self.issue_button.on_click(lambda _: self.issue_supervisor())
        self.withdraw_choice = w.Dropdown(description="停用", style=STYLE)
        self.withdraw_button = w.Button(description="停用该监督员编码")
        self.withdraw_button.on_click(lambda _: self.withdraw_supervisor())

    # ---- reading ----------------------------------------------------------------
    def _filtered(self, _change) -> None:
        if not self._refreshing:
            self.refresh()

    def refresh(self) -> None:
        """Read the clues matching the filters; keep the picked clue if it is still listed."""
        self._refreshing = True
        try:
            self._read()
        finally:
            self._refreshing = False

    def _read(self) -> None:
        numbers = [n for n, _, _ in self.store.supervisors()]
        self.supervisor.options = [ALL, *(f"监督员{n}" for n in numbers)]
        sup = self.supervisor.value
        self.shown = self.store.clues(
            status="" if self.status.value == ALL else self.status.value,
            category="" if self.category.value == ALL else self.category.value,
            imposed_by=self.unit.value.strip(),
            since=self.since.value,
            until=self.until.value,
            supervisor=None if sup in (ALL, None) else int(sup.removeprefix("监督员")),
            merged=self.merged.value,
        )
        self.list_html.value = clue_list(self.shown)
        picked = self.picker.value
        self.picker.options = [(_label(c), c.id) for c in self.shown]
        ids = [c.id for c in self.shown]
        self.picker.value = picked if picked in ids else (ids[0] if ids else None)
        self._show_picked()
        everything = self.store.clues()
        self.counts_html.value = (
            tally_table("按类别", counts.by_category(everything))
            + tally_table("按涉及单位", counts.by_unit(everything))
            + tally_table("按月份", counts.by_month(everything))
            + tally_table("按监督员", counts.by_supervisor(everything))
        )
        active = [n for n, _, still in self.store.supervisors() if still]
        self.withdraw_choice.options = [(f"监督员{n}", n) for n in active]

    def _show_picked(self) -> None:
        clue = self.picked()
        if clue is None:
            self.detail_html.value = ""
            self.next_status.options = []
            self.merge_into.options = []
            return
        self.detail_html.value = clue_detail(clue, self.store.events(clue.id))
        steps = list(allowed(clue.status))
        self.next_status.options = steps
        self.next_status.value = steps[0] if steps else None  # options alone leave it unset
        self.reply.value, self.measures.value = clue.reply, clue.measures
        others = [c for c in self.store.clues() if c.id != clue.id]
        self.merge_into.options = [(_label(c), c.id) for c in others]

    def picked(self) -> Clue | None:
        return next((c for c in self.shown if c.id == self.picker.value), None)

    # ---- acting -------------------------------------------------------------------
    def _act(self, action, done: str) -> None:
        clue = self.picked()
        if clue is None:
            show_message(self.message, "请先选择一条线索", "error")
            return
        try:
            action(clue)
        except ClueError as error:
            show_message(self.message, str(error), "error")
            return
        show_message(self.message, done.format(id=clue.id), "success")
        self.refresh()

    def change_status(self) -> None:
        after = self.next_status.value

        def act(clue):
            to = self.referred_to.value if after == REFERRED else ""
            self.store.change_status(clue.id, after or "", self.note.value, to)
            self.note.value = self.referred_to.value = ""

        self._act(act, f"线索{{id}}已改为“{after}”")

    def save_reply(self) -> None:
        self._act(lambda c: self.store.set_reply(c.id, self.reply.value), "线索{id}的答复已保存")

    def save_measures(self) -> None:
        self._act(
            lambda c: self.store.set_measures(c.id, self.measures.value), "线索{id}的整改措施已保存"
        )

    def merge(self) -> None:
        into = self.merge_into.value

        def act(clue):
            if into is None:
                raise ClueError("请选择要合并到的线索")
            self.store.merge(clue.id, into, self.note.value)

        self._act(act, f"线索{{id}}已合并到线索{into}")

    def export(self) -> None:
        data = clues_xlsx(self.shown)
        name = f"问题线索_{date.today():%Y%m%d}.xlsx"
        self.download.children = [download_link(data, name, label=f"下载 {name}")]

    def draft_notice(self) -> None:
        """The period's 通报 as a .docx to download (jianfu.clues.notice)."""
        self.notice_download.children = []
        try:
            data = notice_docx(self.store.clues(merged=True), self.period.value, self.office.value)
        except ClueError as error:
            show_message(self.message, str(error), "error")
            return
        said = period_of(self.period.value)[0]
        name = f"{said}典型问题通报（初稿）.docx"
        self.notice_download.children = [download_link(data, name, MIMES["docx"], f"下载 {name}")]
        show_message(
            self.message, "通报初稿已生成：标有【待补充】处请填写，核对后再印发", "success"
        )

    def issue_supervisor(self) -> None:
        number, code = self.store.issue_supervisor()
        show_message(
            self.message,
            f"监督员{number}的编码：{code}\n只显示这一次，请当面交给监督员本人；"
            "系统只保存编码的摘要，遗失后只能重新发放。",
            "success",
        )
        self.refresh()
        self.last_code = code

    def withdraw_supervisor(self) -> None:
        """A withdrawn code files ordinary reports from then on (its past reports stay marked)."""
        number = self.withdraw_choice.value
        if number is None:
            show_message(self.message, "请先选择要停用的监督员编码", "error")
            return
        self.store.withdraw_supervisor(number)
        show_message(
            self.message, f"监督员{number}的编码已停用；此前的线索仍标为监督员{number}", "success"
        )
        self.refresh()


def _label(clue: Clue) -> str:
    return f"{clue.id} · {clue.category} · {clue.imposed_by or '未写明单位'} · {clue.status}"
