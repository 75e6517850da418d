"""The editors of one section and one paragraph of a draft (used by jianfu_widgets.draft).

Beside each paragraph the editor shows where each of its sentences came from
(a row of the comparison, a threshold rule, a self-assessment finding, the
phrase bank or the template, or the writer), so a draft can be verified in
minutes; a phrase-bank 做法 marked 【待核实】 gets a “确认属实” button.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import ipywidgets as w

from jianfu.speech.checks import Finding
from jianfu.speech.model import PARAGRAPH_KINDS, Draft, Paragraph, Section
from jianfu.speech.sources import PENDING, Line, provenance

from ..templating import element, render


class DraftEditing(Protocol):
    """What the editors ask of the page (DraftApp, by its Editing part)."""

    def edit(self, change: Callable[[Draft], None]) -> None: ...
    def confirm_paragraph(self, pid: str) -> None: ...
    def set_kind(self, pid: str, kind: str) -> None: ...
    def move_paragraph(self, pid: str, step: int) -> None: ...
    def insert_paragraph(self, pid: str) -> None: ...
    def add_paragraph(self, sid: str) -> None: ...
    def remove_paragraph(self, pid: str) -> None: ...
    def move_section(self, sid: str, step: int) -> None: ...
    def remove_section(self, sid: str) -> None: ...


def sources_html(lines: list[Line]) -> str:
    """The sentences of a paragraph with their origin and basis (all text escaped)."""
    if not lines:
        return ""
    shown = [
        {
            "kind": line.kind,
            "label": line.label,
            "shown": line.text if len(line.text) <= 40 else line.text[:38] + "……",
            "basis": line.basis,
        }
        for line in lines
    ]
    return render("draft_sources.html", lines=shown)


class ParagraphEditor(w.VBox):
    """One paragraph: number, kind, topic (for 一是 points), text, sources and the checks' notes."""

    def __init__(self, paragraph: Paragraph, app: DraftEditing):
        self.pid = paragraph.id
        self._app = app
        self._marker = w.HTML(layout=w.Layout(width="4.5em"))
        self._kind = w.Dropdown(
            options=[(label, kind) for kind, label in PARAGRAPH_KINDS.items()],
            value=paragraph.kind,
            layout=w.Layout(width="9em"),
        )
        self._topic = w.Text(
            value=paragraph.topic,
            placeholder="小标题（可空），如：严控发文总量",
            layout=w.Layout(flex="1 1 auto", width="auto"),
        )
        self._text = w.Textarea(
            value=paragraph.text,
            placeholder="正文",
            rows=3,
            continuous_update=True,
            layout=w.Layout(width="100%"),
        )
        self._sources = w.HTML()
        self._confirm = w.Button(
            description="确认属实",
            tooltip=f"本单位确有这一做法：删去“{PENDING}”",
            layout=w.Layout(width="auto"),
        )
        self._confirm.on_click(lambda _: app.confirm_paragraph(self.pid))
        self._notes = w.HTML()
        buttons = [
            _icon_button("↑", "上移", lambda _: app.move_paragraph(self.pid, -1)),
            _icon_button("↓", "下移", lambda _: app.move_paragraph(self.pid, 1)),
            _icon_button("＋", "在下面插入一段", lambda _: app.insert_paragraph(self.pid)),
            _icon_button("✕", "删除这一段", lambda _: app.remove_paragraph(self.pid)),
        ]
        self._kind.observe(self._on_kind_change, names="value")
        self._topic.observe(self._on_topic_change, names="value")
        self._text.observe(self._on_text_change, names="value")
        super().__init__(
            [
                w.HBox([self._marker, self._kind, self._topic, *buttons]),
                self._text,
                w.HBox([self._confirm, self._sources]),
                self._notes,
            ]
        )
        self.add_class("jf-draft-paragraph")
        self._show_kind(paragraph.kind)
        self.show_sources(paragraph)

    @property
    def marker(self) -> str:
        """The paragraph's number as shown (一是, 二是…), as HTML."""
        return self._marker.value

    @property
    def text(self) -> w.Textarea:
        return self._text

    @property
    def topic(self) -> w.Text:
        return self._topic

    @property
    def confirm_button(self) -> w.Button:
        return self._confirm

    @property
    def sources(self) -> w.HTML:
        return self._sources

    def show_marker(self, marker: str) -> None:
        self._marker.value = element("span", marker, "jf-draft-marker")

    def show_sources(self, paragraph: Paragraph) -> None:
        """Where each sentence came from; the confirm button while a 做法 awaits checking."""
        self._sources.value = sources_html(
            provenance(paragraph.topic, paragraph.text, paragraph.sources)
        )
        pending = PENDING in paragraph.topic + paragraph.text
        self._confirm.layout.display = None if pending else "none"

    def show_text(self, paragraph: Paragraph) -> None:
        """The model changed under the editor (confirmed, renamed): show it."""
        self._topic.value, self._text.value = paragraph.topic, paragraph.text
        self.show_sources(paragraph)

    def show_findings(self, findings: list[Finding]) -> None:
        if findings:
            self.add_class("jf-draft-flagged")
        else:
            self.remove_class("jf-draft-flagged")
        self._notes.value = render(
            "draft_notes.html", notes=[(f.label, f.message) for f in findings]
        )

    def _show_kind(self, kind: str) -> None:
        self._topic.layout.visibility = "visible" if kind == "point" else "hidden"
        self._text.rows = 1 if kind.startswith("heading") else 3

    def _on_kind_change(self, change) -> None:
        self._show_kind(change["new"])
        self._app.set_kind(self.pid, change["new"])

    def _on_topic_change(self, change) -> None:
        self._app.edit(lambda d: d.set_topic(self.pid, change["new"]))

    def _on_text_change(self, change) -> None:
        self._app.edit(lambda d: d.set_text(self.pid, change["new"]))


class SectionEditor(w.VBox):
    """A section: its number and title, guidance, paragraphs and section buttons."""

    def __init__(self, section: Section, app: DraftEditing):
        self.sid = section.id
        self._app = app
        self._marker = w.HTML(layout=w.Layout(width="3em"))
        self._title = w.Text(
            value=section.title,
            placeholder="部分标题",
            layout=w.Layout(flex="1 1 auto", width="auto"),
        )
        self._title.observe(self._on_title_change, names="value")
        head = (
            [self._marker, self._title]
            if section.numbered
            else [w.HTML(element("b", "开头" if section.key != "closing" else "结尾"))]
        )
        buttons = [
            _icon_button("＋段", "在本部分末尾加一段", lambda _: app.add_paragraph(self.sid)),
            _icon_button("↑", "上移本部分", lambda _: app.move_section(self.sid, -1)),
            _icon_button("↓", "下移本部分", lambda _: app.move_section(self.sid, 1)),
            _icon_button(
                "删部分", "删除本部分及其全部段落", lambda _: app.remove_section(self.sid)
            ),
        ]
        guidance = element("div", section.guidance, "jf-draft-guidance") if section.guidance else ""
        self.paragraph_box = w.VBox()
        super().__init__([w.HBox([*head, *buttons]), w.HTML(guidance), self.paragraph_box])
        self.add_class("jf-draft-section")

    def show_marker(self, marker: str) -> None:
        self._marker.value = element("span", marker, "jf-draft-marker")

    def _on_title_change(self, change) -> None:
        self._app.edit(lambda d: d.rename_section(self.sid, change["new"]))


def _icon_button(label: str, tooltip: str, on_click) -> w.Button:
    button = w.Button(description=label, tooltip=tooltip, layout=w.Layout(width="auto"))
    button.on_click(on_click)
    return button
