"""data/README.md documents every data file: each file under data/ has an entry, and each entry names a real file.

An entry is a table row whose first cell is the file's path relative to data/ in backticks
(``| `samples/win_win_two_party.json` | ... |``). Hidden files (``.gitkeep``) are not data.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

DATA = ROOT / "data"
README = DATA / "README.md"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")


def data_files() -> list[str]:
    """Every file under data/ except README.md and hidden files, as a path relative to data/."""
    return sorted(
        path.relative_to(DATA).as_posix()
        for path in DATA.rglob("*")
        if path.is_file() and path != README and not any(part.startswith(".") for part in path.relative_to(DATA).parts)
    )


def entries() -> dict[str, str]:
    """The README's table rows: file path -> the rest of the row."""
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_the_readme_has_entries():
    assert "samples/win_win_two_party.json" in entries()


@pytest.mark.parametrize("name", data_files())
def test_every_data_file_has_an_entry(name):
    assert name in entries(), f"data/{name} has no entry in data/README.md: add a row | `{name}` | ... | source |"


def test_every_entry_names_a_file_that_exists():
    missing = sorted(set(entries()) - set(data_files()))
    assert not missing, f"data/README.md has entries for files that do not exist: {missing}"


@pytest.mark.parametrize("name", sorted(entries()))
def test_every_entry_says_whether_the_data_is_real(name):
    text = entries()[name].lower()
    assert any(word in text for word in ("synthetic", "real", "approximate")), name


@pytest.mark.parametrize("name", sorted(n for n in entries() if n.startswith("reference/")))
def test_reference_entries_cite_their_source(name):
    assert "http" in entries()[name], f"data/{name}: give the address of the source"


def test_a_file_without_an_entry_is_caught(tmp_path, monkeypatch):
    # The check itself: a new file in data/ with no row is reported.
    import tests.unit.test_data_readme as module

    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "table.csv").write_text("a\n1\n")
    (tmp_path / ".hidden").write_text("")
    (tmp_path / "README.md").write_text("| `old.csv` | x | Real. |\n")
    monkeypatch.setattr(module, "DATA", tmp_path)
    monkeypatch.setattr(module, "README", tmp_path / "README.md")
    assert module.data_files() == ["new/table.csv"]
    assert "new/table.csv" not in module.entries()
    assert set(module.entries()) == {"old.csv"}
