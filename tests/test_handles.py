"""Named handles on a page (widgets/handles.py): only the listed controls are reachable."""

import ipywidgets as w
import pytest

from jianfu_widgets.confirm import ConfirmBar
from jianfu_widgets.handles import Handles
from jianfu_widgets.status import StatusLine


class Page(Handles, w.VBox):
    INPUTS = ("unit",)
    BUTTONS = ("save",)
    OUTPUTS = ("table",)

    def __init__(self):
        self._unit = w.Dropdown(options=["甲镇", "乙镇"])
        self._save = w.Button()
        self._table = w.HTML("<table></table>")
        self._secret = w.Text()
        self._status = StatusLine()
        self._ask = ConfirmBar()
        self.saved = []
        self._save.on_click(lambda _: self.saved.append(self._unit.value))
        super().__init__([self._unit, self._save])


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
    ],
)
def test_a_name_not_listed_is_refused(use):
    with pytest.raises(KeyError, match="Page has no"):
        use(Page())


def test_the_question_is_answered_by_an_offered_choice_only():
    page = Page()
    answered = []
    page._ask.ask(
        "确定吗？",
        [("确认删除", lambda: answered.append("删"), "danger"), ("取消", lambda: None, "")],
    )
    assert page.question == "确定吗？" and page.offered == ["确认删除", "取消"]
    with pytest.raises(LookupError):
        page.answer("保存")
    page.answer("确认")
    assert answered == ["删"] and page.question == ""
