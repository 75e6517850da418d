"""README's layout section names every module where it lives, so a newcomer finds a thing
from the folder names and the one page that explains them (issue 18)."""

from __future__ import annotations

import re

import pytest

from jianfu.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
LAYOUT = README[README.index("notebooks/   笔记本") : README.index("## English summary")]


def sections() -> dict[str, str]:
    """Top folder (``jianfu/``) and its entries (``jianfu/compare/``) → their text, continuation
    lines included."""
    found: dict[str, str] = {}
    top = key = ""
    for line in LAYOUT.splitlines():
        if re.match(r"\S+/", line):
            top = key = line.split()[0]
        elif m := re.match(r"  (\S+/)\s", line):
            key = top + m.group(1)
        found[key] = found.get(key, "") + line + "\n"
    return found


def modules(folder: str) -> list[str]:
    path = PROJECT_ROOT / folder
    return sorted(
        p.stem if p.is_file() else p.name
        for p in path.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__")
        or (p.is_dir() and (p / "__init__.py").exists())
    )


PACKAGES = sorted(
    f"jianfu/{p.name}/" for p in (PROJECT_ROOT / "jianfu").iterdir() if (p / "__init__.py").exists()
) + ["widgets/compare/", "widgets/draft/"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_of_a_package_is_named_in_its_line(package):
    text = sections().get(package)
    assert text, f"README's layout has no line for {package}"
    assert [m for m in modules(package) if m not in text] == []


@pytest.mark.parametrize("folder", ["jianfu/", "widgets/", "tests/support/"])
def test_every_top_module_is_named(folder):
    text = (
        LAYOUT
        if folder == "widgets/"
        else "".join(v for k, v in sections().items() if k.startswith(folder.split("/")[0] + "/"))
    )
    named = [m for m in modules(folder) if m not in text]
    assert named == [], f"not in README's layout: {named}"
