"""Checks a careful reader would make on a draft; each finding points at a paragraph.

- 缺少数字: a section that should carry figures (``needs_figure`` in the genre) has none;
- 数字与数据不符: a figure after an indicator's name that the engine does not give
  for it at the draft's precision;
- 概括数与条目数不符: "五个统筹" followed by four points;
- 小标题不对仗: a sibling heading whose length, quoted keyword, comma or opening
  words break the pattern of the others;
- 用语重复: the same phrase (five characters or more) used too often;
- 句子过长: a sentence longer than :data:`MAX_SENTENCE` spoken characters;
- 空话套话偏多: empty slogans (the phrase bank's list plus the user's) piling up;
- 超出时限: the draft runs over its time (or length) limit;
- 时期长短不同: a full year compared with half a year (or a quarter, a month);
- 篇幅不足, 只有“一是”, 句式雷同, 称呼本单位: see style.py;
- 缺少问题依据, 做法待核实, 待补充: see grounding.py.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter

from ..text.periods import period_span
from .figures import IndicatorFigures, figure_matches, has_figure, same_figure
from .finding import CHECKS, Finding
from .grounding import check_grounding, finding_sentences
from .model import Draft
from .numbering import chinese_number, parse_chinese_number
from .phrasebank import PhraseBank
from .render import Block, blocks, fmt_minutes, length, spoken_chars
from .sources import normal
from .style import check_lone_points, check_same_formula, check_self_name, check_too_short

__all__ = ["CHECKS", "Finding", "locate", "run_checks"]

MAX_SENTENCE = 80  # spoken characters; longer sentences are hard to read out and to follow
REPEAT_MIN_CHARS = 5  # shorter strings are topic words (基层干部), not phrases
REPEAT_LIMIT = 3  # a phrase used this often is flagged
SLOGANS_PER_PARAGRAPH = 3  # this many empty slogans in one paragraph are too many
SLOGAN_SHARE = 0.15  # …or two or more taking this share of a paragraph without a figure
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
_CLAUSE = re.compile(r"[，,：:]")
_COUNT = re.compile(r"([两二三四五六七八九十]+)个[“\"]?([\u4e00-\u9fff]{2,4})[”\"]?")
_NOT_ITEMS = ("百分点", "月", "小时", "工作日", "星期", "季度", "年度", "单位", "部门", "人")
_INLINE_POINT = re.compile(r"[一二三四五六七八九十]+是")
_DATA_WORDS = re.compile(r"同比|分别|减少|增加|提高|下降|持平|个百分点|由|到|为")


def run_checks(
    draft: Draft, figures: list[IndicatorFigures], bank: PhraseBank | None = None
) -> list[Finding]:
    """Every check on ``draft``; ``figures`` are the engine's (see figures.indicator_figures)."""
    items = blocks(draft)
    slogans = tuple(dict.fromkeys([*(bank.slogans if bank else ()), *draft.extra_slogans]))
    formulas = bank.formulas if bank else ()
    return [
        *check_grounding(draft),
        *check_sections_have_figures(draft),
        *check_figures(items, figures, finding_sentences(draft)),
        *check_counts(draft, items, formulas),
        *check_lone_points(draft),
        *check_same_formula(draft),
        *check_parallel(draft),
        *check_repeats(items, figures, draft.unit),
        *check_long_sentences(items),
        *check_slogans(items, slogans),
        *check_self_name(draft, items),
        *check_too_short(draft),
        *check_limit(draft, items),
        *check_period_spans(draft),
    ]


def check_period_spans(draft: Draft) -> list[Finding]:
    """A full year against half a year: every count in the draft compares unequal spans."""
    before, after = period_span(draft.before or ""), period_span(draft.after or "")
    if not (before and after) or before == after:
        return []
    message = (
        f"基期“{draft.before}”是{before}，比较期“{draft.after}”是{after}：件数、次数等前后不能直接比较，"
        "稿中的增减和百分比会误导听众；请改选长短相同的两个时期（如两个全年或两个上半年）"
    )
    return [Finding("period_span", message)]


# ---- figures ---------------------------------------------------------------


def check_sections_have_figures(draft: Draft) -> list[Finding]:
    out = []
    for section in draft.sections:
        if not section.needs_figure:
            continue
        texts = [p.topic + p.text for p in section.paragraphs]
        if not any(has_figure(t) for t in texts):
            first = section.paragraphs[0].id if section.paragraphs else None
            out.append(
                Finding(
                    "no_figure",
                    f"“{section.title or '这一部分'}”没有一个数字：用对比数据说明做法和成效",
                    first,
                    section.id,
                )
            )
    return out


def check_figures(
    items: list[Block], figures: list[IndicatorFigures], survey: frozenset[str] = frozenset()
) -> list[Finding]:
    """Numbers after an indicator's name must be among the engine's figures for it.

    ``survey``: the self-assessment's own sentences as generated (normalised); their
    figures are the survey's (“工作群负担重（1人次）”), not an indicator's, and are
    left alone while the sentence is unchanged.
    """
    names = sorted(((name, f) for f in figures for name in f.names), key=lambda item: -len(item[0]))
    out = []
    for block in items:
        if not block.paragraph_id:
            continue
        for sentence in _SENTENCE.findall(unicodedata.normalize("NFKC", block.text)):
            if normal(sentence) in survey:
                continue
            for number, indicators in _figures_after_names(sentence, names):
                allowed = {x for f in indicators for x in f.figures}
                if any(same_figure(number, x) for x in allowed):
                    continue
                which = "、".join(f.names[0] for f in indicators)
                out.append(
                    Finding(
                        "figure",
                        f"“{number}”与{which}的数据不符（按本稿精度，数据中没有这个数）",
                        block.paragraph_id,
                        block.section_id,
                    )
                )
    return out


def _figures_after_names(sentence: str, names) -> list[tuple[str, list[IndicatorFigures]]]:
    """(number, indicators named before it in its clause or the nearest clause before)."""
    spans = _name_spans(sentence, names)
    if not spans:
        return []
    clause_starts = [0] + [m.end() for m in _CLAUSE.finditer(sentence)]
    found = []
    for match in figure_matches(sentence):
        pos = match.start()
        if any(start <= pos < end for start, end, _ in spans):
            continue  # a digit inside a name
        before = [(s, f) for s, e, f in spans if e <= pos]
        if not before:
            continue
        last_start = before[-1][0]
        clause = max(c for c in clause_starts if c <= last_start)
        indicators = list(dict.fromkeys(f for s, f in before if s >= clause))
        found.append((match.group(1), indicators))
    return found


def _name_spans(text: str, names) -> list[tuple[int, int, IndicatorFigures]]:
    """Longest-first, non-overlapping occurrences of indicator names."""
    taken = [False] * len(text)
    spans = []
    for name, item in names:
        for m in re.finditer(re.escape(name), text):
            if not any(taken[m.start() : m.end()]):
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                spans.append((m.start(), m.end(), item))
    return sorted(spans, key=lambda s: s[0])


# ---- summarising counts ----------------------------------------------------


def check_counts(draft: Draft, items: list[Block], formulas: tuple[str, ...]) -> list[Finding]:
    """“三个加深” in a heading or lead-in must be followed by three items."""
    out = []
    for section in draft.sections:
        paragraphs = section.paragraphs
        direct = [p for p in paragraphs if p.kind == "heading2"] or [
            p for p in paragraphs if p.kind == "point"
        ]
        lead_in = next((p for p in paragraphs if p.kind == "text"), None)
        places = [(section.title, None)]
        if lead_in is not None and (
            not direct or paragraphs.index(lead_in) < paragraphs.index(direct[0])
        ):
            places.append((lead_in.text, lead_in.id))
        for text, pid in places:
            for n, phrase, end in _counts(text, formulas):
                inline = len(_INLINE_POINT.findall(text[end:]))
                have = inline or len(direct)
                if have and have != n:
                    out.append(_count_finding(phrase, n, have, pid or _first(section), section.id))
        for i, p in enumerate(paragraphs):
            if p.kind in ("heading2", "heading3"):
                nxt = next(
                    (j for j in range(i + 1, len(paragraphs)) if paragraphs[j].kind == p.kind),
                    len(paragraphs),
                )
                below = [q for q in paragraphs[i + 1 : nxt] if q.kind != "text"]
                for n, phrase, _ in _counts(p.text, formulas):
                    if below and len(below) != n:
                        out.append(_count_finding(phrase, n, len(below), p.id, section.id))
            elif p.kind in ("point", "text") and p is not lead_in:
                body = p.topic + p.text
                for n, phrase, end in _counts(body, formulas):
                    inline = len(_INLINE_POINT.findall(body[end:]))
                    if inline and inline != n:
                        out.append(_count_finding(phrase, n, inline, p.id, section.id))
    return out


def _counts(text: str, formulas: tuple[str, ...]) -> list[tuple[int, str, int]]:
    found = []
    for m in _COUNT.finditer(text):
        n = parse_chinese_number(m.group(1))
        word = m.group(2)
        if n is None or n < 2 or word.startswith(_NOT_ITEMS) or _is_formula(m.group(0), formulas):
            continue
        found.append((n, m.group(0), m.end()))
    return found


def _is_formula(phrase: str, formulas: tuple[str, ...]) -> bool:
    plain = phrase.replace("“", "").replace("”", "").replace('"', "")
    return any(plain.startswith(f) or f.startswith(plain) for f in formulas)


def _count_finding(phrase: str, n: int, have: int, pid, sid) -> Finding:
    return Finding(
        "count",
        f"“{phrase}”说的是{chinese_number(n)}条，后面实际有{have}条",
        pid,
        sid,
    )


def _first(section) -> str | None:
    return section.paragraphs[0].id if section.paragraphs else None


# ---- parallel headings -----------------------------------------------------


def check_parallel(draft: Draft) -> list[Finding]:
    """Sibling headings (sections, （一） headings, point topics) should share a shape."""
    groups = [[(s.title, _first(s), s.id) for s in draft.sections if s.numbered and s.title]]
    for s in draft.sections:
        groups.append([(p.text, p.id, s.id) for p in s.paragraphs if p.kind == "heading2"])
        groups.append(
            [(p.topic, p.id, s.id) for p in s.paragraphs if p.kind == "point" and p.topic]
        )
    out = []
    for group in groups:
        out += _parallel(group)
    return out


def _parallel(group: list[tuple[str, str | None, str]]) -> list[Finding]:
    if len(group) < 3:
        return []
    texts = [g[0] for g in group]
    lengths = [spoken_chars(t) for t in texts]
    median = statistics.median(lengths)
    features = {
        "quoted": ([("“" in t) for t in texts], "加引号的关键词"),
        "comma": ([("，" in t) for t in texts], "逗号分成的前后两半"),
    }
    openings = Counter(t[:2] for t in texts)
    common, times = openings.most_common(1)[0]
    out = []
    for i, (text, pid, sid) in enumerate(group):
        reasons = []
        if abs(lengths[i] - median) > max(3, 0.35 * median):
            reasons.append(f"长度{lengths[i]}字，其他约{median:g}字")
        for flags, what in features.values():
            if not flags[i] and sum(flags) * 3 >= len(flags) * 2:
                reasons.append(f"其他小标题都有{what}")
        if times * 3 >= len(texts) * 2 and times < len(texts) and not text.startswith(common):
            reasons.append(f"其他小标题都以“{common}”开头")
        if reasons:
            out.append(
                Finding("parallel", f"“{text}”与同级小标题不对仗：{'；'.join(reasons)}", pid, sid)
            )
    return out


# ---- wording -----------------------------------------------------------------


def check_repeats(items: list[Block], figures: list[IndicatorFigures], unit: str) -> list[Finding]:
    """Phrases of five or more characters used :data:`REPEAT_LIMIT` times or more."""
    names = sorted({n for f in figures for n in f.names} | ({unit} if unit else set()), key=len)
    texts = []
    for block in items:
        if not block.paragraph_id:
            continue
        text = block.text[len(block.lead) :] if block.lead else block.text
        for name in reversed(names):
            text = text.replace(name, "|")
        text = _DATA_WORDS.sub("|", re.sub(r"[^\u4e00-\u9fff]+", "|", text))
        texts.append((block, text))
    whole = "\n".join(t for _, t in texts)
    grams = Counter(
        t[i : i + REPEAT_MIN_CHARS]
        for _, t in texts
        for i in range(len(t) - REPEAT_MIN_CHARS + 1)
        if "|" not in t[i : i + REPEAT_MIN_CHARS]
    )
    phrases: list[str] = []
    for gram, count in grams.most_common():
        if count < REPEAT_LIMIT:
            break
        phrase = _extend(gram, whole)
        if not any(phrase in p or p in phrase for p in phrases):
            phrases.append(phrase)
    out = []
    for phrase in phrases[:5]:
        seen = 0
        for block, text in texts:
            seen += text.count(phrase)
            if seen >= REPEAT_LIMIT:
                out.append(
                    Finding(
                        "repeat",
                        f"“{phrase}”用了{whole.count(phrase)}次，换个说法或合并",
                        block.paragraph_id,
                        block.section_id,
                    )
                )
                break
    return out


def _extend(gram: str, whole: str) -> str:
    """Grow a repeated string to the right while it stays just as frequent."""
    count = whole.count(gram)
    phrase = gram
    while True:
        i = whole.find(phrase)
        nxt = whole[i + len(phrase) : i + len(phrase) + 1]
        if not nxt or nxt in "|\n" or whole.count(phrase + nxt) < count:
            return phrase
        phrase += nxt


def check_long_sentences(items: list[Block]) -> list[Finding]:
    out = []
    for block in items:
        if not block.paragraph_id:
            continue
        for sentence in _SENTENCE.findall(block.text):
            n = spoken_chars(sentence)
            if n > MAX_SENTENCE:
                start = sentence.strip()[:12]
                out.append(
                    Finding(
                        "long_sentence",
                        f"“{start}……”一句有{n}字（超过{MAX_SENTENCE}字），读起来费力，可拆成两句",
                        block.paragraph_id,
                        block.section_id,
                    )
                )
    return out


def check_slogans(items: list[Block], slogans: tuple[str, ...]) -> list[Finding]:
    out = []
    if not slogans:
        return out
    for block in items:
        if not block.paragraph_id:
            continue
        hits = [s for s in slogans for _ in range(block.text.count(s))]
        chars = spoken_chars(block.text) or 1
        share = sum(len(s) for s in hits) / chars
        crowded = len(hits) >= SLOGANS_PER_PARAGRAPH
        empty = len(hits) >= 2 and share >= SLOGAN_SHARE and not has_figure(block.text)
        if crowded or empty:
            shown = "、".join(dict.fromkeys(hits))
            out.append(
                Finding(
                    "slogans",
                    f"这一段有{len(hits)}处空话套话（{shown}），换成具体做法和数字",
                    block.paragraph_id,
                    block.section_id,
                )
            )
    return out


def check_limit(draft: Draft, items: list[Block]) -> list[Finding]:
    """Over the limit: point at the paragraph where the limit is crossed."""
    total = length(draft)
    if not total.over:
        return []
    limit_chars = (
        int(total.limit_minutes * draft.rate) if total.limit_minutes else total.limit_chars or 0
    )
    running = 0
    for block in items:
        if not block.spoken:
            continue
        running += spoken_chars(block.text)
        if running > limit_chars and block.paragraph_id:
            cut = total.chars - limit_chars
            if total.limit_minutes:
                said = (
                    f"全文约{fmt_minutes(total.minutes)}，超过限时{total.limit_minutes:g}分钟，"
                    f"从这一段起超时，需删减约{cut}字"
                )
            else:
                said = f"全文{total.chars}字，超过{total.limit_chars}字，从这一段起超出，需删减约{cut}字"
            return [Finding("over_limit", said, block.paragraph_id, block.section_id)]
    return []


def locate(draft: Draft, finding: Finding) -> str:
    """Where a finding points, as a reader says it: “二、主要做法和成效 第3段”."""
    number = 0
    for section in draft.sections:
        if section.numbered and section.title:
            number += 1
        ids = [p.id for p in section.paragraphs]
        if finding.paragraph_id in ids or (
            finding.paragraph_id is None and finding.section_id == section.id
        ):
            name = (
                f"{chinese_number(number)}、{section.title}"
                if section.numbered and section.title
                else ("开头" if number == 0 else "结尾")
            )
            if finding.paragraph_id in ids:
                return f"{name} 第{ids.index(finding.paragraph_id) + 1}段"
            return name
    return "全文"
