"""Notebooks stay thin and diff-friendly: prose plus a few calls into coopkit.

Worksheets (everything outside notebooks/reference/) are stored without outputs;
no notebook defines functions or classes (logic belongs in coopkit/).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def code_cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert any(p.name == "win_win_check.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_cells_only_call_coopkit(path):
    for cell in code_cells(path):
        source = "".join(cell["source"])
        code = [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
        assert not any(line.lstrip().startswith(("def ", "class ")) for line in code), f"logic in a cell of {path.name}"
        assert len(code) <= 12, f"a cell of {path.name} has {len(code)} lines: move the logic into coopkit"


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if "reference" not in p.parts], ids=lambda p: str(p.relative_to(ROOT))
)
def test_worksheets_are_stored_without_outputs(path):
    for cell in code_cells(path):
        assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name}: run scripts/clean_notebooks.py"


@pytest.mark.parametrize("name", ["win_win_check", "reputation_risk", "market_growth"])
def test_worksheet_notebook_is_one_call(name):
    cells = code_cells(ROOT / "notebooks" / "frameworks" / f"{name}.ipynb")
    assert len(cells) == 1
    assert f'worksheet("{name}")' in "".join(cells[0]["source"])
