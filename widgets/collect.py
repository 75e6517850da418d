"""填报任务 page: rounds, templates out, many returned files in, who has reported.

Upload many files (or a .zip) at once: each is checked and listed before anything
is saved; 确认导入 saves each accepted file on its own (a file whose values were
changed meanwhile is reported as 冲突, the others are saved). The board below
shows every unit's status, filterable, with a progress bar and values to check.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from jianfu.collect.batch import BatchReport, apply, choose, plan
from jianfu.collect.board import (
    DONE,
    STATUSES,
    board,
    board_table,
    compare_query,
    outliers,
    reported_units,
    totals,
)
from jianfu.collect.incoming import from_uploads
from jianfu.collect.rounds import Collect
from jianfu.store import Store
from jianfu.text.files import safe_file_name

from .collect_choice import ChoicePanel
from .collect_new import NewRoundForm
from .common import MIMES, download_link, open_page, title_bar
from .status import StatusLine
from .tables import frame_html
from .templating import render

ALL = "全部"


class CollectApp(w.VBox):
    """The page; owns the store. Public widgets are what the tests drive."""

    def __init__(self, store: Store, today: date | None = None):
        self._collect = Collect(store)
        self._today = today
        self._checked: BatchReport | None = None  # the files as checked, before any choice
        self._plan: BatchReport | None = None  # what 确认导入 saves
        self.report: BatchReport | None = None
        self.round = w.Dropdown(description="填报任务", layout=w.Layout(width="420px"))
        self.new_form = NewRoundForm(self._collect, self._on_created)
        self.templates = w.Button(description="下载各单位填报表（.zip）")
        self.upload = w.FileUpload(
            accept=".xlsx,.csv,.zip", multiple=True, description="选择交回的文件"
        )
        self.confirm = w.Button(description="确认导入", button_style="primary", disabled=True)
        self.choices = ChoicePanel(self._on_choice)
        self.filter = w.ToggleButtons(options=[ALL, *STATUSES], value=ALL)
        self.progress = w.IntProgress(min=0, max=1, description="进度")
        self.remind = w.Button(description="生成催报通知")
        self.remind_text = w.Textarea(layout=w.Layout(width="100%", height="180px", display="none"))
        self.status = StatusLine()
        self.totals = w.HTML()
        self.report_html, self.board_html, self.outliers_html = w.HTML(), w.HTML(), w.HTML()
        self._downloads = w.HBox()
        self.round.observe(lambda _: self.show_board(), names="value")
        self.filter.observe(lambda _: self.show_board(), names="value")
        self.upload.observe(self._on_upload, names="value")
        self.confirm.on_click(self._on_confirm)
        self.templates.on_click(self._on_templates)
        self.remind.on_click(self._on_remind)
        new = w.Accordion([self.new_form], titles=("新建填报任务",), selected_index=None)
        super().__init__([
            title_bar("填报任务", "向监测点下发同一张表，批量收回，查看谁已报、谁未报，生成催报通知"),
            new, self.round, w.HBox([self.templates, self.remind]), self._downloads,
            w.HTML("<b>导入交回的文件</b>（可一次选择多个文件或.zip压缩包；先检查、后确认）"),
            w.HBox([self.upload, self.confirm]), self.status, self.choices, self.report_html,
            w.HTML("<hr><b>报送情况</b>"), self.totals, self.progress, self.filter,
            self.board_html, self.outliers_html, self.remind_text,
        ])  # fmt: skip
        self.add_class("jf-collect")
        self.reload()

    @classmethod
    def from_default_store(cls) -> CollectApp:
        store = Store.default()
        return open_page(lambda: cls(store), "collect")

    def refresh_if_stale(self) -> CollectApp:
        """Show what the store holds now, as a freshly opened page would (the page protocol)."""
        self.reload()
        return self

    @property
    def downloads(self) -> tuple[w.Widget, ...]:
        """The download links made last (templates or the reminder)."""
        return tuple(self._downloads.children)

    def reload(self) -> None:
        names = self._collect.round_names()
        current = self.round.value
        self.round.options = names
        self.round.value = current if current in names else (names[-1] if names else None)
        self.new_form.reload()
        self.show_board()

    def _round(self):
        return self._collect.round(self.round.value) if self.round.value else None

    def show_board(self) -> None:
        rnd = self._round()
        if rnd is None:
            self.totals.value, self.board_html.value = "<p>还没有填报任务，请先新建。</p>", ""
            return
        statuses = board(self._collect, rnd, self._today)
        counts = totals(statuses)
        self.progress.max, self.progress.value = len(statuses), counts[DONE]
        self.totals.value = render(
            "collect_totals.html",
            period=rnd.period,
            n=len(statuses),
            due=rnd.due.isoformat() if rnd.due else "",
            said="，".join(f"{k}{v}个" for k, v in counts.items()),
            ready="、".join(reported_units(statuses)),
            compare=compare_query(rnd, statuses, self._collect.store.periods()),
        )
        table = board_table(statuses, len(rnd.indicators))
        if self.filter.value != ALL:
            table = table[table["状态"] == self.filter.value]
        self.board_html.value = frame_html(table)
        found = outliers(self._collect, rnd)
        self.outliers_html.value = (
            "<b>请核实（与本单位上期相差悬殊）</b>" + frame_html(found) if len(found) else ""
        )

    def _on_created(self, name: str) -> None:
        self.reload()
        self.round.value = name

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files or self._round() is None:
            return
        with self.status.guard():
            items = [(f["name"], bytes(f["content"]), f.get("last_modified")) for f in files]
            self._checked = plan(self._collect, self._round(), from_uploads(items))
            self.choices.show(self._checked)
            self._show_plan(self._checked)

    def _on_choice(self) -> None:
        if self._checked is None:
            return
        with self.status.guard():
            self._show_plan(choose(self._collect, self._checked, self.choices.chosen()))

    def _show_plan(self, planned: BatchReport) -> None:
        self._plan = planned
        accepted = len(planned.outcomes) - len(planned.refused)
        self.report_html.value = frame_html(planned.table())
        self.confirm.disabled = accepted == 0
        waiting = planned.choices()
        units = "、".join(f"“{u}”" for u in waiting)
        ask = f"{units}交来几份表格，请在下方选择使用哪一份。" if waiting else ""
        self.status.info(f"已检查：{planned.summary()}。{ask}确认后导入可导入的{accepted}个文件。")

    def _on_confirm(self, _button) -> None:
        if self._plan is None:
            return
        with self.status.guard():
            self.report = apply(self._collect, self._round(), self._plan)
            self._plan = self._checked = None
            self.confirm.disabled = True
            self.choices.show(None)
            self.report_html.value = frame_html(self.report.table())
            kind = self.status.error if self.report.refused else self.status.ok
            kind(f"导入完成。{self.report.summary()}")
            self.upload.value = ()
            self.show_board()

    def _on_templates(self, _button) -> None:
        rnd = self._round()
        if rnd is None:
            return
        from jianfu.collect.outgoing import templates_zip

        with self.status.guard():
            name = safe_file_name(f"{rnd.name}_填报表", "填报表") + ".zip"
            link = download_link(templates_zip(self._collect, rnd), name, "application/zip",
                                 f"下载：{name}")  # fmt: skip
            self._downloads.children = [link]

    def _on_remind(self, _button) -> None:
        rnd = self._round()
        if rnd is None:
            return
        from jianfu.collect.remind import reminder_docx, reminder_text

        with self.status.guard():
            statuses = board(self._collect, rnd, self._today)
            self.remind_text.value = reminder_text(rnd, statuses, self._today)
            self.remind_text.layout.display = None
            name = safe_file_name(f"{rnd.name}_催报通知", "催报通知") + ".docx"
            data = reminder_docx(rnd, statuses, self._today)
            self._downloads.children = [download_link(data, name, MIMES["docx"], f"下载：{name}")]
