"""首页: the landing page linking the apps."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from jianfu.paths import NOTEBOOKS
from jianfu_widgets.apps import APPS, AppLink, available_apps
from jianfu_widgets.common import open_page, title_bar
from jianfu_widgets.templating import render

__all__ = ["APPS", "AppLink", "LandingPage", "available_apps"]


def _cards_html(apps: list[AppLink]) -> str:
    return render("landing_cards.html", apps=apps)


class LandingPage(widgets.VBox):
    """Title, a short description and one card per available app."""

    def __init__(self, notebooks_dir: Path = NOTEBOOKS):
        self._notebooks_dir = notebooks_dir
        self.apps = available_apps(notebooks_dir)
        super().__init__(
            [
                title_bar(
                    "基层减负工作簿",
                    "整治形式主义为基层减负：录入数据、对比成效、起草材料",
                    nav=False,
                ),
                widgets.HTML(_cards_html(self.apps), layout=widgets.Layout(width="auto")),
                widgets.HTML(
                    '<p class="jianfu-hint">'
                    "提示：页面长时间不操作会自动断开，刷新页面即可继续；已保存的数据不会丢失。</p>"
                ),
            ],
            layout=widgets.Layout(width="100%"),
        )

    @classmethod
    def for_visitor(cls) -> LandingPage:
        """The landing page, by the one page protocol (common.open_page)."""
        return open_page(cls, "")

    def refresh_if_stale(self) -> LandingPage:
        """This page, or a new one when the apps on offer changed while it waited."""
        if available_apps(self._notebooks_dir) == self.apps:
            return self
        return type(self)(self._notebooks_dir)
