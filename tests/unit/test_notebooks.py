"""Notebooks stay thin and diff-friendly: prose plus a few calls into coopkit.

Worksheets (everything outside notebooks/reference/) are stored without outputs;
no notebook defines functions or classes (logic belongs in coopkit/).
"""

from __future__ import annotations

import ast
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
    # Thin cells: calls and display. No functions or classes; at most 12 statements (an argument list
    # spread over lines is one statement), so any real computation has to live in coopkit.
    for cell in code_cells(path):
        tree = ast.parse("".join(cell["source"]))
        defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
        assert not defined, f"logic (def/class) in a cell of {path.name}"
        statements = sum(1 for n in ast.walk(tree) if isinstance(n, ast.stmt))
        assert statements <= 12, f"a cell of {path.name} has {statements} statements: move the logic into coopkit"


REFERENCE_CELL_LINES = 12


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if "reference" in p.parts], ids=lambda p: str(p.relative_to(ROOT))
)
def test_reference_notebook_cells_are_short(path):
    # Reference notebooks may show more steps than a worksheet, but each step is a short call into coopkit: at most
    # 12 source lines a code cell, blank lines not counted (an argument list spread over lines counts line by line).
    cells = json.loads(path.read_text())["cells"]
    long_cells = [
        f"cell {index} has {lines} lines"
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code"
        and (lines := sum(1 for line in "".join(cell["source"]).splitlines() if line.strip())) > REFERENCE_CELL_LINES
    ]
    assert not long_cells, (
        f"{path.relative_to(ROOT)}: {'; '.join(long_cells)} (at most {REFERENCE_CELL_LINES} non-blank lines, "
        "counting every cell of the notebook from 0): move the logic into coopkit"
    )


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
