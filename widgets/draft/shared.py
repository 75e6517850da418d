"""What the 发言稿 page's panels share: tab order, delays, labels."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from jianfu.speech.sources import SurveyFinding

FindingsSource = Callable[[str], Sequence[SurveyFinding | str]]
PAGE_RULE = "page"  # the precision dropdown's value for “as on the 对比 page” (None in the model)
SAVE_DELAY = 1.0  # seconds after the last keystroke before the draft is saved
REFRESH_DELAY = 0.3  # seconds after the last keystroke before preview and checks refresh
FIELD_LABELS = {"measures": "做法", "problems": "问题", "next_steps": "打算", "headings": "小标题"}
TABS = ("起草设置", "编辑", "导出", "我的稿件")
EDIT_TAB, EXPORT_TAB, DRAFTS_TAB = 1, 2, 3


def wide() -> w.Layout:
    return w.Layout(width="95%")
