"""首页: the landing page linking the apps."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from jianfu.paths import NOTEBOOKS
from jianfu_widgets.common import title_bar


@dataclass(frozen=True)
class AppLink:
    notebook: str  # file name in the notebooks folder (ASCII: tornado and URLs like it)
    title: str
    description: str


APPS = (
    AppLink(
        "01_entry.ipynb", "数据录入", "录入各单位、各时期的减负指标，或从 Excel、CSV 文件导入。"
    ),
    AppLink("02_compare.ipynb", "对比分析", "比较改革前后的变化，生成图表和可直接引用的数据句子。"),
    AppLink("03_draft.ipynb", "发言稿起草", "依据对比结果起草交流发言、经验材料和调研报告。"),
    AppLink(
        "06_collect.ipynb",
        "填报任务",
        "向各监测点下发填报表，批量导入交回的文件，查看报送进度并生成催报通知。",
    ),
    AppLink("05_dashboard.ipynb", "自评汇总", "实时汇总自评问卷的结果，找出负担最重的方面。"),
)


def available_apps(
    notebooks_dir: Path = NOTEBOOKS, apps: tuple[AppLink, ...] = APPS
) -> list[AppLink]:
    """The apps whose notebook exists: an app not written yet gets no card."""
    return [app for app in apps if (Path(notebooks_dir) / app.notebook).is_file()]


def _card(app: AppLink) -> str:
    # Relative href: from /voila/render/index.ipynb it reaches /voila/render/<nb>,
    # also behind a proxy that adds a path prefix.
    return (
        f'<a class="jianfu-app-card" href="{html.escape(app.notebook)}">'
        f'<div class="jianfu-app-card-title">{html.escape(app.title)}</div>'
        f'<div class="jianfu-app-card-text">{html.escape(app.description)}</div>'
        '<div class="jianfu-app-card-open">打开 →</div>'
        "</a>"
    )


def _cards_html(apps: list[AppLink]) -> str:
    if not apps:
        return '<p class="jianfu-hint">暂时没有可用的功能。</p>'
    cards = "".join(_card(app) for app in apps)
    return f'<div class="jianfu-app-cards">{cards}</div>'


class LandingPage(widgets.VBox):
    """Title, a short description and one card per available app."""

    def __init__(self, notebooks_dir: Path = NOTEBOOKS):
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
