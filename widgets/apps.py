"""The apps the workbook offers: what the landing page's cards and every page's links list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jianfu.paths import NOTEBOOKS


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
    AppLink(
        "07_registers.ipynb", "台账", "逐条登记发文、会议、督检考，由台账计算指标，超限随时预警。"
    ),
    AppLink("08_clues.ipynb", "问题线索", "核实、转办、答复匿名反映的问题线索，统计并起草通报。"),
)


def available_apps(
    notebooks_dir: Path = NOTEBOOKS, apps: tuple[AppLink, ...] = APPS
) -> list[AppLink]:
    """The apps whose notebook exists: an app not written yet gets no card."""
    return [app for app in apps if (Path(notebooks_dir) / app.notebook).is_file()]
