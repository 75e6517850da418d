"""Pages in a preheated kernel: built before the visitor comes (widgets are most of the
opening time), showing the data as it is when the visitor comes.

Voila's wait for the visitor is replaced by a stand-in that records when it was
called and changes the data meanwhile, as another user saving in the pool's wait would.
"""

import pandas as pd
import pytest

import jianfu_widgets.common
import jianfu_widgets.compare.app
import jianfu_widgets.dashboard
from jianfu.assess.store import AssessStore
from jianfu.collect.rounds import Collect
from jianfu.server.public import PUBLIC_URL_ENV
from jianfu.speech.drafts import DraftStore
from jianfu_widgets.collect import CollectApp
from jianfu_widgets.compare import CompareApp
from jianfu_widgets.dashboard import DashboardApp
from jianfu_widgets.draft import DraftApp
from jianfu_widgets.entry import EntryApp


@pytest.fixture
def pool(monkeypatch, demo_store):
    """A preheated kernel on the demo database."""
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("JIANFU_DB_URL", demo_store.url)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setattr(jianfu_widgets.compare.app, "warm_charts", lambda: None)
    import jianfu.charts.images as export

    monkeypatch.setattr(export, "chart_svg_html", lambda chart: "<svg>stub</svg>")
    return demo_store


def open_page(monkeypatch, cls, meanwhile=lambda: None, **options):
    """``cls.from_default_store()`` in the pool; the app and what happened, in order."""
    events = []
    build = cls.__init__

    def counted(self, *args, **kwargs):
        events.append("built")
        build(self, *args, **kwargs)

    def visitor_comes(page: str = "") -> bool:
        events.append("visitor")
        meanwhile()
        return True

    monkeypatch.setattr(cls, "__init__", counted)
    monkeypatch.setattr(jianfu_widgets.common, "wait_for_visitor", visitor_comes)
    return cls.from_default_store(**options), events


def save(store, unit, period, code, value):
    row = pd.DataFrame([{"unit": unit, "period": period, "indicator": code, "value": value}])
    store.save_observations(row, source="另一位同事")


def test_the_entry_page_is_built_before_the_visitor_and_shows_what_was_saved_meanwhile(
    monkeypatch, pool
):
    def meanwhile():
        save(pool, "示例县", "2024年", "doc_count", 97)
        pool.add_unit("新设镇", "乡镇")
        pool.add_custom_indicator(
            {
                "name": "村级挂牌数",
                "category": "成效",
                "measure": "块",
                "direction": "越少越好",
                "kind": "count",
            }
        )

    app, events = open_page(monkeypatch, EntryApp, meanwhile)
    assert events == ["built", "visitor"]
    assert app.shown == ("示例县", "2024年")
    assert app.field("doc_count").value == "97"  # built when it was 98
    assert "新设镇" in app.options("unit")
    assert "新设镇" in app.labels.options("unit")
    (custom,) = [i.code for i in pool.catalog() if i.name == "村级挂牌数"]
    assert custom in app.values  # the form lists it
    assert app.unsaved == []  # nothing looks edited after the reload


def test_the_compare_page_built_in_the_pool_is_kept_when_nothing_changed(monkeypatch, pool):
    monkeypatch.setenv("QUERY_STRING", "present=1")
    app, events = open_page(monkeypatch, CompareApp)
    assert events == ["built", "visitor"]
    assert app.is_current() and app.present  # the address is read after the visitor came
    assert app.result is not None and app.sentences


def test_the_compare_page_is_built_again_when_the_data_changed_meanwhile(monkeypatch, pool):
    app, events = open_page(
        monkeypatch,
        CompareApp,
        lambda: save(pool, "示例县城关镇", "2024年", "doc_count", 5),
    )
    assert events == ["built", "visitor", "built"]
    assert app.is_current() and not app.present
    row = app.result.table.set_index(["unit", "indicator"]).loc[("示例县城关镇", "doc_count")]
    assert row["after"] == 5


@pytest.mark.parametrize(
    "change",
    [
        lambda store: store.add_unit("新设镇", "乡镇"),
        lambda store: store.add_period("2025年"),
        lambda store: save(store, "示例县", "2023年", "meeting_count", 1),
    ],
)
def test_any_change_to_the_data_makes_a_built_page_out_of_date(pool, change):
    app = CompareApp(pool)
    assert app.is_current()
    change(pool)
    assert not app.is_current()


def test_the_dashboard_shows_sessions_and_the_address_as_they_are_when_the_visitor_comes(
    monkeypatch, pool
):
    assess = AssessStore(pool.url)
    monkeypatch.setenv(PUBLIC_URL_ENV, "http://192.0.2.1:8870/")

    def meanwhile():
        assess.create_session("later1", "刚创建的场次")
        monkeypatch.setenv(PUBLIC_URL_ENV, "http://192.0.2.9:8870/")

    app, events = open_page(monkeypatch, DashboardApp, meanwhile)
    app.stop()  # the refresh loop
    assert events == ["built", "visitor"]
    assert app.chosen("public") == "http://192.0.2.9:8870/"
    assert app.session is not None and app.session.code == "later1"


@pytest.fixture
def saved_draft(pool):
    """A draft composed earlier: the 发言稿 page reopens it."""
    app = DraftApp(pool)
    app.choose(unit="示例县城关镇")
    app.click("compose")
    assert app.draft is not None, app.status_text
    return app.draft


def test_the_draft_page_built_in_the_pool_is_kept_when_nothing_changed(
    monkeypatch, pool, saved_draft
):
    app, events = open_page(monkeypatch, DraftApp)
    assert events == ["built", "visitor"]  # opening the draft wrote nothing
    assert app.draft.id == saved_draft.id and app.is_current()


def test_the_draft_page_shows_an_edit_saved_while_it_waited(monkeypatch, pool, saved_draft):
    def meanwhile():
        drafts = DraftStore(pool.url, engine=pool.engine)
        draft = drafts.load(saved_draft.id)
        draft.sections[2].paragraphs[0].text = "另一个窗口里改过的一段。"
        drafts.save(draft)

    app, events = open_page(monkeypatch, DraftApp, meanwhile)
    assert events == ["built", "visitor", "built"]
    assert app.draft.sections[2].paragraphs[0].text == "另一个窗口里改过的一段。"


def test_the_draft_page_counts_findings_handed_over_while_it_waited(monkeypatch, pool):
    found = []
    app, events = open_page(
        monkeypatch,
        DraftApp,
        lambda: found.append("自评中，多数参与者认为工作群仍然偏多"),
        findings=lambda unit: found,
    )
    assert events == ["built", "visitor", "built"]
    assert "自评中，多数参与者认为工作群仍然偏多" in app.output("findings_info")


def compose_elsewhere(pool):
    """A draft composed and saved in another window."""
    other = DraftApp(pool)
    other.compose("示例县城关镇")
    assert other.draft is not None, other.status_text


PAGES = {
    "entry": (
        EntryApp,
        lambda pool: save(pool, "示例县", "2024年", "doc_count", 97),
        lambda app: app.values["doc_count"] == "97",
    ),
    "compare": (
        CompareApp,
        lambda pool: save(pool, "示例县城关镇", "2024年", "doc_count", 5),
        lambda app: (
            app.result.table.set_index(["unit", "indicator"]).loc[
                ("示例县城关镇", "doc_count"), "after"
            ]
            == 5
        ),
    ),
    "dashboard": (
        lambda pool: DashboardApp(AssessStore(pool.url)),
        lambda pool: AssessStore(pool.url).create_session("later1", "刚创建的场次"),
        lambda app: app.session is not None and app.session.code == "later1",
    ),
    "draft": (
        DraftApp,
        compose_elsewhere,
        lambda app: app.draft is not None,
    ),
    "collect": (
        CollectApp,
        lambda pool: Collect(pool).new_round(
            "后来的任务", "2024年", ["示例县城关镇"], ["doc_count"]
        ),
        lambda app: "后来的任务" in app.round.options,
    ),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_shows_a_change_made_behind_it_after_the_page_protocol(pool, name):
    """The one preheat protocol (common.open_page -> refresh_if_stale) on every page."""
    cls, change, shows = PAGES[name]  # cls: the page class, or what builds it
    app = cls(pool)
    assert not shows(app)
    change(pool)
    fresh = app.refresh_if_stale()
    assert shows(fresh)
    assert fresh.refresh_if_stale() is fresh  # nothing changed since: the page is kept
