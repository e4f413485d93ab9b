"""Tests for coopkit.paths: files located from the package, never from the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

import coopkit
from coopkit import paths
from coopkit.errors import InputError


def test_package_dir_is_the_coopkit_package():
    assert paths.package_dir() == Path(coopkit.__file__).resolve().parent
    assert (paths.package_dir() / "paths.py").is_file()


def test_repo_root_is_the_parent_of_the_package():
    root = paths.repo_root()
    assert root == paths.package_dir().parent
    assert (root / "pyproject.toml").is_file()


def test_data_dir_holds_the_samples():
    data = paths.data_dir()
    assert data == paths.repo_root() / "data"
    assert (data / "samples" / "win_win_two_party.json").is_file()


def test_notebooks_dir():
    notebooks = paths.notebooks_dir()
    assert notebooks == paths.repo_root() / "notebooks"
    assert notebooks.is_dir()


def test_paths_are_absolute():
    for folder in (paths.package_dir(), paths.repo_root(), paths.data_dir(), paths.notebooks_dir()):
        assert folder.is_absolute()


def test_paths_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    before = (paths.package_dir(), paths.repo_root(), paths.data_dir(), paths.notebooks_dir())
    (tmp_path / "data").mkdir()  # a decoy data/ folder in the new working directory
    monkeypatch.chdir(tmp_path)
    assert (paths.package_dir(), paths.repo_root(), paths.data_dir(), paths.notebooks_dir()) == before


@pytest.mark.parametrize(("function", "name"), [(paths.data_dir, "data"), (paths.notebooks_dir, "notebooks")])
def test_missing_folder_explains_how_to_install(tmp_path, monkeypatch, function, name):
    monkeypatch.setattr(paths, "repo_root", lambda: tmp_path)
    with pytest.raises(
        InputError,
        match=rf"^{name} folder must exist; coopkit's {name}/ ships with the repository: "
        rf"install it with `pip install -e \.` from a clone, got '.*{name}'$",
    ) as info:
        function()
    assert info.value.field == f"{name} folder"
    assert info.value.value == tmp_path / name


def test_a_file_where_the_folder_should_be_is_not_a_folder(tmp_path, monkeypatch):
    (tmp_path / "data").write_text("not a folder")
    monkeypatch.setattr(paths, "repo_root", lambda: tmp_path)
    with pytest.raises(InputError, match=r"^data folder must exist"):
        paths.data_dir()
