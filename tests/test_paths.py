"""Where the shipped files and the data folder are, in a checkout and in an installed wheel."""

from __future__ import annotations

import sys

import pytest

from jianfu import paths


def test_a_checkout_is_recognised_by_its_project_files(tmp_path):
    assert paths.in_checkout()  # these tests run from one
    assert not paths.in_checkout(tmp_path)  # site-packages holds no pyproject.toml
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "notebooks").mkdir()
    assert paths.in_checkout(tmp_path)


@pytest.mark.parametrize(
    ("holding", "found"),
    [(("user",), "user"), (("env",), "env"), (("env", "user"), "env"), ((), "default")],
)
def test_the_wheels_files_are_found_under_the_prefix_holding_them(
    tmp_path, monkeypatch, holding, found
):
    """The environment's prefix first, then the user's (pip install --user)."""
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "default"))
    for name in holding:
        (tmp_path / name / paths.SHARE).mkdir(parents=True)
    share = paths.installed_share((str(tmp_path / "env"), str(tmp_path / "user")))
    assert share == tmp_path / found / paths.SHARE


@pytest.mark.parametrize("name", sorted(paths.SOURCES))
def test_shipped_folders_exist_in_the_checkout(name):
    assert paths.shipped(name).is_dir()


def test_an_installed_package_keeps_its_data_in_the_user_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(paths, "in_checkout", lambda root=None: False)
    folder = paths.data_dir()
    if sys.platform.startswith("linux"):
        assert folder == tmp_path / "xdg" / "jianfu"
    assert folder.is_dir() and "site-packages" not in folder.parts


def test_the_environment_names_the_data_folder_first(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "mine"))
    assert paths.data_dir() == tmp_path / "mine"
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path / "checkout")
    monkeypatch.setattr(paths, "in_checkout", lambda root=None: True)
    assert paths.data_dir() == tmp_path / "checkout" / "instance"
