"""How a unit speaking for itself names itself: 我县, 我镇, 我局 rather than its full name.

In a speech or report the unit gives about itself (研讨交流发言, 经验交流材料,
自查报告), the idiom is 我县/我镇/我局; a 调研报告 written about a unit names it.
"""

from __future__ import annotations

# a place's government or party committee speaks for the place: 县委, 县人民政府 and
# 镇党委 say 我县, 我镇 (not 我委, 我单位); 县卫健委 is a 委 of its own
_SEATS = ("人民政府", "党工委", "党委", "委")
_PLACES = ("街道", "县", "镇", "乡", "区", "市", "州", "村")
# name endings and what the unit calls itself; longer endings first
_ENDINGS = (
    ("办公室", "我办"),
    ("委员会", "我委"),
    ("街道", "我街道"),
    ("社区", "我社区"),
    ("支队", "我支队"),
    ("大队", "我大队"),
    ("中心", "我中心"),
    ("分局", "我局"),
    ("局", "我局"),
    ("县", "我县"),
    ("镇", "我镇"),
    ("乡", "我乡"),
    ("区", "我区"),
    ("市", "我市"),
    ("州", "我州"),
    ("部", "我部"),
    ("委", "我委"),
    ("办", "我办"),
    ("厅", "我厅"),
    ("院", "我院"),
    ("所", "我所"),
    ("村", "我村"),
)
GENERIC = "我单位"
CHOICES = ("我县", "我镇", "我乡", "我区", "我市", "我局", "我部", "我委", "我单位", "我们")


def suggest_self_name(unit: str) -> str:
    """我县 for 示例县, 我镇 for 示例县城关镇, 我局 for 公安分局, else 我单位."""
    unit = (unit or "").strip()
    for seat in _SEATS:
        place = unit[: -len(seat)]
        if unit.endswith(seat) and place.endswith(_PLACES):
            return suggest_self_name(place)
    for ending, name in _ENDINGS:
        if unit.endswith(ending):
            return name
    return GENERIC


def self_name_choices(unit: str) -> list[str]:
    """The suggestion first, then the common ones, then the unit's own name."""
    first = suggest_self_name(unit)
    return list(dict.fromkeys([first, *CHOICES, *([unit] if unit else [])]))
