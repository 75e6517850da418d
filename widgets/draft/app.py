"""The 发言稿 app: compose a first draft from the data, edit it, check it, export it.

The draft lives in jianfu.speech; this module only wires controls to it. Every
keystroke updates the model; the preview, the count and the checks refresh a
moment later, and the draft is saved to the database a moment after that
(debounced), so a page reload or a restarted kernel loses nothing.
"""

from __future__ import annotations

import atexit
from functools import partial

import ipywidgets as w

from jianfu.catalog import LEVELS
from jianfu.clues.evidence import draft_evidence
from jianfu.server.kernel import in_kernel
from jianfu.speech.checks import Finding
from jianfu.speech.drafts import DraftStore
from jianfu.speech.genres import Genre, load_genres
from jianfu.speech.model import Draft
from jianfu.speech.phrasebank import PhraseBank, load_phrasebank
from jianfu.store import Store

from ..common import open_page, replace_children, title_bar
from ..confirm import ConfirmBar
from ..handles import Handles
from ..status import StatusLine
from .autosave import Debouncer
from .editing import Editing
from .editor import ParagraphEditor, SectionEditor
from .editor_panel import DRAFT_FIELDS, EditorPanel
from .export import ExportPanel
from .library import LibraryPanel
from .setup import SetupPanel
from .shared import (
    REFRESH_DELAY,
    SAVE_DELAY,
    TABS,
    FindingsSource,
)


class DraftApp(SetupPanel, EditorPanel, Editing, ExportPanel, LibraryPanel, Handles, w.VBox):
    """Compose, edit, check and export drafts; reopens the last draft on load."""

    INPUTS = (
        "unit",
        "before",
        "after",
        "genre",
        "title",
        "speaker",
        "occasion",
        "digits",
        "self_name",
        "rename",
        "rate",
        "limit",
        "phrase_category",
        "phrase_field",
        "phrase_target",
        "script",
        "fonts",
        "draft_list",
        *DRAFT_FIELDS,
    )
    BUTTONS = (
        "compose",
        "rename_button",
        "add_section",
        "phrase_insert",
        "open",
        "duplicate",
        "delete",
        "confirm",
    )
    OUTPUTS = ("preview", "findings_info", "precision", "length", "saved", "checks", "font_note")

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
        self._panels_built = False
        self._tabs = w.Tab(children=[self._setup, w.VBox(), w.VBox(), w.VBox()], titles=TABS)
        self._tabs.observe(self._on_tab_change, names="selected_index")
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
        return open_page(lambda: cls(store, findings=findings), "draft")

    def refresh_if_stale(self) -> DraftApp:
        """This page, or a new one when data, drafts or findings changed (the page protocol)."""
        if self.is_current():
            return self
        return type(self)(
            self._store,
            self._drafts,
            genres=self._genres,
            bank=self._bank,
            findings=self._findings_source,
        )

    def is_current(self) -> bool:
        """True while the page shows what a page built now would (data, drafts, findings)."""
        return (
            self._store.catalog() == self._catalog
            and self._store.observations().equals(self._obs)
            and self._drafts.list() == self._built_drafts
            and self._findings_text(self._unit.value) == self._findings_info.value
        )

    def _build_panels(self) -> None:
        """Build 编辑, 导出 and 我的稿件 the first time one is needed.

        With no draft yet the page opens on 起草设置; the other tabs are some 140
        widget models the browser would load with every such page. They are built
        when a tab is opened, a draft is opened, or a control on them is driven.
        """
        if self._panels_built:
            return
        self._panels_built = True
        panels = [self._build_editor(), self._build_export(), self._build_library()]
        replace_children(self._tabs, [self._setup, *panels])  # the placeholders are closed

    def _on_tab_change(self, change) -> None:
        if change["new"]:
            self._build_panels()

    def _handle(self, names: tuple[str, ...], name: str) -> w.Widget:
        if name in names and not hasattr(self, f"_{name}"):
            self._build_panels()  # a control of a tab not built yet
        return super()._handle(names, name)

    # ---- public state ----------------------------------------------------
    @property
    def draft(self) -> Draft | None:
        return self._draft

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    @property
    def downloads(self) -> tuple[w.Widget, ...]:
        """The download links made so far (exported drafts)."""
        self._build_panels()
        return tuple(self._downloads.children)

    @property
    def time_share(self) -> float:
        """The speaking time used, as a share of the limit (the bar under the editor)."""
        self._build_panels()
        return self._time_bar.value

    def use_levels(self, *levels: str) -> None:
        """Tick exactly these 预警依据 levels for the next first draft (the others left out)."""
        for level in LEVELS:
            self._levels.tick(level, level in levels)

    @property
    def ticked_categories(self) -> list[str]:
        """The 类别 the first draft draws on."""
        return [c.description for c in self._categories.children if c.value]

    @property
    def phrase_choices(self) -> list[str]:
        """The phrases on offer in the picker, in order."""
        self._build_panels()
        return [box.description for box in self._show_phrases()]

    def tick_phrases(self, *indices: int) -> None:
        """Tick phrases in the picker by their place in :attr:`phrase_choices`."""
        self._build_panels()
        boxes = self._show_phrases()
        for i in indices:
            boxes[i].value = True

    def compose(self, unit: str | None = None) -> None:
        """Compose a first draft for ``unit`` (default: the chosen one), as 生成初稿 does."""
        if unit is not None:
            self._unit.value = unit
        self._compose.click()

    @property
    def draft_store(self) -> DraftStore:
        return self._drafts

    def paragraph_editor(self, pid: str) -> ParagraphEditor:
        return self._paragraph_editors[pid]

    def _control(self, name: str) -> w.Widget:
        """``draft_title`` and its kin are the editor's fields of the open draft."""
        if name in DRAFT_FIELDS:
            return self._meta[name.removeprefix("draft_")]
        return super()._control(name)
