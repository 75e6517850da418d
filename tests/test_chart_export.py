"""Charts leaving the workbook: SVG for pages, PNG for slides and Word, fonts that draw Chinese."""

from __future__ import annotations

import struct
import subprocess
import sys

import numpy as np
import pytest

from jianfu.charts import bars as bar_charts
from jianfu.charts import images as chart_export
from jianfu.errors import JianfuError
from tests.support.chart_specs import (
    BUILDERS,
    RANKING,
    TABLE,
)
from tests.support.png import decode_png

# ---- export -----------------------------------------------------------------------------------


@pytest.mark.slow  # fresh interpreters
def test_import_costs_stay_lazy():
    code = (
        "import sys, jianfu.charts.images; "
        "assert 'altair' not in sys.modules and 'vl_convert' not in sys.modules; "
        "import jianfu.charts.bars, jianfu.charts.lines; assert 'vl_convert' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", ["categories", "trend_many"])
def test_a_finished_chart_is_not_copied_again_and_again(monkeypatch, name):
    """Each altair .properties()/.configure_*() deep-copies the whole chart: a chain of
    them made a page of many panels take seconds to build (the specs stay the same)."""
    import altair as alt

    copies = []
    original = alt.VConcatChart.copy

    def counted(self, *args, **kwargs):
        copies.append(type(self).__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(alt.VConcatChart, "copy", counted)
    BUILDERS[name]()
    assert len(copies) <= 2, copies


@pytest.mark.slow  # 4.1 s
def test_every_builder_renders_to_svg():
    for name, build in BUILDERS.items():
        chart = build()
        svg = chart_export.to_svg(chart)
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>"), name
        assert "Noto Sans CJK SC" in svg, name
        assert f">{chart.to_dict()['title']['text']}</text>" in svg, name


def test_svg_html_is_static_and_scales_to_its_container():
    html = chart_export.chart_svg_html(BUILDERS["change"]())
    assert html.startswith('<div class="jianfu-chart"') and "<svg " in html
    assert "style=" not in html.split("<svg", 1)[0]  # sizing lives in the page stylesheet
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org", "")


def test_svg_html_escapes_user_text():
    ranking = RANKING.assign(unit=["<b>甲</b>", "乙&丙", "丁"])
    html = chart_export.chart_svg_html(bar_charts.ranking_pages(ranking)[0])
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "乙&amp;丙" in html
    assert "<b>" not in html


def test_svg_ids_are_prefixed_so_charts_can_share_a_page():
    svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/></svg>'
    assert chart_export._unique_ids(svg, "jf7-") == (
        '<svg><clipPath id="jf7-clip1"/><g clip-path="url(#jf7-clip1)"/><use href="#jf7-clip1"/></svg>'
    )


@pytest.mark.parametrize(
    ("files", "found"),
    [
        (["NotoSansCJK-Regular.ttc"], True),  # Debian fonts-noto-cjk
        (["SourceHanSansSC-Regular.otf"], True),
        (["msyh.ttc"], True),  # Windows 微软雅黑
        (["DejaVuSans.ttf"], False),  # Latin only
        (["NotoSansCJK-Regular.txt"], False),  # not a font file
        ([], False),
    ],
)
def test_find_cjk_font_dirs(tmp_path, files, found):
    for name in files:
        (tmp_path / name).write_bytes(b"")
    assert chart_export.find_cjk_font_dirs([tmp_path, tmp_path / "missing"]) == (
        [tmp_path] if found else []
    )


def test_save_chart_refuses_unknown_format(tmp_path):
    with pytest.raises(JianfuError, match="不支持的图片格式"):
        chart_export.save_chart(BUILDERS["ranking"](), tmp_path / "chart.jpg")


def test_png_export_refuses_a_font_that_draws_boxes():
    with pytest.raises(JianfuError, match="未找到可用的中文字体"):
        chart_export.ensure_cjk_font("No Such Font Family")


# ---- PNG pixels ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_png_really_draws_chinese():
    """Tofu boxes (or missing glyphs) would make two different titles render alike."""
    pictures = {
        title: decode_png(
            chart_export.to_png(bar_charts.ranking_pages(RANKING, title=title)[0], scale=1)
        )
        for title in ("减负成效", "成效减负", "\u3000" * 4)  # the last: same layout, no ink
    }
    first, second, blank = pictures.values()
    assert first.shape == second.shape == blank.shape
    differing = np.flatnonzero((first != second).any(axis=(1, 2)))
    assert differing.size > 0
    band = slice(0, differing.max() + 1)
    assert differing.max() < first.shape[0] * 0.25  # only the title rows differ
    assert (first[differing.max() + 1 :] == blank[differing.max() + 1 :]).all()
    for inked in (first, second):
        assert (inked[band] != blank[band]).any()
    assert (blank[band] == blank[0, 0]).all()  # the blank title draws nothing
    assert first.std() > 20  # not an empty canvas

    slide = chart_export.to_png(bar_charts.change_pages(TABLE)[0], scale=2)
    width, height = struct.unpack(">II", slide[16:24])
    assert width >= 1600 and height > 400
