"""The 对比 app with 2,000 units of full data (generated here), on SQLite and PostgreSQL.

It must open on one unit, take every unit selected at once, and draw every chart
as pages or capped panels: no chart may carry more than altair's 5,000 rows
(MaxRowsError), and nothing may hang. Times are in benchmarks/bench_compare_page.py.
"""

from __future__ import annotations

import pytest

from jianfu.store import Store
from jianfu_widgets.compare import SAID_UNITS, TABLE_ROWS, CompareApp
from tests.support.pg_server import fresh_schema
from tests.support.scale_data import fill_store, unit_names

UNITS = 2000
MAX_ROWS = 5000  # altair's default limit


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('scale') / 'big.sqlite'}")
    fill_store(store, UNITS)
    yield store
    store.engine.dispose()


@pytest.fixture(scope="module")
def postgres_store(pg_server, pg_admin):
    with fresh_schema(pg_server, pg_admin, "scale") as url:
        store = Store(url)
        fill_store(store, UNITS)
        yield store
        store.engine.dispose()


@pytest.fixture
def drawn(monkeypatch):
    """Charts go through altair's data check (to_dict) but are not rendered to SVG."""
    import jianfu.charts.images as export

    sizes = []

    def fake_svg(chart):
        spec = chart.to_dict()  # raises MaxRowsError over 5,000 rows
        sizes.append(max((len(v) for v in spec.get("datasets", {}).values()), default=0))
        return "<svg/>"

    monkeypatch.setattr(export, "chart_svg_html", fake_svg)
    return sizes


def check_big_app(store, drawn):
    app = CompareApp(store, background=False)
    assert len(app.options("units")) == UNITS
    assert len(app.chosen("units")) == 1  # opens on one unit, not a wall of 2,000
    app.open_tab(2)
    assert app.charts.drawn == "变化幅度"

    app.choose(units=tuple(unit_names(UNITS)))
    assert app.message == ""
    assert app.result.table["unit"].nunique() == UNITS
    assert f"仅显示前{TABLE_ROWS}行" in app.output("table")  # the Excel export has them all
    said = {s for s in app.sentences if s.startswith("测试单位")}
    assert 0 < len(said) <= SAID_UNITS and f"仅为前{SAID_UNITS}个单位" in app.output("sentences")
    assert app.chart_names == ["变化幅度", "前后对比", "单位排名"]
    view = app.charts
    for name in app.chart_names:
        view.choose(choice=name)
        assert view.drawn == name and view.message == ""
        if view.page_count > 1:
            view.turn(view.page_count)  # the last page too
            assert view.drawn == name and view.page == view.page_count - 1
    assert drawn and max(drawn) <= MAX_ROWS
    ranking_pages = view.figure.pages("screen")
    assert len(ranking_pages) >= UNITS // 40  # every unit on some page, none dropped


@pytest.mark.slow
def test_two_thousand_units_on_sqlite(sqlite_store, drawn):
    check_big_app(sqlite_store, drawn)


@pytest.mark.slow
@pytest.mark.postgres
def test_two_thousand_units_on_postgresql(postgres_store, drawn):
    assert postgres_store.engine.dialect.name == "postgresql"
    check_big_app(postgres_store, drawn)
