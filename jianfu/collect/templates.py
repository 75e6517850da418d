"""The files a round sends out: one .xlsx per unit, and one combined sheet.

A unit's file is the importer's long layout (单位, 时期, 指标, 计量单位, 数值, 备注:
one row per indicator), so it re-imports with the importer's own rules. Unit and
period are filled and the sheet is protected: only 数值 and 备注 can be typed in.
Beside each field: last period's value and the allowed range, for reference (their
columns are not read back). The round's token and the unit's key are written as a
workbook defined name, so a renamed file still finds its round and unit.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape

import pandas as pd

from ..catalog import Catalog
from ..catalog.values import rule_for
from ..dataio.sheet_writer import append_row
from ..dataio.template import template_xlsx
from ..numbers.format import plain
from ..text.files import safe_file_name
from .model import Round

MARK = "JIANFU_COLLECT"  # the defined name holding "token:key" (key "" for combined)
DATA_SHEET, GUIDE_SHEET = "填报", "说明"
HEADERS = ["单位", "时期", "指标", "计量单位", "数值", "上期数值（参考）", "允许范围", "备注"]
VALUE_COL, NOTE_COL = 5, 8
_MARK_XML = re.compile(rf'<(?:\w+:)?definedName[^>]*name="{MARK}"[^>]*>([^<]*)<', re.DOTALL)


def unit_template(rnd: Round, unit: str, catalog: Catalog, last: dict[str, float]) -> bytes:
    """One unit's workbook; ``last`` holds its values of the period before, by code."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    append_row(ws, HEADERS)
    for code in rnd.indicators:
        ind = catalog[code]
        before = last.get(code)
        before = None if before is None or pd.isna(before) else float(before)
        append_row(
            ws,
            [unit, rnd.period, ind.name, ind.measure, None, before,
             rule_for(ind.kind).describe(), None],
        )  # fmt: skip
    _protect(ws, rnd, catalog)
    _guide(wb.create_sheet(GUIDE_SHEET), rnd, unit)
    _mark(wb, f"{rnd.token}:{_key(rnd, unit)}")
    return _saved(wb)


def combined_template(rnd: Round, catalog: Catalog) -> bytes:
    """One wide sheet, a row per unit (the blank template restricted to the round)."""
    from openpyxl import load_workbook

    subset = Catalog(tuple(catalog[c] for c in rnd.indicators))
    wb = load_workbook(io.BytesIO(template_xlsx(subset, rnd.unit_names(), [rnd.period])))
    _mark(wb, f"{rnd.token}:")
    return _saved(wb)


def file_name(rnd: Round, unit: str = "") -> str:
    """“<任务>_<单位>.xlsx”, or “<任务>_汇总表.xlsx” for the combined sheet."""
    who = unit or "汇总表"
    return safe_file_name(f"{rnd.name}_{who}", "填报表") + ".xlsx"


def read_mark(data: bytes) -> tuple[str, str] | None:
    """(token, unit key) from a returned workbook, or None (CSV, another file, no mark)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    found = _MARK_XML.search(xml)
    if not found:
        return None
    text = unescape(found.group(1)).strip().strip('"')
    token, _, key = text.partition(":")
    return (token, key) if token else None


def _key(rnd: Round, unit: str) -> str:
    return next(u.key for u in rnd.units if u.name == unit)


def _mark(wb, text: str) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names[MARK] = DefinedName(MARK, attr_text=f'"{text}"')


def _protect(ws, rnd: Round, catalog: Catalog) -> None:
    """Lock everything but 数值 and 备注; warn on a bad number as it is typed."""
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    for row, code in enumerate(rnd.indicators, start=2):
        rule = rule_for(catalog[code].kind)
        for col in (VALUE_COL, NOTE_COL):
            ws.cell(row=row, column=col).protection = Protection(locked=False)
        ws.cell(row=row, column=VALUE_COL).fill = PatternFill("solid", fgColor="FFF2CC")
        check = DataValidation(
            type="whole" if rule.whole else "decimal",
            operator="between",
            formula1="0",
            formula2=plain(rule.maximum),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="数值有误",
            error=f"请{rule.describe()}",
        )
        check.add(f"E{row}")
        ws.add_data_validation(check)
    for letter, width in zip("ABCDEFGH", (18, 10, 28, 10, 12, 14, 30, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "E2"
    ws.protection.sheet = True


def _guide(ws, rnd: Round, unit: str) -> None:
    from openpyxl.styles import Font

    append_row(ws, [f"{rnd.name} 填报说明"])
    ws["A1"].font = Font(bold=True, size=14)
    lines = [
        f"填报单位：{unit}",
        f"填报时期：{rnd.period}",
        f"截止日期：{rnd.due.isoformat() if rnd.due else '未设'}",
        "",
        "1. 在“填报”表的“数值”列填写本单位本时期的数据，只填数字；没有的数据留空。",
        "2. “上期数值（参考）”是本单位上一时期已报送的数，仅供核对，不必修改；"
        "如本期与上期相差十倍左右，请核实计量单位（如“万”与“个”）。",
        "3. 单位、时期和指标已锁定，请不要改动；“备注”列可写说明。",
        "4. 保存后将文件交回即可，文件改名不影响识别。",
    ]
    if rnd.notes:
        lines += ["", f"说明：{rnd.notes}"]
    for line in lines:
        append_row(ws, [line])
    ws.column_dimensions["A"].width = 100


def _saved(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
