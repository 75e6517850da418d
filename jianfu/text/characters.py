"""Which characters text may hold: one rule where text enters, the same rule in every writer.

Files the workbook writes are XML inside (.xlsx, .docx, the charts' SVG) or are
opened by Excel (.csv). A control character, a noncharacter such as U+FFFE or a
lone surrogate makes openpyxl and python-docx refuse to save, and makes
vl-convert's SVG parser panic and abort the whole process (a page's kernel with
it). :func:`clean_text` removes them; every boundary where text comes in (import,
forms, draft editor, public answers, data files) calls it, and every writer calls
it again, so text stored before this rule existed cannot break a file either.

Names follow a stricter rule (:func:`clean_name`): format characters (Unicode
category Cf: zero-width spaces, bidi isolates, U+180E …) and other characters
that show nothing make “城关镇” and “城\u2066关镇” two units, so they go; letters
that look like a blank (U+3164 HANGUL FILLER, U+2800 BRAILLE BLANK …) count as
spaces.

The formula guard for spreadsheets is in :mod:`jianfu.text.formula`.
"""

from __future__ import annotations

import re

# C0 controls but tab, LF and CR; DEL and the C1 controls; surrogates (a lone one cannot
# even be encoded as UTF-8); noncharacters U+FDD0–U+FDEF and the last two of every plane
_NONCHARACTERS = "".join(chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(17))
UNHOLDABLE = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]"
)
# line breaks a file cannot hold (vertical tab: Word's Shift+Enter; form feed); NEL
# (U+0085) is dropped like the other C1 controls: in practice it is a misread “…”
_CONTROL_BREAK = re.compile("[\x0b\x0c]")
_TAB_OR_BREAK = re.compile("[\t\n\r\x0b\x0c\u2028\u2029]+")
_SUSPECT = {
    True: UNHOLDABLE,
    False: re.compile(f"{UNHOLDABLE.pattern}|[\t\n\r\u2028\u2029]"),
}

# every category Cf character (Unicode 15), and the other default-ignorable ones that
# draw nothing: combining grapheme joiner, Khmer inherent vowels, Mongolian variation
# selectors, variation selectors, U+FFF0–U+FFF8, the tag and variation-selector planes
INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    "\u034f\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0f\ufff0-\ufff8]"
)
# letters that look like a space: Hangul fillers, braille blank
BLANK_LOOKING = re.compile("[\u115f\u1160\u3164\uffa0\u2800]")


def clean_text(value: object, *, lines: bool = True) -> str:
    """Text as every file format can hold it (None -> "").

    Control characters, noncharacters and lone surrogates go; vertical tab and
    form feed, which break lines, become LF. With
    ``lines=False`` (a one-line field) tabs and line breaks become a space.
    Nothing else changes.
    """
    text = "" if value is None else str(value)
    if _SUSPECT[lines].search(text) is None:
        return text
    if not lines:
        text = _TAB_OR_BREAK.sub(" ", text)
    return UNHOLDABLE.sub("", _CONTROL_BREAK.sub("\n", text))


def clean_name(value: object) -> str:
    """A unit name, period label or other one-line name as stored.

    :func:`clean_text` on one line, invisible characters gone, blank-looking
    letters, line breaks, tabs and full-width spaces count as spaces, runs of
    spaces collapsed, no spaces at either end. The spelling is otherwise kept.
    """
    text = INVISIBLE.sub("", clean_text(value, lines=False))
    return re.sub(r"[\s\u3000]+", " ", BLANK_LOOKING.sub(" ", text)).strip()


def cleaned_strings(value: object, clean=clean_text) -> object:
    """``value`` with every string inside dicts, lists and tuples passed through ``clean``
    (a chart specification, parsed YAML). Dict keys are cleaned too."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {cleaned_strings(k, clean): cleaned_strings(v, clean) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(cleaned_strings(v, clean) for v in value)
    return value
