"""All data as one file (导出全部数据): every observation as .xlsx or .csv.

The long layout carries the indicator's name, code and measure, so a file that
went out can come back in unchanged (notes included); the wide layout has one
row per unit and period. Cells are written by :mod:`.sheet_writer`.
"""

from __future__ import annotations

import pandas as pd

from ..catalog import Catalog
from .sheet_writer import table_csv, table_xlsx, text_of

LONG_COLUMNS = ["单位", "时期", "指标", "指标代码", "计量单位", "数值", "备注", "来源", "更新时间"]

SHEET = "数据"


def export_frame(obs: pd.DataFrame, catalog: Catalog, layout: str = "long") -> pd.DataFrame:
    """The table as written to a file, with Chinese headers (text as stored: the writer guards it).

    Parameters
    ----------
    obs
        Tidy observations: unit, period, indicator (code), value; optional note,
        source, updated_at.
    layout
        "long": one value per row (re-imports losslessly, notes included);
        "wide": one row per unit and period, one “名称（单位）” column per indicator.
    """
    if layout not in ("long", "wide"):
        raise ValueError(f"layout must be 'long' or 'wide', not {layout!r}")
    obs = _ordered(obs, catalog)
    if layout == "wide":
        return _wide(obs, catalog)
    ind = obs["indicator"].map(catalog.get)
    return pd.DataFrame(
        {
            "单位": obs["unit"].astype(object),
            "时期": obs["period"].astype(object),
            "指标": [i.name if i else c for i, c in zip(ind, obs["indicator"], strict=True)],
            "指标代码": obs["indicator"].astype(object),
            "计量单位": [i.measure if i else "" for i in ind],
            "数值": obs["value"].astype(float),
            "备注": _text_column(obs, "note"),
            "来源": _text_column(obs, "source"),
            "更新时间": _text_column(obs, "updated_at"),
        },
        columns=LONG_COLUMNS,
    ).reset_index(drop=True)


def export_xlsx(obs: pd.DataFrame, catalog: Catalog, *, layout: str = "long") -> bytes:
    """An .xlsx workbook with one 数据 sheet; text cells are never formulas."""
    return table_xlsx(export_frame(obs, catalog, layout), sheet=SHEET)


def export_csv(obs: pd.DataFrame, catalog: Catalog, *, layout: str = "long") -> bytes:
    """CSV in UTF-8 with BOM (so Excel and WPS detect the encoding), CRLF lines."""
    table = export_frame(obs, catalog, layout)
    return table_csv(table.columns, table.itertuples(index=False))


def _ordered(obs: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Units and periods in first-seen order, indicators in catalog order."""
    rank = {code: i for i, code in enumerate(catalog.codes())}
    keys = pd.DataFrame(
        {
            "u": pd.factorize(obs["unit"])[0],
            "p": pd.factorize(obs["period"])[0],
            "i": obs["indicator"].map(lambda c: rank.get(c, len(rank))).to_numpy(),
        },
        index=obs.index,
    )
    order = keys.sort_values(["u", "p", "i"], kind="stable").index
    return obs.loc[order]


def _wide(obs: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    rank = {code: i for i, code in enumerate(catalog.codes())}
    codes = sorted(dict.fromkeys(obs["indicator"]), key=lambda c: rank.get(c, len(rank)))
    labels = {code: (catalog[code].label if code in catalog else code) for code in codes}
    rows: dict[tuple, dict] = {}
    for unit, period, code, value in obs[["unit", "period", "indicator", "value"]].itertuples(
        index=False
    ):
        rows.setdefault((unit, period), {"单位": unit, "时期": period})[labels[code]] = value
    columns = ["单位", "时期", *labels.values()]
    return pd.DataFrame(list(rows.values()), columns=columns)


def _text_column(obs: pd.DataFrame, name: str) -> list[str]:
    if name not in obs.columns:
        return [""] * len(obs)
    return [text_of(v) for v in obs[name]]
