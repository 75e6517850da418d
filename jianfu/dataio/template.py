"""The blank workbook users fill in at their desks and import back.

The 填报 sheet is the importer's wide layout (单位, 时期, one “名称（单位）” column
per entered indicator), so a filled template always re-imports. Ratios are left out:
they are computed from their parts, and the 说明 sheet says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from ..catalog import AGGREGATE_LABELS, KIND_LABELS, Catalog, Indicator
from ..catalog.values import rule_for
from ..numbers.format import plain
from ..text.characters import clean_text
from .sheet_writer import append_row, excel_width

DATA_SHEET = "填报"
GUIDE_SHEET = "说明"
CATALOG_SHEET = "指标目录"
NOTE_HEADER = "备注"
MIN_ROWS = 1000  # rows covered by data validation
CATEGORY_FILLS = ("DDEBF7", "E2EFDA")  # alternate per category so groups stand out
KEY_FILL = "D9D9D9"

STEPS = (
    "在“填报”表中，每行填写一个单位在一个时期的数据：“单位”填单位名称，“时期”填如“2023年”“改革前”。",
    "每个指标占一列，列标题括号里是计量单位。格子里只填数字，如“82”；没有数据的格子留空即可。",
    "计数类指标（件、次、项、个、人等）填写不小于0的整数；百分比类指标填写0到100之间的数，如“92.6”（不要写成0.926）。",
    "比例类指标（如一线警力占比、视频会议占比）由系统根据分子和分母计算，表中没有这些列，请填写其分子、分母两项。",
    "不要填写“合计”行，也不要改动列标题；用不到的指标列可以整列删除。可在“备注”列写说明。",
    "填好后保存为.xlsx（或CSV）文件，在“录入”页面导入。导入前会先预览新增、修改和不变的数值，确认后才保存。",
    "同一单位、同一时期、同一指标再次导入时，新数值替换旧数值。",
)


def template_xlsx(
    catalog: Catalog, units: Sequence[str] = (), periods: Sequence[str] = ()
) -> bytes:
    """A blank (or pre-filled) workbook for data entry.

    Parameters
    ----------
    catalog
        Indicators to give a column each (ratios excluded), in category order.
    units, periods
        Optional names to pre-fill: one row per unit and period (unit-major); if
        only one list is given, one row per entry with the other column blank.

    Returns
    -------
    bytes
        An .xlsx file with sheets 填报, 说明 and 指标目录.
    """
    from openpyxl import Workbook

    wb = Workbook()
    _data_sheet(wb.active, catalog, _prefill(units, periods))
    _guide_sheet(wb.create_sheet(GUIDE_SHEET), catalog)
    _catalog_sheet(wb.create_sheet(CATALOG_SHEET), catalog)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def entered_indicators(catalog: Catalog) -> list[Indicator]:
    """Indicators a user types in, grouped in category order."""
    return [ind for group in catalog.by_category().values() for ind in group if ind.entered]


def _prefill(units: Sequence[str], periods: Sequence[str]) -> list[tuple[str, str]]:
    units, periods = list(units), list(periods)
    if units and periods:
        return [(u, p) for u in units for p in periods]
    return [(u, "") for u in units] or [("", p) for p in periods]


def _data_sheet(ws, catalog: Catalog, rows: list[tuple[str, str]]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.title = DATA_SHEET
    indicators = entered_indicators(catalog)
    headers = ["单位", "时期", *(i.label for i in indicators), NOTE_HEADER]
    append_row(ws, headers)
    for unit, period in rows:
        append_row(ws, [unit or None, period or None])
    fills = _category_fills(indicators)
    for col, cell in enumerate(ws[1], start=1):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor=fills.get(col, KEY_FILL))
    for col, ind in enumerate(indicators, start=3):
        ws.cell(row=1, column=col).comment = Comment(
            clean_text(_describe(ind)), "基层减负工作簿", width=260, height=120
        )
    widths = [16, 10, *(min(max(excel_width(i.label) // 2 + 2, 10), 18) for i in indicators), 24]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[1].height = 48
    ws.freeze_panes = "C2"
    _add_validation(ws, indicators, last_row=max(MIN_ROWS, len(rows) + 200))


def _category_fills(indicators: list[Indicator]) -> dict[int, str]:
    fills, category, turn = {}, None, -1
    for col, ind in enumerate(indicators, start=3):
        if ind.category != category:
            category, turn = ind.category, turn + 1
        fills[col] = CATEGORY_FILLS[turn % 2]
    return fills


def _describe(ind: Indicator) -> str:
    parts = [f"类别：{ind.category}", f"计量单位：{ind.measure}", f"方向：{ind.direction}"]
    parts.append(rule_for(ind.kind).describe())
    if ind.description:
        parts.append(ind.description)
    return "\n".join(parts)


def _add_validation(ws, indicators: list[Indicator], last_row: int) -> None:
    """Excel/WPS warn on a bad number as it is typed, by the indicator's own value rule
    (the importer checks again with the same rule)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    rules: dict[str, DataValidation] = {}
    for col, ind in enumerate(indicators, start=3):
        rule = rule_for(ind.kind)
        if ind.kind not in rules:
            rules[ind.kind] = DataValidation(
                type="whole" if rule.whole else "decimal",
                operator="between",
                formula1="0",
                formula2=plain(rule.maximum),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="数值有误",
                error=f"请{rule.describe()}",
            )
        letter = get_column_letter(col)
        rules[ind.kind].add(f"{letter}2:{letter}{last_row}")
    for rule in rules.values():
        ws.add_data_validation(rule)


def _guide_sheet(ws, catalog: Catalog) -> None:
    from openpyxl.styles import Alignment, Font

    append_row(ws, ["基层减负数据填报说明"])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [])
    append_row(ws, ["填写方法"])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for n, step in enumerate(STEPS, start=1):
        append_row(ws, [f"{n}. {step}"])
    append_row(ws, [])
    append_row(ws, ["指标一览"])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    header_row = ws.max_row + 1
    append_row(ws, ["类别", "指标", "计量单位", "类型", "方向", "说明"])
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for group in catalog.by_category().values():
        for ind in group:
            append_row(
                ws,
                [
                    ind.category,
                    ind.name,
                    ind.measure,
                    KIND_LABELS.get(ind.kind, ind.kind),
                    ind.direction,
                    _guide_note(catalog, ind),
                ],
            )
    for letter, width in zip("ABCDEF", (12, 28, 10, 12, 10, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")


def _guide_note(catalog: Catalog, ind: Indicator) -> str:
    if not ind.is_ratio:
        return ind.description
    a, b = (catalog[c].name if c in catalog else c for c in (ind.numerator, ind.denominator))
    computed = f"由“{a}”÷“{b}”自动计算，无需填写。"
    return f"{computed}{ind.description}" if ind.description else computed


def _catalog_sheet(ws, catalog: Catalog) -> None:
    from openpyxl.styles import Font

    append_row(
        ws,
        [
            "指标代码",
            "指标名称",
            "类别",
            "计量单位",
            "类型",
            "方向",
            "汇总方式",
            "分子",
            "分母",
            "预警规则",
            "说明",
        ],
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for ind in catalog:
        rules = "；".join(f"{t.describe(ind.measure)}（{t.level}）" for t in ind.thresholds)
        append_row(
            ws,
            [
                ind.code,
                ind.name,
                ind.category,
                ind.measure,
                KIND_LABELS.get(ind.kind, ind.kind),
                ind.direction,
                AGGREGATE_LABELS.get(ind.aggregate, ind.aggregate),
                ind.numerator or "",
                ind.denominator or "",
                rules,
                ind.description,
            ],
        )
    for letter, width in zip(
        "ABCDEFGHIJK", (26, 26, 10, 10, 12, 10, 14, 22, 22, 36, 50), strict=True
    ):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
