"""The indicator catalog: what can be measured, in which unit, and which way is better.

The catalog is a YAML file (data/indicators.yaml) so an organisation can adapt it
without touching code; every entry is validated on load (``loader``).
"""

from .directions import DIRECTIONS
from .loader import DEFAULT_CATALOG, indicator_from_dict, load_catalog, parse_catalog
from .model import (
    AGGREGATE_LABELS,
    AGGREGATES,
    CATEGORIES,
    KIND_LABELS,
    KINDS,
    LEVELS,
    RULES,
    Catalog,
    Indicator,
    Threshold,
)

__all__ = [
    "AGGREGATE_LABELS",
    "AGGREGATES",
    "CATEGORIES",
    "DEFAULT_CATALOG",
    "DIRECTIONS",
    "KINDS",
    "KIND_LABELS",
    "LEVELS",
    "RULES",
    "Catalog",
    "Indicator",
    "Threshold",
    "indicator_from_dict",
    "load_catalog",
    "parse_catalog",
]
