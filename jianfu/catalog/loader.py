"""Loading the catalog YAML through the data-file layer, with Chinese messages.

A broken entry is reported by its position, code and field, so an organisation
can fix its own catalog file without reading code. The rules live on the model
(:mod:`.model`); this module only names the file.
"""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

from ..datafiles import DataFile
from ..errors import CatalogError
from ..paths import DATA_FILES
from .model import Catalog, CatalogFile, Indicator

DEFAULT_CATALOG = DATA_FILES / "indicators.yaml"
CATALOG_FILE = DataFile(CatalogFile, "指标目录", CatalogError)
_ENTRY = DataFile(Indicator, "指标", CatalogError)
_CUSTOM = DataFile(Indicator, "自定义指标", CatalogError)
_FIELDS = {f.name for f in fields(Indicator)} - {"custom"}


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate the catalog YAML.

    Raises
    ------
    CatalogError
        with every problem found, each naming the entry and the field.
    """
    return Catalog(CATALOG_FILE.load(path or DEFAULT_CATALOG).indicators)


def parse_catalog(data: object, source: str | None = None) -> Catalog:
    """Validate already-parsed YAML data and build the catalog."""
    return Catalog(CATALOG_FILE.parse(data, source).indicators)


def indicator_from_dict(entry: dict, custom: bool = False) -> Indicator:
    """One indicator (a user's custom one, or one read back from the database).

    Only the indicator's own fields are read: a database row also holds when it
    was made. Raises CatalogError naming the field.
    """
    data = {k: v for k, v in entry.items() if k in _FIELDS}
    layer = _CUSTOM if custom else _ENTRY
    ind = layer.parse(data, source=data.get("name") if isinstance(data.get("name"), str) else None)
    return replace(ind, custom=True) if custom else ind
