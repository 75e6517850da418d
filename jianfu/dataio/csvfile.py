"""Reading CSV files as Excel, WPS and older systems save them.

Encodings: UTF-8 (with or without BOM), UTF-16 (Excel's “Unicode文本”), GB18030 (a
superset of GBK, the default of Chinese Windows) and Big5 (traditional Chinese):
Big5 bytes are mostly valid GB18030 too, so the decoding whose characters are
likelier wins, and text of unlikely characters is refused rather than shown as
mojibake. The delimiter is sniffed on the header and data lines, not on a title
line above them; a quote left open is refused with its line, never allowed to
swallow the rows after it.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from functools import lru_cache

from . import sheets
from .rules import say
from .sheets import Sheet, blank_row, fail

DELIMITERS = (",", "\t", ";")
SNIFF_LINES = 30
# more unlikely characters than this among the non-ASCII ones: not this encoding
UNLIKELY_SHARE = 0.3
CLEARLY_FINE = 0.02  # GB18030 text this clean needs no second reading


def csv_sheet(data: bytes, name: str) -> Sheet:
    text, encoding = _decode(data, name)
    delimiter = _delimiter(text)
    cells = (
        [value if value.strip() else None for value in r] for r in _records(text, delimiter, name)
    )
    rows = [(n, values) for n, values in enumerate(cells, start=1) if not blank_row(values)]
    if len(rows) > sheets.MAX_ROWS + 1:
        sheets.too_many_rows(name)
    return Sheet("", rows, encoding=encoding)


def _records(text: str, delimiter: str, name: str) -> list[list[str]]:
    """The records (one per row as Excel shows them; blank lines count).

    A record whose quote is never closed, or closed only lines later around whole
    rows, is refused with the text line where it starts.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out, line = [], 1
    try:
        for record in reader:
            out.append(record)
            if reader.line_num > line and _swallowed(record, delimiter, out):
                fail(name, say("csv_quote", line=line))
            line = reader.line_num + 1
    except csv.Error:
        key = "csv_quote" if _open_quote(text, line) else "csv_broken"
        fail(name, say(key, line=line))
    return out


def _swallowed(record: list[str], delimiter: str, seen: list) -> bool:
    """A multi-line cell that holds whole rows: a quote opened by mistake, closed later."""
    width = max(len(r) for r in seen[:SNIFF_LINES])
    for value in record:
        lines = value.splitlines()
        if any(part.count(delimiter) >= max(width - 2, 2) for part in lines[1:]):
            return True
    return False


def _open_quote(text: str, line: int) -> bool:
    rest = "\n".join(text.splitlines()[line - 1 :])
    return rest.count('"') % 2 == 1


def _delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits most lines into the same number of
    fields (a title line above the header has none; ties: comma)."""
    lines = [line for line in text.splitlines() if line.strip()][:SNIFF_LINES]

    def score(d: str) -> tuple[int, int]:
        counts = [line.count(d) for line in lines]
        common = max(set(counts) - {0}, key=counts.count, default=0)
        return (counts.count(common) if common else 0, common)

    best = max(DELIMITERS, key=score)
    return best if score(best)[0] else ","


# ---------------------------------------------------------------- encodings


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding worth naming: "Big5" or "")."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's “Unicode文本” is UTF-16
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), ""  # valid UTF-8 is almost never anything else
    except UnicodeDecodeError:
        pass
    found = {}
    for encoding in ("gb18030", "big5"):  # Big5 only when GB18030 reads oddly
        text = _try(data, encoding)
        if text is not None:
            found[encoding] = (unlikely_share(text), text)
            if found[encoding][0] <= CLEARLY_FINE:
                break
    if found:
        encoding, (share, text) = min(found.items(), key=lambda item: item[1][0])
        if share <= UNLIKELY_SHARE:
            return text, "Big5" if encoding == "big5" else ""
        fail(name, say("encoding"))
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        fail(name, say("encoding"))
    return str(best), ""


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def unlikely_share(text: str) -> float:
    """Share of the non-ASCII characters that Chinese tables hardly ever hold.

    GB18030 mojibake of a Big5 file is full of kana, private-use and rare characters;
    real text is made of common simplified (GB2312) or traditional (Big5 level 1)
    characters, punctuation and letters.
    """
    counts = Counter(text)
    others = sum(n for ch, n in counts.items() if ord(ch) > 127)
    if not others:
        return 0.0
    return sum(n for ch, n in counts.items() if ord(ch) > 127 and _unlikely(ch)) / others


@lru_cache(maxsize=65536)
def _unlikely(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category in ("Co", "Cn", "Cs") or (category == "Cc" and ch not in "\t\r\n"):
        return True
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF or 0x2500 <= code <= 0x257F:
        return True  # kana, hangul, box drawing
    if not ("\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"):
        return False  # punctuation, full-width forms, letters
    return not (_in(ch, "gb2312") or 0xA440 <= int.from_bytes(_bytes(ch, "big5")) <= 0xC67E)


def _in(ch: str, encoding: str) -> bool:
    return bool(_bytes(ch, encoding))


def _bytes(ch: str, encoding: str) -> bytes:
    try:
        return ch.encode(encoding)
    except UnicodeEncodeError:
        return b""
