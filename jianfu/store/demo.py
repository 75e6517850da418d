"""Demo data: figures from public exchange materials, with their source noted, plus
clearly fictional units.

Used by demo mode (`jianfu demo`, `make app`) and by the tests alike, so that
what a facilitator shows is what the tests check. It is the store's demo content,
written only through :class:`~.store.Store`, so it lives beside the store.

Figures taken from public exchange materials (公开交流材料):
- a 区委组织部's research material: 2019/2020/2021 年发文 82、81、85 件，未实现逐年递减。
- a 公安分局's experience material on moving police to the front line: 社区民警工作台账
  16 种并为 10 种；户籍派出所 14 个并为 11 个；派出所和一线实战部门警力 377 名，
  占分局 407 名警力的 92.6%。
- a county's exchange speech: 文件、会议、督检考同比分别减少 51%、56.6%、76.57%
  (only the percentages are public: the counts below are constructed to match them).
- a 局's experience material: 会议总量同比减少 1/4；减少下发文电 80 余份；合并取消
  内业档案材料 20 多本 (counts constructed to match).
Everything else is fictional and every such unit is named 示例.
"""

from __future__ import annotations

import pandas as pd

from .store import Store

DOCS_2019_2021 = "某区委组织部减负调研材料（公开交流材料）：2019—2021年发文数"
POLICE = "某公安分局警力下沉经验材料（公开交流材料）"
COUNTY_CUTS = "按某县交流发言（公开交流材料）中的同比降幅51%、56.6%、76.57%构造的示例数"
BUREAU_CUTS = (
    "按某局经验材料（公开交流材料）中会议减少1/4、文电减少80余份、档案材料减少20多本构造的示例数"
)
FICTIONAL = "示例数据（虚构）"

UNITS = [
    # name, level, parent
    ("示例县", "县", None),
    ("示例县城关镇", "乡镇", "示例县"),
    ("示例县青山镇", "乡镇", "示例县"),
    ("示例区", "区", None),
    ("区委组织部", "部门", "示例区"),
    ("公安分局", "局", "示例区"),
    ("示例支队", "局", None),
]

PERIODS = ["2019年", "2020年", "2021年", "2023年", "2024年", "改革前", "改革后"]

# unit, indicator, {period: value}, source
SERIES: list[tuple[str, str, dict[str, float], str]] = [
    ("区委组织部", "doc_count", {"2019年": 82, "2020年": 81, "2021年": 85}, DOCS_2019_2021),
    ("公安分局", "community_police_ledgers", {"改革前": 16, "改革后": 10}, POLICE),
    ("公安分局", "police_stations", {"改革前": 14, "改革后": 11}, POLICE),
    ("公安分局", "frontline_police", {"改革后": 377}, POLICE),
    ("公安分局", "total_police", {"改革后": 407}, POLICE),
    ("公安分局", "frontline_police", {"改革前": 301}, FICTIONAL),
    ("公安分局", "total_police", {"改革前": 407}, FICTIONAL),
    # 200→98 = -51%; 106→46 = -56.6%; 175→41 = -76.57%
    ("示例县", "doc_count", {"2023年": 200, "2024年": 98}, COUNTY_CUTS),
    ("示例县", "meeting_count", {"2023年": 106, "2024年": 46}, COUNTY_CUTS),
    ("示例县", "inspection_items", {"2023年": 175, "2024年": 41}, COUNTY_CUTS),
    # 120→90 = -1/4; 260→178 = -82 份; 48→26 = -22 本
    ("示例支队", "meeting_count", {"2023年": 120, "2024年": 90}, BUREAU_CUTS),
    ("示例支队", "doc_count", {"2023年": 260, "2024年": 178}, BUREAU_CUTS),
    ("示例支队", "archive_volumes", {"2023年": 48, "2024年": 26}, BUREAU_CUTS),
    ("示例支队", "speech_main_minutes", {"2023年": 35, "2024年": 20}, FICTIONAL),
    ("示例支队", "meeting_minutes", {"2023年": 70, "2024年": 45}, FICTIONAL),
]

# Fictional towns: every catalog category has before/after values, some get worse
# (hidden burdens such as 便笺 and 工作群) so the demo shows warnings too.
TOWN_VALUES: dict[str, dict[str, tuple[float, float]]] = {
    "示例县城关镇": {
        "doc_count": (46, 31),
        "doc_unnumbered": (12, 19),
        "doc_received": (380, 255),
        "doc_avg_chars": (5600, 4200),
        "meeting_count": (58, 40),
        "meeting_video": (12, 16),
        "speech_main_minutes": (65, 45),
        "speech_exchange_minutes": (12, 8),
        "meeting_minutes": (75, 50),
        "inspection_items": (64, 30),
        "inspection_visits": (41, 22),
        "inspection_escort": (36, 15),
        "veto_items": (6, 2),
        "responsibility_letters": (18, 7),
        "report_forms": (52, 28),
        "report_frequency": (420, 260),
        "archive_volumes": (33, 18),
        "gov_apps": (9, 4),
        "app_checkin_features": (5, 1),
        "work_groups": (27, 31),
        "photo_upload_items": (14, 6),
        "seconded_staff": (4, 1),
        "staff_sunk": (12, 26),
        "care_measures": (3, 7),
        "fault_tolerance_cases": (0, 2),
        "problems_solved": (21, 38),
        "satisfaction_rate": (68.5, 81.2),
    },
    "示例县青山镇": {
        "doc_count": (39, 33),
        "doc_unnumbered": (6, 6),
        "doc_received": (350, 240),
        "doc_avg_chars": (4800, 3900),
        "meeting_count": (44, 37),
        "meeting_video": (5, 14),
        "speech_main_minutes": (50, 40),
        "speech_exchange_minutes": (10, 7),
        "meeting_minutes": (60, 45),
        "inspection_items": (58, 35),
        "inspection_visits": (30, 26),
        "inspection_escort": (20, 12),
        "veto_items": (4, 4),
        "responsibility_letters": (12, 5),
        "report_forms": (47, 25),
        "report_frequency": (380, 240),
        "archive_volumes": (26, 15),
        "gov_apps": (7, 3),
        "app_checkin_features": (3, 0),
        "work_groups": (19, 12),
        "photo_upload_items": (9, 4),
        "seconded_staff": (2, 0),
        "staff_sunk": (8, 15),
        "care_measures": (2, 5),
        "fault_tolerance_cases": (1, 1),
        "problems_solved": (15, 29),
        "satisfaction_rate": (72.0, 85.5),
    },
}


def demo_observations() -> pd.DataFrame:
    """The demo data as a tidy frame (unit, period, indicator, value, note, source)."""
    rows = [
        (unit, period, code, float(value), "", source)
        for unit, code, values, source in SERIES
        for period, value in values.items()
    ]
    for town, values in TOWN_VALUES.items():
        for code, (before, after) in values.items():
            rows.append((town, "2023年", code, float(before), "", FICTIONAL))
            rows.append((town, "2024年", code, float(after), "", FICTIONAL))
    return pd.DataFrame(rows, columns=["unit", "period", "indicator", "value", "note", "source"])


def build_demo(store: Store) -> None:
    """Fill a store with the demo units, periods and values (idempotent)."""
    for name, level, parent in UNITS:
        store.ensure_unit(name, level, parent)
    for label in PERIODS:
        store.add_period(label)
    store.save_observations(demo_observations())
