"""Pages light at start when opened cold (issue 18 step 6), guarded without timing.

A cold page pays for every module its kernel compiles and every widget model its
browser loads. So: the servers write the project's bytecode before any kernel starts,
and a page built from the demo database holds no widget model it does not show (a
replaced widget must be closed), nor builds folds nobody opened.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import ipywidgets as w
import pytest

from jianfu.assess.store import AssessStore
from jianfu.catalog import LEVELS
from jianfu.clues.store import ClueStore
from jianfu.registers.store import RegisterStore
from jianfu.server.warmup import compile_bytecode, package_folders
from jianfu.speech.phrasebank import load_phrasebank
from jianfu_widgets.clues import ClueBoard
from jianfu_widgets.collect import CollectApp
from jianfu_widgets.compare import CompareApp
from jianfu_widgets.dashboard import DashboardApp
from jianfu_widgets.draft import DraftApp
from jianfu_widgets.entry import EntryApp
from jianfu_widgets.registers import RegisterPage


def test_the_servers_write_the_bytecode_kernels_would_compile(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    modules = [package / "__init__.py", package / "sub" / "deep.py"]
    for module in modules:
        module.write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # PYTHONDONTWRITEBYTECODE=1
    compile_bytecode([package])
    assert all(Path(importlib.util.cache_from_source(str(m))).is_file() for m in modules)


def test_the_bytecode_covers_the_core_and_the_widgets():
    names = {folder.name for folder in package_folders()}
    assert names == {"jianfu", "widgets"}


def test_a_folder_it_cannot_use_is_no_error(tmp_path, capsys):
    compile_bytecode([tmp_path / "absent"])  # the kernels compile, as before
    assert capsys.readouterr() == ("", "")  # and nothing is said about it


def reachable(page: w.Widget) -> set[int]:
    """Ids of the widget models a page shows: itself, its children, layouts, styles…"""
    return {id(m) for m in shown_models(page)}


def models_built(build, monkeypatch) -> tuple[w.Widget, list[w.Widget]]:
    """The page ``build`` returns and the widget models it leaves open for the browser.

    The test configuration opens no comms (tests/conftest.py): count the opens and
    closes a kernel would see instead. The page modules are imported at the top, so
    a module's shared layout is not counted as the page's.
    """
    opened: list[w.Widget] = []
    closed: set[int] = set()
    monkeypatch.setattr(w.Widget, "open", lambda self: opened.append(self))
    monkeypatch.setattr(w.Widget, "close", lambda self: closed.add(id(self)))
    page = build()
    return page, [m for m in opened if id(m) not in closed]


def draft_page(store):
    return DraftApp(store)


def entry_page(store):
    return EntryApp(store)


def compare_page(store):
    return CompareApp(store)


def dashboard_page(store):
    return DashboardApp(AssessStore(store.url))


def collect_page(store):
    return CollectApp(store)


def registers_page(store):
    return RegisterPage(store, RegisterStore(store.url, engine=store.engine))


def clues_page(store):
    return ClueBoard(ClueStore(store.url, engine=store.engine))


PAGES = [
    draft_page,
    entry_page,
    compare_page,
    dashboard_page,
    collect_page,
    registers_page,
    clues_page,
]


# The 对比 page keeps its presentation bar and the 自评汇总 page its projector bar
# built, so that switching view is instant: a handful of models each, by design.
READY_VIEWS = {"compare_page": 5, "dashboard_page": 4}


@pytest.mark.parametrize("build", PAGES, ids=lambda b: b.__name__)
def test_a_page_opens_no_widget_model_it_does_not_show(build, demo_store, monkeypatch):
    page, opened = models_built(lambda: build(demo_store), monkeypatch)
    shown = reachable(page)
    hidden = [type(m).__name__ for m in opened if id(m) not in shown]
    assert len(hidden) <= READY_VIEWS.get(build.__name__, 0), hidden


def test_the_phrase_picker_builds_its_phrases_when_opened(demo_store, monkeypatch):
    page, opened = models_built(lambda: draft_page(demo_store), monkeypatch)
    at_build = {m.description for m in opened if isinstance(m, w.Checkbox)}
    page.open_tab(1)  # 编辑
    fold = next(m for m in shown_models(page) if getattr(m, "titles", ()) == ("从短语库插入",))
    assert not shown_phrases(page)
    fold.selected_index = 0  # the user opens 从短语库插入
    assert page.phrase_choices and set(page.phrase_choices) == shown_phrases(page)
    assert not set(page.phrase_choices) & at_build


def shown_phrases(page) -> set[str]:
    """Checkboxes shown that are not the 类别 or the 预警依据 of 起草设置."""
    boxes = {m.description for m in shown_models(page) if isinstance(m, w.Checkbox)}
    return boxes - set(load_phrasebank().names()) - set(LEVELS)


def test_the_draft_page_builds_its_other_tabs_when_one_is_opened(demo_store, monkeypatch):
    page, opened = models_built(lambda: draft_page(demo_store), monkeypatch)
    assert page.draft is None and page.tab == 0  # no draft yet: 起草设置 first
    labels = {getattr(m, "description", "") for m in opened}
    assert not labels & {"打开", "添加一部分"} and not any("生成Word" in x for x in labels)
    page.open_tab(3)  # 我的稿件
    labels = {getattr(m, "description", "") for m in shown_models(page)}
    assert {"打开", "添加一部分"} <= labels and any("生成Word" in x for x in labels)


def test_a_control_on_a_tab_not_built_yet_can_be_driven(demo_store):
    page = draft_page(demo_store)
    page.choose(rate=300)  # 语速, on 编辑
    assert page.chosen("rate") == 300 and page.tab == 0


def shown_models(page: w.Widget) -> list[w.Widget]:
    """The widgets a page shows, found as the browser finds them: from the page down."""
    found: dict[int, w.Widget] = {}
    stack = [page]
    while stack:
        widget = stack.pop()
        if id(widget) in found:
            continue
        found[id(widget)] = widget
        for name in widget.keys:
            value = getattr(widget, name, None)
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, w.Widget):
                    stack.append(item)
    return list(found.values())


def test_the_entry_page_builds_its_other_tabs_when_one_is_opened(demo_store, monkeypatch):
    page, opened = models_built(lambda: entry_page(demo_store), monkeypatch)
    labels = {getattr(m, "description", "") for m in opened}
    later = {"单位名称", "下载空白模板", "指标名称"}  # on 单位和时期, 导入导出, 自定义指标
    assert not labels & later
    for tab in (2, 3, 4):
        page.open_tab(tab)
    labels = {getattr(m, "description", "") for m in shown_models(page)}
    assert later <= labels


def test_the_entry_tabs_built_late_show_the_data_as_it_is_now(demo_store):
    page = entry_page(demo_store)
    demo_store.add_unit("后来新增镇", level="乡镇")  # after the page was built
    page.choose(unit=page.options("unit")[0])
    page.open_tab(3)  # 单位和时期
    assert "后来新增镇" in page.labels.options("unit")
