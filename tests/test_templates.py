"""The pages' HTML comes from jinja2 templates that escape every value (issue 18 step 2)."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from jianfu_widgets.templating import TEMPLATES, element, render, trusted

WIDGETS = Path(__file__).resolve().parents[1] / "widgets"
BAD = "<b>坏</b>"
SAFE = "&lt;b&gt;坏&lt;/b&gt;"

# each template that shows user text, with that text set to markup
USER_TEXT = {
    "message.html": {"kind": "info", "role": "status", "lines": [BAD]},
    "download.html": {"filename": BAD, "mime": "text/csv", "payload": "", "label": BAD},
    "nav.html": {"items": [("a.ipynb", BAD)], "current": ""},
    "title_bar.html": {"nav": "", "title": BAD, "subtitle": BAD},
    "landing_cards.html": {"apps": [NS(notebook="a.ipynb", title=BAD, description=BAD)]},
    "compare_sentences.html": {"sentences": [BAD], "note": BAD, "copied": BAD},
    "compare_headline.html": {
        "blocks": [
            {
                "unit": BAD,
                "counts": BAD,
                "cards": [{"classes": "jf-big", "name": BAD, "value": BAD, "change": BAD}],
            }
        ]
    },
    "assess_score_bars.html": {
        "bars": [{"name": BAD, "level": "good", "width": 5, "value": "5"}],
        "big": False,
    },
    "assess_result_card.html": {
        "closed": False,
        "title": BAD,
        "level_class": "good",
        "index": "50",
        "level": BAD,
        "bars": "",
        "gain": None,
        "suggestions": [NS(dimension=BAD, text=BAD)],
        "weakest": [BAD],
        "scored": True,
    },
    "assess_message.html": {"title": BAD, "message": BAD},
    "clues_list.html": {"head": ["编号"], "rows": [[BAD]]},
    "clues_detail.html": {
        "id": 1,
        "received": "2026-12-06",
        "lines": [BAD],
        "fields": [(BAD, BAD)],
        "history": [("2026-12-06", BAD, BAD)],
    },
    "clues_tally.html": {"title": BAD, "rows": [(BAD, 1, 1)]},
    "collect_totals.html": {
        "period": BAD,
        "n": 1,
        "due": "",
        "said": BAD,
        "ready": BAD,
        "compare": BAD,
    },
    "collect_choice.html": {"unit": BAD, "n": 2, "lines": [BAD]},
    "assess_heat_map.html": {
        "rows": [{"number": "1", "text": BAD, "cells": [{"count": 1, "share": 1.0}]}],
        "labels": [BAD],
    },
    "assess_head.html": {"title": BAD, "intro": BAD, "preview": False},
    "assess_ends.html": {"low": BAD, "high": BAD},
    "dash_link.html": {
        "qr": "",
        "title": BAD,
        "address": "",
        "round": 1,
        "state": "收集中",
    },
    "dash_address.html": {"base": BAD, "code": BAD},
    "dash_problems.html": {"problems": [(BAD, 2)], "top": 2},
    "dash_comments.html": {"total": 1, "listed": [BAD]},
    "dash_mismatch.html": {"mismatches": [BAD]},
    "dash_group_table.html": {
        "title": BAD,
        "dimensions": [BAD],
        "rows": [{"group": BAD, "n": 1, "why": "", "index": "1", "scores": ["1"]}],
    },
    "dash_projector.html": {
        "title": BAD,
        "qr": "",
        "address": "",
        "n": 0,
        "round": 1,
        "state": "收集中",
        "answering": None,
        "hidden": False,
        "wait": BAD,
        "kpis": "",
        "bars": "",
        "problems": "",
        "comments": "",
    },
    "dash_wait.html": {"wait": BAD},
    "table.html": {"head": [BAD], "rows": [(BAD, [(BAD, False)])], "total": 1, "shown": 1},
    "messages.html": {"messages": [BAD], "title": BAD},
    "note.html": {"text": BAD},
    "draft_sources.html": {"lines": [{"kind": "data", "label": BAD, "shown": BAD, "basis": BAD}]},
    "draft_checks.html": {"checks": [(BAD, BAD, BAD)]},
    "draft_notes.html": {"notes": [(BAD, BAD)]},
    "draft_findings.html": {"found": [BAD]},
    "element.html": {"tag": "span", "text": BAD, "cls": "", "role": ""},
}


@pytest.mark.parametrize("name", sorted(USER_TEXT))
def test_user_text_in_a_template_is_escaped(name):
    out = render(name, **USER_TEXT[name])
    assert SAFE in out
    assert BAD not in out


def test_every_template_is_checked_for_escaping():
    """A new template showing user text gets a row above (those without any are listed)."""
    without_user_text = {
        "assess_progress.html",
        "dash_count.html",
        "dash_kpis.html",
        "dash_results.html",
    }
    on_disk = {p.name for p in TEMPLATES.glob("*.html")}
    assert on_disk - without_user_text == set(USER_TEXT)


def test_a_trusted_piece_goes_in_as_it_is_and_the_rest_is_escaped():
    bar = trusted('<nav class="jianfu-nav"></nav>')
    out = render("title_bar.html", nav=bar, title=BAD, subtitle="")
    assert out.startswith('<nav class="jianfu-nav"></nav><div class="jianfu-title">')
    assert SAFE in out


def test_line_breaks_and_indentation_of_a_template_are_not_output():
    out = render("assess_message.html", title="标题", message="内容")
    assert "\n" not in out and "  " not in out
    assert render("message.html", kind="info", role="status", lines=["一", "二"]) == (
        '<div class="jianfu-message jianfu-info" role="status">一<br>二</div>'
    )


def test_an_element_is_one_of_the_tags_the_pages_use():
    assert element("small", "注") == "<small>注</small>"
    with pytest.raises(ValueError):
        element("script", "x")


def _html_fstrings(path: Path) -> list[str]:
    """f-strings whose literal parts open an HTML tag: markup written outside a template."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if "<" in text and any(f"<{c}" in text for c in "abcdefghijklmnopqrstuvwxyz/"):
                found.append(f"{path.name}:{node.lineno}")
    return found


@pytest.mark.parametrize(
    "path", sorted(WIDGETS.rglob("*.py")), ids=lambda p: p.relative_to(WIDGETS).as_posix()
)
def test_no_widget_module_writes_html_in_an_f_string(path):
    assert _html_fstrings(path) == []


def test_the_f_string_finder_finds_html(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text('x = 1\ny = f"<b>{x}</b>"\nz = f"{x} < 2"\n', encoding="utf-8")
    assert _html_fstrings(sample) == ["m.py:2"]
