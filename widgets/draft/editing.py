"""Edits to the open draft, opening, refreshing and saving it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jianfu.errors import JianfuError
from jianfu.speech.checks import Finding, locate, run_checks
from jianfu.speech.drafts import DraftConflict
from jianfu.speech.figures import draft_figures, figures_note
from jianfu.speech.fonts import FONT_SCHEMES
from jianfu.speech.model import Draft
from jianfu.speech.render import fmt_minutes, length, markers, to_html
from jianfu.speech.script import SCRIPTS
from jianfu.speech.voice import self_name_choices

from ..templating import element, render
from .editor import ParagraphEditor, SectionEditor
from .shared import (
    EDIT_TAB,
)


class Editing:
    """What the section and paragraph editors call, and the draft's life cycle (a mixin)."""

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
        self._build_panels()
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
            self._precision.value = element("small", figures_note(draft))
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
        self._length.value = element("span", size.describe(), "jf-draft-length")

    def _show_checks(self, draft: Draft) -> None:
        by_paragraph: dict[str, list[Finding]] = {}
        for finding in self._findings:
            if finding.paragraph_id:
                by_paragraph.setdefault(finding.paragraph_id, []).append(finding)
        for pid, editor in self._paragraph_editors.items():
            editor.show_findings(by_paragraph.get(pid, []))
        checks = [(f.label, locate(draft, f), f.message) for f in self._findings]
        self._checks.value = render("draft_checks.html", checks=checks)

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
            self._saved.value = element("span", f"已自动保存 {stamp}", "jf-draft-saved")
