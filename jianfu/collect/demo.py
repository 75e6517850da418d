"""Demo rounds, so a facilitator can show the 填报任务 board live.

Built on the demo data only: the towns' files are filled from their stored demo
values and imported through the real batch (so their values come back 不变), and
no new value, unit or period is added to the demo figures. One round is finished
(2023年, both towns); one is open and past its due date (2024年: the towns have
reported, 示例县 and 示例支队 lack some indicators, so they show 逾期).
"""

from __future__ import annotations

import io
from datetime import date

from ..store import Store
from .batch import import_files
from .incoming import Incoming
from .outgoing import round_templates
from .rounds import Collect
from .templates import file_name

GROUP = "七减监测指标（示例）"
CODES = ["doc_count", "meeting_count", "inspection_items", "report_forms", "archive_volumes",
         "work_groups", "gov_apps"]  # fmt: skip
SITES = "示例监测点"
TOWNS = ["示例县城关镇", "示例县青山镇"]
FINISHED, OPEN = "2023年度减负监测（示例）", "2024年度减负监测（示例）"


def build_demo_rounds(store: Store) -> None:
    """Add the demo rounds (idempotent); the demo data must be there already."""
    collect = Collect(store)
    if FINISHED in collect.round_names():
        return
    collect.save_group(GROUP, CODES)
    collect.save_sites(SITES, [*TOWNS, "示例县", "示例支队"])
    notes = "请按年度统计口径填报，没有的数据留空。"
    done = collect.new_round(FINISHED, "2023年", TOWNS, group=GROUP,
                             due=date(2024, 1, 31), notes=notes)  # fmt: skip
    late = collect.new_round(OPEN, "2024年", collect.sites()[SITES], group=GROUP,
                             due=date(2025, 1, 31), notes=notes)  # fmt: skip
    for rnd in (done, late):
        _return_towns(collect, rnd)


def _return_towns(collect: Collect, rnd) -> None:
    templates = round_templates(collect, rnd, combined=False)
    files = []
    for town in TOWNS:
        values = collect.store.values_of(town, rnd.period)
        data = _filled(templates[file_name(rnd, town)], [values.get(c) for c in rnd.indicators])
        files.append(Incoming(f"{town}（{rnd.period}）.xlsx", data))
    import_files(collect, rnd, files)


def _filled(template: bytes, values: list) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    ws = wb["填报"]
    for row, value in enumerate(values, start=2):
        ws.cell(row=row, column=5, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
