"""The draft: sections of paragraphs, edited in place, numbered when rendered.

A draft is working state (the composer fills it, the user edits it, the store
saves it as JSON), so its classes are plain mutable dataclasses with the editing
operations as methods. Paragraph and section ids are stable across edits, so the
checks can point at a paragraph and the UI can find it again.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, fields

from ..errors import JianfuError
from ..text.characters import clean_text as file_text
from .numbering import strip_marker
from .sources import PENDING, Source

# kind -> label shown in the editor
PARAGRAPH_KINDS = {
    "point": "一是……",
    "text": "普通段落",
    "heading2": "（一）小标题",
    "heading3": "1. 小标题",
    "heading4": "（1）小标题",
    "addressee": "主送机关（顶格）",
}
HEADING_LEVELS = {"heading2": 2, "heading3": 3, "heading4": 4}
SCRIPTS = {"": "简体", "s2t": "繁体（OpenCC 标准）", "s2tw": "繁体（台湾）", "s2hk": "繁体（香港）"}
PRECISIONS = {None: "与对比页面一致", 0: "整数", 1: "一位小数", 2: "两位小数"}
DEFAULT_RATE = 220  # 字/分钟: official speeches are read at about 200–250
MAX_TEXT = 20000  # characters in one paragraph; a guard, far above any real paragraph


def new_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class Paragraph:
    """One paragraph; for a point, ``topic`` is the short phrase said after 一是."""

    text: str = ""
    kind: str = "text"
    topic: str = ""
    origin: str = "user"  # data / phrase / template / finding / placeholder / user
    sources: list[Source] = field(default_factory=list)  # what each generated sentence rests on
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if self.kind not in PARAGRAPH_KINDS:
            raise JianfuError(f"段落类型“{self.kind}”无效，应为：{'、'.join(PARAGRAPH_KINDS)}")
        self.text = clean_text(self.text, self.kind)
        self.topic = clean_text(self.topic, self.kind)
        self.sources = [_source(s) for s in self.sources or []]


@dataclass
class Section:
    """A numbered part (一、认识体会) or, with ``numbered=False``, an opening or closing."""

    title: str = ""
    numbered: bool = True
    key: str = ""
    guidance: str = ""
    needs_figure: bool = False
    needs_evidence: bool = False  # a problems section: every claim rests on evidence
    paragraphs: list[Paragraph] = field(default_factory=list)
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.title = strip_marker(file_text(self.title, lines=False), "section")


@dataclass
class Draft:
    """A whole draft with its settings; numbering is done by :mod:`render`."""

    genre: str = ""
    title: str = ""
    subtitle: str = ""
    speaker: str = ""
    occasion: str = ""
    unit: str = ""
    before: str = ""
    after: str = ""
    signature: str = ""
    date: str = ""
    digits: int | None = None  # None: the 对比 page's rule; 0–2: the writer's override
    disabled_levels: list[str] = field(default_factory=list)  # threshold levels left out
    rate: int = DEFAULT_RATE
    limit_minutes: float | None = None
    limit_chars: int | None = None
    script: str = ""
    font_scheme: str = "official"
    extra_slogans: list[str] = field(default_factory=list)
    first_person: bool = False  # the unit speaks for itself (我县/我镇/我局 is idiomatic)
    self_name: str = ""  # what the body calls the unit: 我县, or its name; "" not chosen
    sections: list[Section] = field(default_factory=list)
    id: str = field(default_factory=new_id)

    # ---- finding things ------------------------------------------------
    def paragraphs(self) -> list[tuple[Section, Paragraph]]:
        return [(s, p) for s in self.sections for p in s.paragraphs]

    def paragraph(self, pid: str) -> Paragraph:
        return self._locate(pid)[1]

    def section(self, sid: str) -> Section:
        for section in self.sections:
            if section.id == sid:
                return section
        raise JianfuError("找不到这一部分，可能已被删除")

    def section_of(self, pid: str) -> Section:
        return self._locate(pid)[0]

    def _locate(self, pid: str) -> tuple[Section, Paragraph]:
        for section in self.sections:
            for paragraph in section.paragraphs:
                if paragraph.id == pid:
                    return section, paragraph
        raise JianfuError("找不到这一段，可能已被删除")

    # ---- editing paragraphs --------------------------------------------
    def set_text(self, pid: str, text: str) -> None:
        paragraph = self.paragraph(pid)
        paragraph.text = clean_text(text, paragraph.kind)

    def set_topic(self, pid: str, topic: str) -> None:
        paragraph = self.paragraph(pid)
        paragraph.topic = clean_text(topic, paragraph.kind)

    def confirm(self, pid: str) -> None:
        """The writer vouches for the paragraph's phrase-bank 做法: the 待核实 marks go."""
        paragraph = self.paragraph(pid)
        paragraph.text = paragraph.text.replace(PENDING, "")
        paragraph.topic = paragraph.topic.replace(PENDING, "")

    def use_self_name(self, name: str) -> int:
        """Call the unit ``name`` (我县) in the body instead of its full name; returns replacements."""
        name = (name or "").strip()
        old = self.self_name if self.self_name.startswith("我") and self.self_name != "我们" else ""
        self.self_name = name
        targets = [t for t in dict.fromkeys((self.unit, old)) if t and t != name]
        if not name or not targets:
            return 0
        count = 0
        for _, paragraph in self.paragraphs():
            for target in targets:
                count += paragraph.text.count(target) + paragraph.topic.count(target)
                paragraph.text = paragraph.text.replace(target, name)
                paragraph.topic = paragraph.topic.replace(target, name)
                for source in paragraph.sources:
                    source.text = source.text.replace(target, name)
        return count

    def set_kind(self, pid: str, kind: str) -> None:
        paragraph = self.paragraph(pid)
        if kind not in PARAGRAPH_KINDS:
            raise JianfuError(f"段落类型“{kind}”无效")
        paragraph.kind = kind
        paragraph.text = clean_text(paragraph.text, kind)

    def add_paragraph(
        self,
        sid: str,
        text: str = "",
        kind: str = "point",
        *,
        after: str | None = None,
        topic: str = "",
        origin: str = "user",
        sources: list[Source] | None = None,
    ) -> Paragraph:
        """A new paragraph in section ``sid``, after paragraph ``after`` (default: at the end)."""
        section = self.section(sid)
        paragraph = Paragraph(
            text=text, kind=kind, topic=topic, origin=origin, sources=list(sources or [])
        )
        ids = [p.id for p in section.paragraphs]
        position = ids.index(after) + 1 if after in ids else len(ids)
        section.paragraphs.insert(position, paragraph)
        return paragraph

    def remove_paragraph(self, pid: str) -> None:
        section, paragraph = self._locate(pid)
        section.paragraphs.remove(paragraph)

    def move_paragraph(self, pid: str, step: int) -> None:
        """Move up (step -1) or down (+1); past a section's edge it joins the next section."""
        section, paragraph = self._locate(pid)
        index = section.paragraphs.index(paragraph)
        target = index + step
        if 0 <= target < len(section.paragraphs):
            items = section.paragraphs
            items[index], items[target] = items[target], items[index]
            return
        s_index = self.sections.index(section)
        neighbour = s_index + (1 if step > 0 else -1)
        if not 0 <= neighbour < len(self.sections):
            return
        section.paragraphs.remove(paragraph)
        other = self.sections[neighbour].paragraphs
        other.insert(0 if step > 0 else len(other), paragraph)

    # ---- editing sections ----------------------------------------------
    def add_section(self, title: str, *, after: str | None = None) -> Section:
        section = Section(title=title, numbered=True, key="user")
        ids = [s.id for s in self.sections]
        position = ids.index(after) + 1 if after in ids else len(ids)
        self.sections.insert(position, section)
        return section

    def rename_section(self, sid: str, title: str) -> None:
        self.section(sid).title = strip_marker(file_text(title, lines=False), "section")

    def remove_section(self, sid: str) -> None:
        self.sections.remove(self.section(sid))

    def move_section(self, sid: str, step: int) -> None:
        section = self.section(sid)
        index = self.sections.index(section)
        target = index + step
        if 0 <= target < len(self.sections):
            self.sections[index], self.sections[target] = self.sections[target], section

    # ---- persistence ---------------------------------------------------
    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Draft:
        """Rebuild a saved draft; unknown keys (from a newer version) are ignored."""
        known = {f.name for f in fields(cls)} - {"sections"}
        draft = cls(**{k: v for k, v in data.items() if k in known})
        draft.sections = [_section(s) for s in data.get("sections", [])]
        return draft

    def copy(self) -> Draft:
        """An independent copy with a new id (paragraph ids kept: they are local)."""
        clone = Draft.from_dict(self.to_dict())
        clone.id = new_id()
        return clone


def _section(data: dict) -> Section:
    known = {f.name for f in fields(Section)} - {"paragraphs"}
    section = Section(**{k: v for k, v in data.items() if k in known})
    section.paragraphs = [
        Paragraph(**{k: v for k, v in p.items() if k in {f.name for f in fields(Paragraph)}})
        for p in data.get("paragraphs", [])
    ]
    return section


def _source(data: Source | dict) -> Source:
    if isinstance(data, Source):
        return data
    known = {f.name for f in fields(Source)}
    return Source(**{k: str(v) for k, v in dict(data).items() if k in known})


def clean_text(text: str, kind: str) -> str:
    """Text as stored: no typed number marker, no stray line breaks, within a sane length."""
    text = "".join(line.strip() for line in file_text(text or "").splitlines())
    if len(text) > MAX_TEXT:
        raise JianfuError(f"一段文字不能超过{MAX_TEXT}字，请分成几段")
    return strip_marker(text, kind)
