"""Named handles on a page (widgets/handles.py): only the listed controls are reachable."""

import ipywidgets as w
import pytest

from jianfu_widgets.confirm import ConfirmBar
from jianfu_widgets.handles import Handles, css_classes
from jianfu_widgets.status import StatusLine


class Page(Handles, w.VBox):
    INPUTS = ("unit",)
    BUTTONS = ("save",)
    OUTPUTS = ("table",)
    PARTS = ("box",)

    def __init__(self):
        self._unit = w.Dropdown(options=["甲镇", "乙镇"])
        self._save = w.Button()
        self._table = w.HTML("<table></table>")
        self._box = w.HBox([self._table])
        self._secret = w.Text()
        self._status = StatusLine()
        self._ask = ConfirmBar()
        self.saved = []
        self._save.on_click(lambda _: self.saved.append(self._unit.value))
        super().__init__([self._unit, self._save, self._box])

    def ask_delete(self, answered: list) -> None:
        self._ask.ask(
            "确定吗？",
            [("确认删除", lambda: answered.append("删"), "danger"), ("取消", lambda: None, "")],
        )


def test_a_page_is_driven_by_its_listed_names():
    page = Page()
    page.choose(unit="乙镇")
    page.click("save")
    assert page.saved == ["乙镇"] and page.chosen("unit") == "乙镇"
    assert page.options("unit") == ("甲镇", "乙镇")
    assert page.output("table") == "<table></table>"


@pytest.mark.parametrize(
    "use",
    [
        lambda p: p.choose(secret="x"),
        lambda p: p.click("unit"),
        lambda p: p.output("save"),
        lambda p: p.chosen("table"),
        lambda p: p.shown("secret"),
    ],
)
def test_a_name_not_listed_is_refused(use):
    with pytest.raises(KeyError, match="Page has no"):
        use(Page())


def test_the_question_is_answered_by_an_offered_choice_only():
    page = Page()
    answered = []
    page.ask_delete(answered)
    assert page.question == "确定吗？" and page.offered == ["确认删除", "取消"]
    with pytest.raises(LookupError):
        page.answer("保存")
    page.answer("确认")
    assert answered == ["删"] and page.question == ""


@pytest.mark.parametrize(
    ("hide", "shown"),
    [
        (lambda p: None, {"unit": True, "save": True, "table": True, "box": True}),
        (lambda p: setattr(p.children[0].layout, "display", "none"), {"unit": False}),
        (
            lambda p: setattr(p.children[2].layout, "display", "none"),
            {"box": False, "table": False},
        ),
        (lambda p: setattr(p.children[2].layout, "visibility", "hidden"), {"table": False}),
        (lambda p: setattr(p, "children", p.children[:2]), {"save": True, "table": False}),
        (lambda p: setattr(p.layout, "display", "none"), {"save": False}),
    ],
)
def test_shown_means_on_the_page_and_not_hidden_by_a_box_around_it(hide, shown):
    page = Page()
    hide(page)
    assert {name: page.shown(name) for name in shown} == shown


def test_css_classes_are_read_from_the_page_and_any_widget():
    page = Page()
    page.add_class("jf-projector")
    assert "jf-projector" in page.css_classes
    page.remove_class("jf-projector")
    assert "jf-projector" not in page.css_classes
    box = w.HBox()
    box.add_class("jf-draft-flagged")
    assert css_classes(box) == ("jf-draft-flagged",)
