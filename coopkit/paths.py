"""Where coopkit's files are: built from the package location, never the working directory.

Voila starts kernels in the notebook's folder, tests in the repository, users
anywhere; every file coopkit reads is located from here.

>>> (data_dir() / "samples").is_dir()
True
"""

from __future__ import annotations

from pathlib import Path

from coopkit.errors import InputError

__all__ = ["package_dir", "repo_root", "data_dir", "notebooks_dir"]


def package_dir() -> Path:
    """The installed ``coopkit`` package folder."""
    return Path(__file__).resolve().parent


def repo_root() -> Path:
    """The repository checkout the package runs from (editable install or source tree)."""
    return package_dir().parent


def _folder(name: str) -> Path:
    path = repo_root() / name
    if not path.is_dir():
        raise InputError(
            f"{name} folder",
            path,
            f"exist; coopkit's {name}/ ships with the repository: install it with `pip install -e .` from a clone",
        )
    return path


def data_dir() -> Path:
    """The repository's ``data/`` folder (sample cases and reference datasets)."""
    return _folder("data")


def notebooks_dir() -> Path:
    """The repository's ``notebooks/`` folder (the worksheets Voila serves)."""
    return _folder("notebooks")
