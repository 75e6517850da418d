"""The 发言稿 app: compose a first draft from the data, edit it, check it, export it.

The draft lives in jianfu.speech; this module only wires controls to it. Every
keystroke updates the model; the preview, the count and the checks refresh a
moment later, and the draft is saved to the database a moment after that
(debounced), so a page reload or a restarted kernel loses nothing.
"""

from __future__ import annotations

import asyncio
import atexit
import html
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

import ipywidgets as w

from jianfu.catalog import CATEGORIES
from jianfu.clues.evidence import draft_evidence
from jianfu.compare.selection import Selection, check_pair, periods_with_data
from jianfu.errors import JianfuError
from jianfu.server.kernel import in_kernel
from jianfu.speech.checks import Finding, locate, run_checks
from jianfu.speech.compose import DraftRequest, compose_draft, default_categories
from jianfu.speech.documents import FORMATS, export_draft
from jianfu.speech.drafts import DraftConflict, DraftStore
from jianfu.speech.figures import draft_comparison, draft_figures, precision_note
from jianfu.speech.fonts import FONT_SCHEMES, font_note
from jianfu.speech.genres import Genre, load_genres
from jianfu.speech.model import PRECISIONS, Draft
from jianfu.speech.phrasebank import PhraseBank, load_phrasebank
from jianfu.speech.render import fmt_minutes, length, markers, to_html
from jianfu.speech.script import SCRIPTS
from jianfu.speech.sources import Source, SurveyFinding
from jianfu.speech.voice import self_name_choices, suggest_self_name
from jianfu.store import Store
from jianfu.text.characters import clean_text

from .common import download_link, title_bar, wait_for_visitor
from .confirm import ConfirmBar
from .draft_editor import ParagraphEditor, SectionEditor
from .status import StatusLine

FindingsSource = Callable[[str], Sequence[SurveyFinding | str]]
PAGE_RULE = "page"  # the precision dropdown's value for “as on the 对比 page” (None in the model)
SAVE_DELAY = 1.0  # seconds after the last keystroke before the draft is saved
REFRESH_DELAY = 0.3  # seconds after the last keystroke before preview and checks refresh
FIELD_LABELS = {"measures": "做法", "problems": "问题", "next_steps": "打算", "headings": "小标题"}
TABS = ("起草设置", "编辑", "导出", "我的稿件")
EDIT_TAB, EXPORT_TAB, DRAFTS_TAB = 1, 2, 3


class Debouncer:
    """Run ``action`` once, ``delay`` seconds after the last ``touch()``.

    Inside a kernel the call is scheduled on its event loop (the thread that runs
    widget handlers, so widgets may be updated); outside one (tests, scripts) it
    runs at once. ``deferred`` overrides the kernel detection.
    """

    def __init__(self, delay: float, action: Callable[[], None], deferred: bool | None = None):
        self._delay = delay
        self._action = action
        self._deferred = in_kernel() if deferred is None else deferred
        self._handle: asyncio.TimerHandle | None = None

    def touch(self) -> None:
        self.cancel()
        try:
            loop = asyncio.get_running_loop() if self._deferred else None
        except RuntimeError:
            loop = None
        if loop is None:
            self._action()
            return
        self._handle = loop.call_later(self._delay, self._fire)

    def flush(self) -> None:
        """Run a pending action now."""
        if self._handle is not None:
            self.cancel()
            self._action()

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    @property
    def pending(self) -> bool:
        return self._handle is not None

    def _fire(self) -> None:
        self._handle = None
        self._action()


class DraftApp(w.VBox):
    """Compose, edit, check and export drafts; reopens the last draft on load."""

    def __init__(
        self,
        store: Store,
        drafts: DraftStore | None = None,
        *,
        genres: dict[str, Genre] | None = None,
        bank: PhraseBank | None = None,
        findings: FindingsSource | None = None,
    ):
        self._store = store
        self._drafts = drafts or DraftStore(store.url, engine=store.engine)
        self._genres = genres or load_genres()
        self._bank = bank or load_phrasebank()
        self._findings_source = findings
        self._catalog = store.catalog()
        self._obs = store.observations()
        self._draft: Draft | None = None
        self._figures: list = []
        self._findings: list[Finding] = []
        self._paragraph_editors: dict[str, ParagraphEditor] = {}
        self._section_editors: dict[str, SectionEditor] = {}
        self._saver = Debouncer(SAVE_DELAY, self.save_now)
        if in_kernel():
            # closing the tab shuts the kernel down: keep what was typed in the last second
            atexit.register(self._saver.flush)
        self._refresher = Debouncer(REFRESH_DELAY, self.refresh)
        self._status = StatusLine()
        self._ask = ConfirmBar()
        self._revision: int | None = None  # of the open draft, as this window last read or saved it
        self._setup = self._build_setup()
        self._editor = self._build_editor()
        self._export = self._build_export()
        self._library = self._build_library()
        self._tabs = w.Tab(
            children=[self._setup, self._editor, self._export, self._library], titles=TABS
        )
        super().__init__(
            [
                title_bar("发言稿起草", "用对比数据起草交流发言、经验材料、调研报告和自查报告"),
                self._status,
                self._ask,
                self._tabs,
            ]
        )
        self.add_class("jf-draft")
        self._on_unit_change(None)
        self._built_drafts = self._drafts.list()  # what is_current compares with
        latest = self._drafts.latest()
        if latest is not None:
            self.open_draft(latest)

    @classmethod
    def from_default_store(cls, findings: FindingsSource | None = None) -> DraftApp:
        """The app on the database named by $JIANFU_DB_URL / $JIANFU_DATA_DIR.

        Unless told otherwise, drafts take the findings of the latest self-assessment
        of the chosen unit (自评, handed over from the dashboard) for 存在的主要问题.
        """
        store = Store.default()
        if findings is None:
            findings = partial(draft_evidence, store.url, engine=store.engine)
        app = cls(store, findings=findings)  # in a pool: built before anyone waits
        if wait_for_visitor("draft") and not app.is_current():
            app = cls(store, findings=findings)  # the data changed while the page waited
        return app

    def is_current(self) -> bool:
        """True while the page shows what a page built now would (data, drafts, findings)."""
        return (
            self._store.catalog() == self._catalog
            and self._store.observations().equals(self._obs)
            and self._drafts.list() == self._built_drafts
            and self._findings_text(self._unit.value) == self._findings_info.value
        )

    # ---- public state ----------------------------------------------------
    @property
    def draft(self) -> Draft | None:
        return self._draft

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    @property
    def draft_store(self) -> DraftStore:
        return self._drafts

    def paragraph_editor(self, pid: str) -> ParagraphEditor:
        return self._paragraph_editors[pid]

    # ---- setup -----------------------------------------------------------
    def _build_setup(self) -> w.VBox:
        units = list(self._obs["unit"].drop_duplicates()) if len(self._obs) else []
        self._unit = w.Dropdown(options=units, description="单位")
        self._before = w.Dropdown(options=self._store.periods(), description="基期")
        self._after = w.Dropdown(options=self._store.periods(), description="比较期")
        self._genre = w.Dropdown(options=list(self._genres), description="体裁")
        self._title = w.Text(description="标题", placeholder="留空则按体裁生成", layout=_wide())
        self._speaker = w.Text(
            description="发言人", placeholder="如：县委组织部 张三", layout=_wide()
        )
        self._occasion = w.Text(
            description="场合", placeholder="如：为基层减负专题学习研讨会", layout=_wide()
        )
        self._digits = w.Dropdown(
            options=[
                (f"{label}（默认）" if d is None else label, PAGE_RULE if d is None else d)
                for d, label in PRECISIONS.items()
            ],
            value=PAGE_RULE,
            description="数字精度",
        )
        self._self_name = w.Combobox(
            description="自称",
            placeholder="如：我县",
            ensure_option=False,
            layout=w.Layout(width="260px"),
        )
        self._categories = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self._findings_info = w.HTML()
        self._compose = w.Button(description="生成初稿", button_style="primary")
        self._compose.on_click(self._on_compose_click)
        self._unit.observe(self._on_unit_change, names="value")
        for control in (self._before, self._after):
            control.observe(self._on_period_change, names="value")
        self._genre.observe(self._on_genre_change, names="value")
        self._on_genre_change(None)
        return w.VBox(
            [
                w.HBox([self._unit, self._before, self._after]),
                w.HBox([self._genre, self._digits, self._self_name]),
                self._title,
                self._speaker,
                self._occasion,
                w.HTML("<b>写入哪些方面</b>（做法、打算从短语库按类别选取，数据来自对比）："),
                self._categories,
                self._findings_info,
                self._compose,
            ]
        )

    def _on_unit_change(self, _change) -> None:
        unit = self._unit.value
        if not unit:
            return
        periods = periods_with_data(self._obs, [unit], self._store.periods())
        if len(periods) >= 2:
            with self.hold_trait_notifications():
                self._before.value, self._after.value = periods[-2:]
        self._on_period_change(None)
        self._suggest_self_name()
        with self._status.guard():
            self._findings_info.value = self._findings_text(unit)

    def _findings_text(self, unit: str | None) -> str:
        """The self-assessment sentences a draft for `unit` would take in."""
        if self._findings_source is None or not unit:
            return ""
        found = [getattr(f, "text", f) for f in self._findings_source(unit)]
        if not found:
            return ""
        items = "".join(f"<li>{html.escape(str(f))}。</li>" for f in found)
        return f"<div>将写入“存在的主要问题”的自评结果和问题线索（放在它佐证的问题下）：</div><ul>{items}</ul>"

    def _suggest_self_name(self) -> None:
        """我县/我镇/我局 when the genre has the unit speak for itself, else the unit's name."""
        unit = self._unit.value or ""
        genre = self._genres.get(self._genre.value)
        self._self_name.options = self_name_choices(unit)
        first_person = genre is not None and genre.first_person
        self._self_name.value = suggest_self_name(unit) if first_person else unit

    def _on_period_change(self, _change) -> None:
        unit, before, after = self._unit.value, self._before.value, self._after.value
        chosen: list[str] = []
        if unit and before and after and before != after:
            with self._status.guard():
                self._check_pair()
                table = draft_comparison(self._obs, self._catalog, unit, before, after)
                chosen = default_categories(table, self._bank)
        names = [c for c in CATEGORIES if c in self._bank.names()]
        names += [c for c in self._bank.names() if c not in names]
        self._categories.children = [
            w.Checkbox(value=c in chosen, description=c, indent=False, layout=w.Layout(width="9em"))
            for c in names
        ]

    def _on_genre_change(self, _change) -> None:
        genre = self._genres.get(self._genre.value)
        if genre is not None:
            self._occasion.placeholder = genre.occasion or "场合"
        if hasattr(self, "_unit"):
            self._suggest_self_name()

    def request(self) -> DraftRequest:
        findings = ()
        if self._findings_source is not None:
            findings = tuple(self._findings_source(self._unit.value))
        return DraftRequest(
            genre=self._genre.value,
            unit=self._unit.value,
            before=self._before.value,
            after=self._after.value,
            categories=tuple(c.description for c in self._categories.children if c.value),
            title=self._title.value,
            speaker=self._speaker.value,
            occasion=self._occasion.value,
            digits=None if self._digits.value == PAGE_RULE else self._digits.value,
            findings=findings,
            self_name=self._self_name.value.strip() or None,
        )

    def _check_pair(self) -> None:
        """The 对比 page's checks: periods in order, data in them (compare.selection)."""
        sel = Selection(
            units=(self._unit.value,), before=self._before.value, after=self._after.value
        )
        check_pair(sel, self._store.periods(), obs=self._obs)

    def _on_compose_click(self, _button) -> None:
        with self._status.guard():
            self._check_pair()
            draft = compose_draft(
                self._obs, self._catalog, self.request(), self._genres, self._bank
            )
            self._drafts.save(draft)
            self.open_draft(draft)
            self._status.ok("初稿已生成并保存。可逐段修改，修改会自动保存。")

    # ---- editor ----------------------------------------------------------
    def _build_editor(self) -> w.VBox:
        self._meta = {
            key: w.Text(description=label, layout=_wide())
            for key, label in (
                ("title", "标题"),
                ("subtitle", "副标题"),
                ("speaker", "署名"),
                ("signature", "落款"),
                ("date", "日期"),
            )
        }
        for key, control in self._meta.items():
            control.observe(self._meta_handler(key), names="value")
        self._rename = w.Combobox(
            description="自称", placeholder="如：我县", ensure_option=False, layout=_wide()
        )
        self._rename_button = w.Button(
            description="改用这个称呼", tooltip="正文中的单位全称一并改过来"
        )
        self._rename_button.on_click(self._on_rename_click)
        self._precision = w.HTML()
        self._length = w.HTML()
        self._time_bar = w.FloatProgress(min=0, max=1, value=0, layout=w.Layout(width="320px"))
        self._time_bar.add_class("jf-draft-time")
        self._rate = w.BoundedIntText(
            min=120, max=400, step=10, description="语速（字/分）", layout=w.Layout(width="220px")
        )
        self._limit = w.BoundedFloatText(
            min=0, max=600, step=1, description="限时（分钟）", layout=w.Layout(width="220px")
        )
        self._rate.observe(self._on_rate_change, names="value")
        self._limit.observe(self._on_limit_change, names="value")
        self._saved = w.HTML()
        self._checks = w.HTML()
        self._preview = w.HTML(layout=w.Layout(width="auto"))
        self._sections = w.VBox()
        self._add_section = w.Button(description="添加一部分")
        self._add_section.on_click(self._on_add_section_click)
        self._empty = w.HTML(
            "<p>还没有稿子：先在“起草设置”中生成初稿，或在“我的稿件”中打开已保存的稿子。</p>"
        )
        stats = w.HBox([self._time_bar, self._length, self._rate, self._limit, self._saved])
        stats.add_class("jf-draft-stats")
        left = w.VBox(
            [
                *self._meta.values(),
                w.HBox([self._rename, self._rename_button]),
                self._precision,
                self._sections,
                self._add_section,
                self._build_phrase_picker(),
            ],
            layout=w.Layout(width="58%"),
        )
        right = w.VBox(
            [w.HTML("<b>检查</b>"), self._checks, w.HTML("<b>预览</b>"), self._preview],
            layout=w.Layout(width="42%"),
        )
        self._workspace = w.HBox([left, right])
        return w.VBox([stats, self._empty, self._workspace])

    def _build_phrase_picker(self) -> w.Accordion:
        self._phrase_category = w.Dropdown(options=self._bank.names(), description="类别")
        self._phrase_field = w.Dropdown(
            options=[(label, key) for key, label in FIELD_LABELS.items()], description="类型"
        )
        self._phrase_target = w.Dropdown(description="插入到")
        self._phrase_boxes = w.VBox()
        insert = w.Button(description="插入所选")
        insert.on_click(self._on_phrase_insert_click)
        for control in (self._phrase_category, self._phrase_field):
            control.observe(self._on_phrase_source_change, names="value")
        self._on_phrase_source_change(None)
        box = w.VBox(
            [
                w.HBox([self._phrase_category, self._phrase_field]),
                self._phrase_boxes,
                w.HBox([self._phrase_target, insert]),
            ]
        )
        accordion = w.Accordion(children=[box], titles=("从短语库插入",))
        accordion.selected_index = None
        return accordion

    def _on_phrase_source_change(self, _change) -> None:
        phrases = getattr(
            self._bank.category(self._phrase_category.value or ""), self._phrase_field.value
        )
        self._phrase_boxes.children = [
            w.Checkbox(value=False, description=p, indent=False, layout=w.Layout(width="auto"))
            for p in phrases
        ]

    def _on_phrase_insert_click(self, _button) -> None:
        with self._status.guard():
            if self._draft is None:
                raise JianfuError("请先生成或打开一份稿子")
            chosen = [c.description for c in self._phrase_boxes.children if c.value]
            if not chosen:
                raise JianfuError("请先勾选要插入的短语")
            sid = self._phrase_target.value
            field = self._phrase_field.value
            basis = f"短语库“{self._phrase_category.value}”类的{FIELD_LABELS[field]}（撰写人选用）"
            for phrase in chosen:
                sources = [Source(phrase, "phrase", basis)]  # the writer accepted it
                if field == "headings":
                    self._draft.add_paragraph(
                        sid, "", "point", topic=phrase, origin="phrase", sources=sources
                    )
                else:
                    text = phrase if phrase.endswith("。") else f"{phrase}。"
                    self._draft.add_paragraph(sid, text, "point", origin="phrase", sources=sources)
            for box in self._phrase_boxes.children:
                box.value = False
            self._structure_changed()
            self._status.ok(f"已插入{len(chosen)}段")

    def _meta_handler(self, key: str):
        def handler(change) -> None:
            self.edit(lambda d: setattr(d, key, clean_text(change["new"], lines=False)))

        return handler

    def _on_rate_change(self, change) -> None:
        self.edit(lambda d: setattr(d, "rate", int(change["new"])))

    def _on_limit_change(self, change) -> None:
        def set_limit(d: Draft) -> None:
            if d.limit_chars and not d.limit_minutes:
                return
            d.limit_minutes = float(change["new"]) or None

        self.edit(set_limit)

    def _on_add_section_click(self, _button) -> None:
        with self._status.guard():
            if self._draft is None:
                raise JianfuError("请先生成或打开一份稿子")
            self._draft.add_section("新的部分")
            self._structure_changed()

    # ---- editing (called by the section and paragraph editors) ------------
    def edit(self, change: Callable[[Draft], None]) -> None:
        """Apply a text edit to the model; refresh and save a moment later."""
        if self._draft is None or self._loading:
            return
        with self._status.guard():
            change(self._draft)
            self._refresher.touch()
            self._saver.touch()

    def confirm_paragraph(self, pid: str) -> None:
        """The writer vouches for the paragraph's 做法: the 待核实 marks go."""
        if self._draft is None:
            return
        with self._status.guard():
            self._draft.confirm(pid)
            self._show_model_text([pid])
            self.refresh()
            self.save_now()
            self._status.ok("已确认，删去了“【待核实】”。")

    def _on_rename_click(self, _button) -> None:
        with self._status.guard():
            if self._draft is None:
                raise JianfuError("请先生成或打开一份稿子")
            name = self._rename.value.strip()
            if not name:
                raise JianfuError("请填写或选择对本单位的称呼，如“我县”")
            count = self._draft.use_self_name(name)
            self._show_model_text([p.id for _, p in self._draft.paragraphs()])
            self.refresh()
            self.save_now()
            self._status.ok(f"已改为称“{name}”，正文中改了{count}处。")

    def _show_model_text(self, pids: list[str]) -> None:
        """Show paragraphs the model changed itself (not typed): no edit echo while loading."""
        self._loading = True
        try:
            for pid in pids:
                editor = self._paragraph_editors.get(pid)
                if editor is not None:
                    editor.show_text(self._draft.paragraph(pid))
        finally:
            self._loading = False

    def set_kind(self, pid: str, kind: str) -> None:
        if self._draft is None or self._loading:
            return
        with self._status.guard():
            self._draft.set_kind(pid, kind)
            self._structure_changed()

    def move_paragraph(self, pid: str, step: int) -> None:
        self._structural(lambda d: d.move_paragraph(pid, step))

    def insert_paragraph(self, pid: str) -> None:
        def insert(d: Draft) -> None:
            section = d.section_of(pid)
            kind = d.paragraph(pid).kind if d.paragraph(pid).kind == "point" else "text"
            d.add_paragraph(section.id, "", kind, after=pid)

        self._structural(insert)

    def add_paragraph(self, sid: str) -> None:
        self._structural(lambda d: d.add_paragraph(sid, "", "point"))

    def remove_paragraph(self, pid: str) -> None:
        self._structural(lambda d: d.remove_paragraph(pid))

    def move_section(self, sid: str, step: int) -> None:
        self._structural(lambda d: d.move_section(sid, step))

    def remove_section(self, sid: str) -> None:
        self._structural(lambda d: d.remove_section(sid))

    def _structural(self, change: Callable[[Draft], None]) -> None:
        if self._draft is None:
            return
        with self._status.guard():
            change(self._draft)
            self._structure_changed()

    def _structure_changed(self) -> None:
        """Numbers moved: rebuild the editor order, refresh and save at once."""
        self._layout_editor()
        self.refresh()
        self.save_now()

    # ---- opening, refreshing, saving ---------------------------------------
    _loading = False

    def open_draft(self, draft: Draft) -> None:
        """Show ``draft`` in the editor (pending edits of the previous one are saved first)."""
        self._saver.flush()
        self._ask.hide()
        self._loading = True
        try:
            self._draft = draft
            self._revision = self._drafts.revision(draft.id)
            self._paragraph_editors.clear()
            self._section_editors.clear()
            for key, control in self._meta.items():
                control.value = getattr(draft, key)
            self._rate.value = draft.rate
            self._script.value = draft.script if draft.script in SCRIPTS else ""
            self._fonts.value = (
                draft.font_scheme if draft.font_scheme in FONT_SCHEMES else "official"
            )
            self._limit.value = draft.limit_minutes or 0
            self._rename.options = self_name_choices(draft.unit)
            self._rename.value = draft.self_name or draft.unit
            self._precision.value = f"<small>{html.escape(precision_note(draft.digits))}</small>"
            self._limit.disabled = bool(draft.limit_chars and not draft.limit_minutes)
            self._figures = draft_figures(self._obs, self._catalog, draft)
            self._layout_editor()
        finally:
            self._loading = False
        self.refresh()
        self._show_library()
        self._tabs.selected_index = EDIT_TAB

    def _layout_editor(self) -> None:
        draft = self._draft
        self._empty.layout.display = "none" if draft else None
        self._workspace.layout.display = None if draft else "none"
        if draft is None:
            self._sections.children = []
            return
        numbers = markers(draft)
        section_views = []
        for section in draft.sections:
            view = self._section_editors.get(section.id)
            if view is None:
                view = self._section_editors[section.id] = SectionEditor(section, self)
            view.show_marker(numbers.get(section.id, ""))
            paragraph_views = []
            for paragraph in section.paragraphs:
                editor = self._paragraph_editors.get(paragraph.id)
                if editor is None:
                    editor = self._paragraph_editors[paragraph.id] = ParagraphEditor(
                        paragraph, self
                    )
                editor.show_marker(numbers.get(paragraph.id, ""))
                paragraph_views.append(editor)
            view.paragraph_box.children = paragraph_views
            section_views.append(view)
        self._sections.children = section_views
        self._phrase_target.options = [
            (f"{numbers.get(s.id, '')}{s.title or ('开头' if i == 0 else '结尾')}", s.id)
            for i, s in enumerate(draft.sections)
        ]

    def refresh(self) -> None:
        """Preview, length bar and checks from the model as it is now."""
        self._refresher.cancel()
        draft = self._draft
        if draft is None:
            return
        with self._status.guard():
            self._findings = run_checks(draft, self._figures, self._bank)
            for pid, editor in self._paragraph_editors.items():
                editor.show_sources(draft.paragraph(pid))
            flagged = frozenset(f.paragraph_id for f in self._findings if f.paragraph_id)
            self._preview.value = to_html(draft, self._script.value, flagged)
            self._show_length(draft)
            self._show_checks(draft)

    def _show_length(self, draft: Draft) -> None:
        size = length(draft)
        share = size.share or 0
        self._time_bar.value = min(share, 1.0)
        self._time_bar.bar_style = (
            "danger" if share > 1 else ("warning" if share > 0.9 else "success")
        )
        self._time_bar.description = fmt_minutes(size.minutes)
        self._length.value = f'<span class="jf-draft-length">{html.escape(size.describe())}</span>'

    def _show_checks(self, draft: Draft) -> None:
        by_paragraph: dict[str, list[Finding]] = {}
        for finding in self._findings:
            if finding.paragraph_id:
                by_paragraph.setdefault(finding.paragraph_id, []).append(finding)
        for pid, editor in self._paragraph_editors.items():
            editor.show_findings(by_paragraph.get(pid, []))
        if not self._findings:
            self._checks.value = '<div class="jf-draft-checks jf-draft-clean">未发现问题。</div>'
            return
        items = "".join(
            f"<li><b>{html.escape(f.label)}</b>（{html.escape(locate(draft, f))}）："
            f"{html.escape(f.message)}</li>"
            for f in self._findings
        )
        self._checks.value = f'<ul class="jf-draft-checks">{items}</ul>'

    def save_now(self, check: bool = True) -> None:
        """Write the draft to the database (the debounced autosave ends here).

        Only if no other window saved this draft since this one read it: two
        windows on one draft must not silently overwrite each other.
        """
        self._saver.cancel()
        if self._draft is None:
            return
        with self._status.guard():
            try:
                self._revision = self._drafts.save(
                    self._draft, expected=self._revision if check else None
                )
            except DraftConflict as exc:
                self._status.error(str(exc))
                draft_id = self._draft.id
                self._ask.ask(
                    "请选择：",
                    [
                        (
                            "载入另一个窗口保存的版本",
                            lambda: self.open_draft(self._drafts.load(draft_id)),
                            "",
                        ),
                        ("用本窗口的内容覆盖", lambda: self.save_now(check=False), "danger"),
                    ],
                )
                return
            stamp = datetime.now().strftime("%H:%M:%S")
            self._saved.value = f'<span class="jf-draft-saved">已自动保存 {stamp}</span>'

    # ---- export ----------------------------------------------------------
    def _build_export(self) -> w.VBox:
        self._script = w.Dropdown(
            options=[("简体", "")] + [(label, key) for key, label in SCRIPTS.items()],
            description="字形",
        )
        self._fonts = w.Dropdown(
            options=[(s.label, key) for key, s in FONT_SCHEMES.items()], description="字体"
        )
        self._font_note = w.HTML()
        self._script.observe(self._on_script_change, names="value")
        self._fonts.observe(self._on_fonts_change, names="value")
        buttons = []
        for suffix, (label, _mime) in FORMATS.items():
            button = w.Button(description=f"生成{label}（{suffix}）", layout=w.Layout(width="auto"))
            button.on_click(self._export_handler(suffix))
            buttons.append(button)
        self._downloads = w.VBox()
        self._on_fonts_change(None)
        return w.VBox(
            [
                w.HBox([self._script, self._fonts]),
                self._font_note,
                w.HBox(buttons),
                self._downloads,
            ]
        )

    def _on_script_change(self, change) -> None:
        self.edit(lambda d: setattr(d, "script", change["new"]))
        self.refresh()

    def _on_fonts_change(self, change) -> None:
        self._font_note.value = f"<small>{html.escape(font_note(self._fonts.value))}</small>"
        if change is not None:
            self.edit(lambda d: setattr(d, "font_scheme", change["new"]))

    def _export_handler(self, suffix: str):
        def handler(_button) -> None:
            self.export(suffix)

        return handler

    def export(self, suffix: str):
        """Build the file and show a download link; returns the ExportFile."""
        with self._status.guard():
            if self._draft is None:
                raise JianfuError("请先生成或打开一份稿子")
            self.save_now()
            exported = export_draft(self._draft, suffix)
            link = download_link(
                exported.data, exported.filename, exported.mime, f"下载 {exported.filename}"
            )
            self._downloads.children = [link]
            self._status.ok(f"已生成 {exported.filename}，点击下载。")
            return exported
        return None

    # ---- the library of drafts ---------------------------------------------
    def _build_library(self) -> w.VBox:
        self._draft_list = w.Dropdown(description="稿件", layout=w.Layout(width="760px"))
        self._open = w.Button(description="打开")
        self._duplicate = w.Button(description="复制一份")
        self._delete = w.Button(description="删除", button_style="danger")
        self._confirm = w.Button(description="确认删除", button_style="danger")
        self._confirm.layout.display = "none"
        self._open.on_click(self._on_open_click)
        self._duplicate.on_click(self._on_duplicate_click)
        self._delete.on_click(self._on_delete_click)
        self._confirm.on_click(self._on_confirm_click)
        self._show_library()
        return w.VBox(
            [self._draft_list, w.HBox([self._open, self._duplicate, self._delete, self._confirm])]
        )

    def _show_library(self) -> None:
        summaries = self._drafts.list()
        current = self._draft.id if self._draft else None
        self._draft_list.options = [(s.label(), s.id) for s in summaries]
        ids = [s.id for s in summaries]
        if ids:
            self._draft_list.value = current if current in ids else ids[0]
        self._confirm.layout.display = "none"

    def _on_open_click(self, _button) -> None:
        with self._status.guard():
            if not self._draft_list.value:
                raise JianfuError("还没有保存的稿子")
            self.open_draft(self._drafts.load(self._draft_list.value))

    def _on_duplicate_click(self, _button) -> None:
        with self._status.guard():
            if not self._draft_list.value:
                raise JianfuError("还没有保存的稿子")
            self._saver.flush()
            self.open_draft(self._drafts.duplicate(self._draft_list.value))
            self._status.ok("已复制一份，正在编辑副本。")

    def _on_delete_click(self, _button) -> None:
        if self._draft_list.value:
            self._confirm.layout.display = None

    def _on_confirm_click(self, _button) -> None:
        with self._status.guard():
            doomed = self._draft_list.value
            if not doomed:
                return
            if self._draft is not None and self._draft.id == doomed:
                self._saver.cancel()
                self._draft = None
                self._layout_editor()
            self._drafts.delete(doomed)
            self._show_library()
            self._tabs.selected_index = DRAFTS_TAB
            self._status.ok("已删除。")


def _wide() -> w.Layout:
    return w.Layout(width="95%")
