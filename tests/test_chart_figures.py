"""Charts as they leave the workbook: named for who and when, readable by everyone, sized
for slides and Word, and made the same way by the page and by `jianfu chart`.

Readability is checked on rendered pictures: verdict colours converted to grayscale
(and through a red-green colour-blindness simulation) must stay apart.
"""

from __future__ import annotations

import struct

import numpy as np
import pandas as pd
import pytest

from jianfu.charts import bars as bar_charts
from jianfu.charts import images as chart_export
from jianfu.charts import lines as line_charts
from jianfu.charts import style as chart_style
from jianfu.charts.figures import pair_figures, trend_figures
from jianfu.charts.sizes import DOC, PRESENT, SCREEN, SIZES, SLIDE, chart_size
from jianfu.cli import main
from jianfu.compare.selection import Selection, run_comparison, run_trend
from jianfu.errors import JianfuError
from jianfu.text.files import safe_file_name
from tests.support.chart_specs import (
    CATALOG,
    TABLE_COLUMNS,
    comparison_row,
    notes,
    plot,
    rows,
    trend_of,
    walk,
)
from tests.support.demo import sqlite_url
from tests.support.png import decode_png


@pytest.fixture(scope="module")
def demo(demo_db_file):
    from jianfu.store import Store

    store = Store(sqlite_url(demo_db_file))
    try:
        return store.observations(), store.catalog()
    finally:
        store.engine.dispose()


def figures_of(demo, **selection):
    obs, catalog = demo
    sel = Selection(before="2023年", after="2024年", **selection)
    return {f.kind: f for f in pair_figures(run_comparison(obs, catalog, sel), catalog)}


# ---- titles and file names --------------------------------------------------------------


@pytest.mark.slow  # 2.1 s
def test_titles_and_file_names_say_who_what_and_when(demo):
    figures = figures_of(demo, units=("示例县城关镇",))
    assert list(figures) == ["change", "before_after", "category"]  # one unit: no ranking
    for figure in figures.values():
        title = figure.pages(SCREEN)[0].to_dict()["title"]["text"]
        assert title.startswith("示例县城关镇：2023年")
        assert "2024年" in title
    change = figures["change"]
    assert change.pages(SCREEN)[0].to_dict()["title"]["text"] == (
        "示例县城关镇：2023年—2024年减负指标变化幅度"
    )
    assert change.filename("png") == "示例县城关镇_2023年-2024年_变化幅度.png"
    assert change.filename("png", 1, 3) == "示例县城关镇_2023年-2024年_变化幅度_2.png"


@pytest.mark.slow  # 0.6 s
def test_a_combined_unit_is_named_with_its_members(demo):
    figures = figures_of(demo, units=("示例县城关镇", "示例县青山镇"), group="两镇")
    spec = figures["change"].pages(SCREEN)[0].to_dict()
    assert spec["title"]["text"].startswith("两镇：")
    assert spec["title"]["subtitle"] == ["两镇为示例县城关镇、示例县青山镇的汇总"]
    assert figures["before_after"].filename("svg") == "两镇_2023年-2024年_前后对比.svg"


def test_several_units_and_the_ranking_basis_in_the_title(demo):
    figures = figures_of(demo, units=("示例县城关镇", "示例县青山镇", "示例县"))
    title = figures["ranking"].pages(SCREEN)[0].to_dict()["title"]["text"]
    assert title.startswith("示例县城关镇、示例县青山镇、示例县：2023年—2024年改善指标占比")
    assert "共同指标" in title
    assert "category" not in figures


def test_picked_categories_are_named(demo):
    figures = figures_of(demo, units=("示例县城关镇",), categories=("会议",))
    title = figures["change"].pages(SCREEN)[0].to_dict()["title"]["text"]
    assert title == "示例县城关镇：2023年—2024年会议类指标变化幅度"


def test_trend_title_names_the_indicator_and_the_run(demo):
    obs, catalog = demo
    sel = Selection(units=("区委组织部",), periods=("2019年", "2020年", "2021年"))
    table, _ = run_trend(obs, catalog, sel)
    [figure] = trend_figures(table, catalog)
    assert figure.pages(SLIDE)[0].to_dict()["title"]["text"] == (
        "区委组织部：2019年—2021年发文数量变化趋势"
    )
    assert figure.filename("png") == "区委组织部_2019年-2021年_变化趋势.png"


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("示例县_2023年-2024年_变化幅度", "示例县_2023年-2024年_变化幅度"),
        ('A/B\\C:D*E?"F"<G>|H', "A_B_C_D_E_F_G_H"),
        ("两 镇\t合计", "两_镇_合计"),
        ("..", "图表"),
    ],
)
def test_file_names_are_safe_everywhere(text, safe):
    assert safe_file_name(text, "图表") == safe


def test_unknown_size_is_refused_in_chinese():
    with pytest.raises(JianfuError, match="图片尺寸"):
        chart_size("poster")


# ---- one axis per unit of measure, one minus sign --------------------------------------------


def panels_measures(spec: dict) -> list[set[str]]:
    """The measures drawn in each panel that has its own x scale."""
    inner = plot(spec)
    if "concat" in inner:
        return [{r["measure"] for r in rows(spec, p)} for p in inner["concat"]]
    data = rows(spec, inner)
    return [{r["measure"] for r in data if r["panel"] == p} for p in {r["panel"] for r in data}]


@pytest.mark.slow  # 1.7 s
@pytest.mark.parametrize("kind", ["before_after", "category"])
def test_no_panel_mixes_units_of_measure(demo, kind):
    figure = figures_of(demo, units=("示例县城关镇",))[kind]
    for chart in figure.pages(SCREEN):
        for measures in panels_measures(chart.to_dict()):
            assert len(measures) == 1, measures


@pytest.mark.slow  # 1.4 s
def test_category_panels_split_words_from_documents(demo):
    figure = figures_of(demo, units=("示例县城关镇",))["category"]
    titles = [p["title"] for chart in figure.pages(SCREEN) for p in plot(chart.to_dict())["concat"]]
    assert "文件（件）" in titles and "文件（字）" in titles


@pytest.mark.slow  # 1.0 s
def test_axes_write_minus_as_the_tables_do():
    table = pd.DataFrame([comparison_row("甲", "doc_count", 80, 20, "改善")], columns=TABLE_COLUMNS)
    chart = bar_charts.change_pages(table)[0]
    assert chart.to_dict()["config"]["locale"]["number"]["minus"] == "-"
    svg = chart_export.to_svg(chart)
    assert "\u2212" not in svg  # d3's default minus sign never appears
    assert ">-75%</text>" in svg and ">-60</text>" in svg


# ---- trend ------------------------------------------------------------------------------------


def test_trend_points_are_labelled_and_the_break_is_ringed():
    # 城关镇 doc_count 82, 81, 85: 2023年 broke 逐年递减
    spec = line_charts.trend_pages(trend_of(units=["城关镇"]), CATALOG, ["doc_count"])[0].to_dict()
    labels = next(n for n in walk(spec) if n.get("mark", {}).get("type") == "text")
    assert {r["text"] for r in rows(spec, labels)} == {"82件", "81件", "85件"}
    ring = next(n for n in walk(spec) if n.get("mark", {}).get("filled") is False)
    assert [(r["period"], r["value"]) for r in rows(spec, ring)] == [("2023年", 85)]
    assert any("首次未实现逐年递减" in n for n in notes(spec))


def test_trend_axis_starts_at_zero_unless_that_flattens_the_lines():
    flat = line_charts.trend_pages(trend_of(units=["城关镇"]), CATALOG, ["doc_count"])[0].to_dict()
    y = next(n for n in walk(flat) if n.get("mark", {}).get("type") == "line")["encoding"]["y"]
    assert y["scale"]["zero"] is False and y["title"] == "件（纵轴未从0开始）"
    steep = line_charts.trend_pages(trend_of(), CATALOG, ["meeting_video"])[0].to_dict()  # 5 .. 18
    y = next(n for n in walk(steep) if n.get("mark", {}).get("type") == "line")["encoding"]["y"]
    assert y["scale"]["zero"] is True and y["title"] == "次"


def test_trend_legend_sits_below_the_plot_not_on_the_axis_title():
    spec = line_charts.trend_pages(trend_of(), CATALOG, ["doc_count"])[0].to_dict()
    legends = [
        n["legend"] for n in walk(spec) if "field" in n and isinstance(n.get("legend"), dict)
    ]
    assert legends and all(legend["orient"] == "bottom" for legend in legends)


# ---- pages and sizes -------------------------------------------------------------------------


def test_sizes_are_readable_where_they_are_shown():
    assert PRESENT.font >= 20 and SLIDE.pixels == (1920, 1080) and DOC.pixels == (1600, 1200)
    assert SCREEN.canvas is None and set(SIZES) == {"screen", "present", "slide", "doc"}


@pytest.mark.slow
@pytest.mark.parametrize("size", [SLIDE, DOC])
def test_exported_pictures_have_the_exact_canvas(demo, size):
    figures = figures_of(demo, units=("示例县城关镇",))
    for figure in (figures["change"], figures["category"]):
        chart = figure.pages(size)[0]
        png = chart_export.chart_bytes(chart, "png", size)
        assert struct.unpack(">II", png[16:24]) == size.pixels
        svg = chart_export.chart_bytes(chart, "svg", size).decode()
        assert svg.startswith(f'<svg xmlns="http://www.w3.org/2000/svg" width="{size.canvas[0]}"')


def test_fit_canvas_centres_and_only_shrinks():
    svg = '<svg class="marks" width="400" height="100" viewBox="0 0 400 100"><g/></svg>'
    fitted = chart_export.fit_canvas(svg, (800, 600))
    assert 'x="200.0" y="250.0" width="400.0" height="100.0"' in fitted
    wide = chart_export.fit_canvas(svg.replace('"400"', '"1600"'), (800, 600))
    assert 'width="800.0" height="50.0"' in wide


# ---- grayscale and colour blindness, measured on rendered pictures ----------------------------

# Machado et al. (2009), deuteranopia at full severity, on linear-ish RGB.
DEUTAN = np.array(
    [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ]
)


def fill_colors(picture: np.ndarray, colors: dict[str, str]) -> dict[str, np.ndarray]:
    """The pixels drawn in each fill colour (bars are solid; edges are anti-aliased)."""
    rgb = picture[..., :3]
    found = {}
    for name, hex_color in colors.items():
        target = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])
        mask = (np.abs(rgb - target) <= 2).all(axis=-1)
        if mask.sum() > 50:
            found[name] = rgb[mask]
    return found


def gray(pixels: np.ndarray) -> float:
    return float((pixels @ np.array([0.299, 0.587, 0.114])).mean())


@pytest.mark.slow
def test_verdict_colours_stay_apart_in_grayscale_and_for_red_green_blindness():
    data = pd.DataFrame(
        [
            comparison_row("甲", "doc_count", 80, 40, "改善"),
            comparison_row("甲", "meeting_count", 60, 90, "恶化"),
            comparison_row("甲", "police_stations", 14, 7, "变化"),
        ],
        columns=TABLE_COLUMNS,
    )
    picture = decode_png(chart_export.to_png(bar_charts.change_pages(data)[0], scale=1))
    drawn = fill_colors(
        picture, {v: chart_style.VERDICT_COLORS[v] for v in ("改善", "恶化", "变化")}
    )
    assert set(drawn) == {"改善", "恶化", "变化"}  # every bar found in the picture
    levels = {name: gray(px) for name, px in drawn.items()}
    names = sorted(levels)
    for i, a in enumerate(names):
        assert levels[a] < 255 - 40, a  # a bar is not lost against the white page
        for b in names[i + 1 :]:
            assert abs(levels[a] - levels[b]) >= 30, (a, b, levels)
    seen = {name: (px.mean(axis=0) @ DEUTAN.T) for name, px in drawn.items()}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert np.linalg.norm(seen[a] - seen[b]) >= 40, (a, b)


@pytest.mark.slow
def test_period_colours_stay_apart_in_grayscale():
    data = pd.DataFrame([comparison_row("甲", "doc_count", 80, 60, "改善")], columns=TABLE_COLUMNS)
    picture = decode_png(
        chart_export.to_png(bar_charts.before_after_pages(data, "前", "后")[0], scale=1)
    )
    drawn = fill_colors(picture, dict(zip(("前", "后"), chart_style.PERIOD_COLORS, strict=True)))
    assert abs(gray(drawn["前"]) - gray(drawn["后"])) >= 60


# ---- the command line -------------------------------------------------------------------------


PAIR = ["--before", "2023年", "--after", "2024年"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "args", "out", "first"),
    [
        ("change", ["--unit", "示例县城关镇", *PAIR], "c.png", "c_1.png"),
        ("before_after", ["--unit", "示例支队", *PAIR], "b.png", "b.png"),
        ("category", ["--unit", "示例县城关镇", *PAIR, "--size", "doc"], "g.svg", "g_1.svg"),
        ("ranking", ["--unit", "示例县城关镇", "--unit", "示例县青山镇", *PAIR], "r.png", "r.png"),
        ("trend", ["--unit", "区委组织部", "--periods", "2019年,2020年,2021年"], "t.png", "t.png"),
    ],
)
def test_chart_command_for_each_kind(demo_data_dir, capsys, kind, args, out, first):
    target = demo_data_dir / out
    assert main(["chart", "--kind", kind, *args, "--out", str(target)]) == 0
    written = demo_data_dir / first
    assert written.exists()
    said = capsys.readouterr().out
    assert str(written) in said
    if out.endswith(".png"):
        assert struct.unpack(">II", written.read_bytes()[16:24]) == SLIDE.pixels
    else:
        assert written.read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kind", "category", "--unit", "示例县城关镇", "--unit", "示例县青山镇", *PAIR],
            "只画一个单位",
        ),
        (["--kind", "ranking", "--unit", "示例县城关镇", *PAIR], "至少两个单位"),
        (["--kind", "trend", "--unit", "区委组织部"], "--periods"),
        (["--kind", "change", "--unit", "示例县城关镇"], "--before"),
        (["--kind", "change", "--unit", "无此单位", *PAIR], "不存在"),
        (["--kind", "change", "--unit", "区委组织部", *PAIR], "没有数据"),
    ],
)
def test_chart_command_refuses_in_chinese(demo_data_dir, capsys, args, message):
    assert main(["chart", *args, "--out", str(demo_data_dir / "x.png")]) == 2
    assert message in capsys.readouterr().err
    assert not (demo_data_dir / "x.png").exists()


def test_chart_command_refuses_other_formats(demo_data_dir, capsys):
    assert main(["chart", "--kind", "change", "--unit", "甲", *PAIR, "--out", "x.jpg"]) == 2
    assert ".png 或 .svg" in capsys.readouterr().err
