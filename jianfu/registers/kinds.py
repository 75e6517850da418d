"""Loading the register kinds from data/registers/*.yaml (all problems of all files at once).

The folder also holds the warning limits (limits.yaml, :mod:`.limits`), which is no kind.
"""

from __future__ import annotations

from pathlib import Path

from ..datafiles import DataFile
from ..paths import DATA_FILES
from .model import RegisterError, RegisterKind

LIMITS_NAME = "limits.yaml"  # the warning limits (:mod:`.limits`) live beside the kinds

KINDS_DIR = DATA_FILES / "registers"
KIND_FILE = DataFile(RegisterKind, "台账类型", RegisterError)


def load_kinds(folder: str | Path | None = None) -> dict[str, RegisterKind]:
    """Every kind by its 台账名称 (发文, 会议, 督检考), in their ``order``."""
    kinds = KIND_FILE.load_folder(
        folder or KINDS_DIR, key=lambda k: k.name, label="台账名称", skip=(LIMITS_NAME,)
    )
    return {k.name: k for k in sorted(kinds.values(), key=lambda k: (k.order, k.name))}


def kind_named(kinds: dict[str, RegisterKind], name: str) -> RegisterKind:
    """A kind by its name or code, or a message listing the kinds there are."""
    for kind in kinds.values():
        if name in (kind.name, kind.code):
            return kind
    raise RegisterError(f"没有台账类型“{name}”，可选：{'、'.join(kinds)}")


def parse_kind(data: object, source: str | None = None) -> RegisterKind:
    return KIND_FILE.parse(data, source)
