"""Files from a draft by suffix: .docx (公文 layout), .md, .txt; Traditional on request."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import JianfuError
from ..text.characters import clean_text
from ..text.files import safe_file_name
from .figures import figures_note
from .model import Draft
from .render import to_markdown, to_text
from .script import convert

FORMATS = {
    ".docx": (
        "Word 文档",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".md": ("Markdown", "text/markdown; charset=utf-8"),
    ".txt": ("纯文本", "text/plain; charset=utf-8"),
}
TITLE_CHARS = 60  # a longer title is cut short in the file name


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    filename: str
    mime: str


def export_draft(draft: Draft, suffix: str, script: str | None = None) -> ExportFile:
    """The draft as a file of type ``suffix`` (.docx, .md or .txt).

    The Word file's properties (备注) and a comment at the end of the Markdown say
    which precision the figures follow; plain text is for pasting and has none.

    ``script`` (s2t, s2tw, s2hk) converts to Traditional Chinese; None uses the
    draft's own setting, "" keeps Simplified.
    """
    suffix = suffix.lower()
    if suffix not in FORMATS:
        raise JianfuError(f"不支持的文件类型“{suffix}”，可选：{'、'.join(FORMATS)}")
    script = draft.script if script is None else script
    if suffix == ".docx":
        from .word import draft_docx  # python-docx loads only when a Word file is wanted

        data = draft_docx(draft, script)
    elif suffix == ".md":  # the metadata as a comment Markdown viewers do not show
        note = f"\n<!-- {figures_note(draft)} -->\n"
        data = convert(clean_text(to_markdown(draft)) + note, script).encode("utf-8")
    else:
        data = convert(clean_text(to_text(draft)), script).encode("utf-8")
    return ExportFile(data, file_name(draft, suffix), FORMATS[suffix][1])


def file_name(draft: Draft, suffix: str) -> str:
    """A safe file name from the title: “减负减出好作风.docx”."""
    return safe_file_name(draft.title, "发言稿", limit=TITLE_CHARS) + suffix


def write_draft(draft: Draft, path: str | Path, script: str | None = None) -> Path:
    """Write the draft to ``path``; the suffix picks the format."""
    path = Path(path)
    exported = export_draft(draft, path.suffix, script)
    path.write_bytes(exported.data)
    return path
