"""A full year compared with half a year: the figures are said with a warning (page, CLI).

200 documents in 2023 against 98 in the first half of 2024 reads as a 51% cut that
never happened. The draft refuses to pass without a finding (tests/test_draft_wording.py);
the 对比 page and `jianfu compare` put the same warning above the figures.
"""

import pandas as pd
import pytest

from jianfu.charts.figures import pair_figures, trend_figures
from jianfu.charts.sizes import SCREEN, SLIDE
from jianfu.cli import main
from jianfu.compare.selection import Selection, run_comparison, run_trend
from jianfu.compare.sentences import span_note
from jianfu_widgets.compare import CompareApp

ROWS = [
    ("某镇", "2023年", "doc_count", 200.0),
    ("某镇", "2024年上半年", "doc_count", 98.0),
    ("某镇", "2024年", "doc_count", 150.0),
    ("某镇", "2025年上半年", "doc_count", 60.0),
]


@pytest.fixture
def spans(store):
    store.save_observations(pd.DataFrame(ROWS, columns=["unit", "period", "indicator", "value"]))
    return store


@pytest.fixture
def no_svg(monkeypatch):
    import jianfu.charts.images as export

    monkeypatch.setattr(export, "chart_svg_html", lambda chart: "<svg>stub</svg>")


@pytest.mark.parametrize(
    ("periods", "said"),
    [
        (["2023年", "2024年上半年"], "（“2023年”是全年，“2024年上半年”是半年）"),
        (
            ["2023年", "2024年", "2025年上半年"],
            "（“2023年”、“2024年”是全年，“2025年上半年”是半年）",
        ),
        (["2024年三季度", "2024年"], "（“2024年三季度”是一个季度，“2024年”是全年）"),
    ],
)
def test_unequal_spans_are_named(periods, said):
    note = span_note(periods)
    assert note.startswith(f"所选时期长短不同{said}：件数、次数等前后不能直接相比")


@pytest.mark.parametrize(
    "periods",
    [
        ["2023年", "2024年"],
        ["2023年上半年", "2024年上半年"],
        ["2024年1-6月", "2023年"],  # a label that does not say its length is not judged
        ["改革前", "改革后"],
    ],
)
def test_equal_or_unknown_spans_say_nothing(periods):
    assert span_note(periods) == ""


def test_the_comparison_carries_the_warning(spans):
    sel = Selection(units=("某镇",), before="2023年", after="2024年上半年")
    result = run_comparison(spans.observations(), spans.catalog(), sel)
    assert result.span_note == span_note(["2023年", "2024年上半年"]) != ""
    same = Selection(units=("某镇",), before="2023年", after="2024年")
    assert run_comparison(spans.observations(), spans.catalog(), same).span_note == ""


def test_the_data_sentences_carry_the_warning_when_copied(spans):
    """The 数据句 are copied into drafts and read aloud without the page around them."""
    obs, catalog = spans.observations(), spans.catalog()
    sel = Selection(units=("某镇",), before="2023年", after="2024年上半年")
    said = run_comparison(obs, catalog, sel).sentences
    assert said[0].startswith("某镇发文数量较2023年减少51%")
    assert said[-1] == span_note(["2023年", "2024年上半年"], short=True)
    run = Selection(units=("某镇",), periods=("2023年", "2024年", "2025年上半年"))
    assert run_trend(obs, catalog, run)[1][-1].startswith("注意：“2023年”、“2024年”是全年")
    same = Selection(units=("某镇",), before="2023年", after="2024年")
    assert not any("长短不同" in s for s in run_comparison(obs, catalog, same).sentences)


def test_the_command_line_warns_before_the_figures(spans, capsys, monkeypatch):
    monkeypatch.setenv("JIANFU_DB_URL", str(spans.engine.url))
    assert main(["compare", "--before", "2023年", "--after", "2024年上半年"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("注意：所选时期长短不同（“2023年”是全年，“2024年上半年”是半年）")
    assert main(["compare", "--periods", "2023年,2024年,2025年上半年"]) == 0
    assert "注意：所选时期长短不同" in capsys.readouterr().out
    assert main(["compare", "--before", "2023年", "--after", "2024年"]) == 0
    assert "长短不同" not in capsys.readouterr().out


def test_the_page_warns_above_the_big_numbers_and_the_table(spans, no_svg):
    app = CompareApp(spans)
    app.choose(units=("某镇",), before="2023年", after="2024年上半年")
    for part in ("headline", "table"):
        assert "所选时期长短不同" in app.output(part), part
    app.choose(after="2024年")
    assert "长短不同" not in app.output("headline") + app.output("table")
    app.choose(mode="trend", periods=("2023年", "2024年", "2025年上半年"))
    for part in ("headline", "table"):
        assert "所选时期长短不同" in app.output(part), part


@pytest.mark.slow  # ~2 s: seven charts built
def test_every_chart_carries_the_warning_under_its_title(spans, no_svg):
    """A slide is shown without the page around it."""
    obs, catalog = spans.observations(), spans.catalog()
    sel = Selection(units=("某镇",), before="2023年", after="2024年上半年")
    figures = pair_figures(run_comparison(obs, catalog, sel), catalog)
    run = Selection(units=("某镇",), periods=("2023年", "2024年", "2025年上半年"))
    figures += trend_figures(run_trend(obs, catalog, run)[0], catalog)
    assert [f.kind for f in figures] == ["change", "before_after", "category", "trend"]
    for figure in figures:
        subtitle = figure.pages(SLIDE)[0].to_dict()["title"]["subtitle"]
        assert subtitle[0].startswith("注意：“2023年”"), (figure.kind, subtitle)
        assert "长短不同，件数、次数等不能直接相比" in subtitle[0]
    same = Selection(units=("某镇",), before="2023年", after="2024年")
    for figure in pair_figures(run_comparison(obs, catalog, same), catalog):
        title = figure.pages(SCREEN)[0].to_dict()["title"]
        assert not any("长短不同" in line for line in title.get("subtitle", [])), figure.kind
