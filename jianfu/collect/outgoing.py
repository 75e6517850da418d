"""Every file a round sends out, by file name: one per unit plus the combined sheet."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .history import last_values, values_by_unit
from .model import Round
from .rounds import Collect
from .templates import combined_template, file_name, unit_template


def round_templates(collect: Collect, rnd: Round, combined: bool = True) -> dict[str, bytes]:
    catalog = collect.store.catalog()
    last = values_by_unit(last_values(collect.store, rnd))
    files = {
        file_name(rnd, unit): unit_template(rnd, unit, catalog, last.get(unit, {}))
        for unit in rnd.unit_names()
    }
    if combined:
        files[file_name(rnd)] = combined_template(rnd, catalog)
    return files


def write_templates(collect: Collect, rnd: Round, folder: str | Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in round_templates(collect, rnd).items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


def templates_zip(collect: Collect, rnd: Round) -> bytes:
    """All of them in one .zip (UTF-8 names), for the page's download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in round_templates(collect, rnd).items():
            archive.writestr(name, data)
    return buffer.getvalue()
