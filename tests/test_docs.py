"""The README must name every app, every catalog indicator and the two set-up commands."""

from pathlib import Path

import pytest

from jianfu.catalog import load_catalog
from jianfu.paths import NOTEBOOKS, PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_every_app_is_in_the_readme(notebook):
    assert f"notebooks/{notebook}" in README


@pytest.mark.parametrize("name", [i.name for i in load_catalog()])
def test_every_indicator_is_in_the_readme(name):
    assert name in README


@pytest.mark.parametrize("command", ["make app", "make test"])
def test_setup_commands_documented(command):
    assert command in README


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_notebooks_are_thin_and_have_no_outputs():
    import json

    for path in NOTEBOOKS.glob("*.ipynb"):
        cells = [
            c
            for c in json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "code"
        ]
        assert len(cells) == 1, path.name
        assert not cells[0]["outputs"], path.name
        assert len("".join(cells[0]["source"]).strip().splitlines()) <= 6, path.name
