"""HTML of the 自评汇总 dashboard: results for the facilitator's page, and the projector screen.

Everything shown is a jianfu.assess aggregate; which groups may show results is
the session's Disclosure (fewer than five, or a group that would give away
such a group by subtraction, shows its size only). Only released comments
appear. Every piece of text is escaped by the templates (widgets/templates/dash_*.html); styles in static/jianfu.css
(``jf-dash`` for the page, ``jf-proj`` for the projector).
"""

from __future__ import annotations

from jianfu.assess.aggregate import (
    MIN_GROUP,
    Filters,
    GroupRow,
    Summary,
    breakdown,
    round_comparison,
    select,
)
from jianfu.assess.disclosure import DERIVABLE, Disclosure
from jianfu.assess.questionnaire import Questionnaire
from jianfu.assess.store import Response, Session
from jianfu.numbers.format import fmt_number

from .assess_html import heat_map, level_class, qr_svg, score_bars
from .templating import render, trusted

PROJECTOR_PROBLEMS = 5
PROJECTOR_COMMENTS = 3
DERIVED_ROW = "与其他分组相减可推算出不足5人的结果，不单独显示"
SMALL_ROW = f"不足{MIN_GROUP}人，不单独显示"


def wait_message(s: Summary) -> str:
    """What shows instead of results, and why."""
    if s.withheld == DERIVABLE:
        return (
            f"已提交{s.n}份。这一组与其他已显示的分组相减，可推算出不足{MIN_GROUP}人的结果，"
            "为保护匿名，暂不显示。"
        )
    return f"已提交{s.n}份。满{MIN_GROUP}份后显示结果（人数太少时不显示，以免推测出个人的答案）。"


def address_html(url: str) -> str:
    """The address, breakable only before its session code (never inside it)."""
    base, _, code = url.partition("?")
    return render("dash_address.html", base=base, code=code)


def link_html(session: Session, url: str) -> str:
    return render(
        "dash_link.html",
        qr=trusted(qr_svg(url)),
        title=session.title,
        address=trusted(address_html(url)),
        round=session.round,
        state="收集中" if session.is_open else "已结束",
    )


def count_html(submitted: int, answering: int) -> str:
    return render("dash_count.html", submitted=submitted, answering=answering)


def kpis_html(form: Questionnaire, s: Summary) -> str:
    level = form.level(s.index)
    return render(
        "dash_kpis.html",
        level_class=level_class(level),
        index="不足" if s.index is None else fmt_number(s.index, 0),
        level=level,
        overall=fmt_number(s.overall, 1),
        gain=fmt_number(s.gain, 0),
    )


def problems_html(s: Summary, limit: int | None = None) -> str:
    shown = s.problems[:limit] if limit else s.problems
    top = shown[0][1] if shown else 1
    return render("dash_problems.html", problems=shown, top=top)


def comments_html(s: Summary, limit: int | None = None) -> str:
    shown = [c.text for c in s.comments if c.shown]
    listed = shown[-limit:] if limit else shown  # the projector: the latest released
    return render("dash_comments.html", total=len(shown), listed=listed)


def results_html(
    form: Questionnaire,
    s: Summary,
    submitted: list[Response],
    filters: Filters,
    disclosure: Disclosure,
) -> str:
    """The facilitator's page: everything, with withheld groups as counts only."""
    if s.suppressed:
        return render("dash_wait.html", wait=wait_message(s))
    labels = [label for _, label in form.levels] + ["不足"]
    heat = heat_map(
        [(str(n), i.text, i.counts, i.unknown) for n, i in enumerate(s.items, 1)],
        form.scale.labels,
        form.unknown_label,
    )
    bars = score_bars([(d.name, d.mean, form.level(d.mean)) for d in s.dimensions], big=True)
    tables = _tables(form, submitted, filters, disclosure)
    return render(
        "dash_results.html",
        mismatch=trusted(mismatch_html(s)),
        kpis=trusted(kpis_html(form, s)),
        bars=trusted(bars),
        weakest=[(d.name, fmt_number(d.mean, 0)) for d in s.weakest[:3]],
        problems=trusted(problems_html(s)),
        labels=labels,
        distribution=[(d.name, [d.levels.get(x, 0) for x in labels]) for d in s.dimensions],
        heat=trusted(heat),
        comments=trusted(comments_html(s)),
        tables=[trusted(_group_table(label, form, rows)) for label, rows in tables],
    )


def mismatch_html(s: Summary) -> str:
    """Answers the current form no longer has: said, not dropped."""
    return render("dash_mismatch.html", mismatches=[str(m) for m in s.mismatches])


def projector_html(
    form: Questionnaire,
    session: Session,
    url: str,
    s: Summary,
    answering: int,
) -> str:
    """The room's screen: QR code, address and count beside the main results, no scrolling."""
    shown = not session.results_hidden and not s.suppressed
    bars = score_bars([(d.name, d.mean, form.level(d.mean)) for d in s.dimensions])
    return render(
        "dash_projector.html",
        title=session.title,
        qr=trusted(qr_svg(url)),
        address=trusted(address_html(url)),
        n=s.n,
        round=session.round,
        state="收集中" if session.is_open else "已结束收集",
        answering=answering if session.is_open else None,
        hidden=session.results_hidden,
        wait=wait_message(s) if s.suppressed else "",
        kpis=trusted(kpis_html(form, s)) if shown else "",
        bars=trusted(bars) if shown else "",
        problems=trusted(problems_html(s, PROJECTOR_PROBLEMS)) if shown else "",
        comments=trusted(comments_html(s, PROJECTOR_COMMENTS)) if shown else "",
    )


def _tables(form, submitted, filters: Filters, disclosure: Disclosure):
    base = select(submitted, Filters(round=filters.round))
    tables = []
    rounds = round_comparison(form, submitted, disclosure=disclosure)
    if filters.round is None:
        tables.append(("按轮次对比", rounds))
    elif len(rounds) > 1:
        tables.append(("各轮对比", rounds))
    for by, label in (("role", "按岗位类别"), ("unit", "按单位")):
        rows = breakdown(form, base, by, disclosure=disclosure)
        if len(rows) > 1 or (rows and rows[0].group != "未填写"):
            tables.append((label, rows))
    return tables


def _group_table(title: str, form: Questionnaire, rows: list[GroupRow]) -> str:
    shown = [
        {
            "group": row.group,
            "n": row.n,
            "why": (DERIVED_ROW if row.withheld == DERIVABLE else SMALL_ROW)
            if row.suppressed
            else "",
            "index": fmt_number(row.index, 0),
            "scores": [fmt_number(row.dimensions.get(d.key), 0) for d in form.dimensions],
        }
        for row in rows
    ]
    dimensions = [d.name for d in form.dimensions]
    return render("dash_group_table.html", title=title, dimensions=dimensions, rows=shown)
