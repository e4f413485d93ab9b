"""Keep notebooks diff-friendly: no timing metadata anywhere; no outputs outside notebooks/reference/.

Reference notebooks keep their outputs (nbval compares them); every other
notebook is stored without outputs or execution counts. Run with --check to
only report (exit 1 when something would change).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def clean(nb: dict, keep_outputs: bool) -> dict:
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("execution", None)
        if cell.get("cell_type") == "code" and not keep_outputs:
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    dirty = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        keep = "reference" in path.relative_to(ROOT / "notebooks").parts
        cleaned = json.dumps(clean(json.loads(text), keep), indent=1, ensure_ascii=False) + "\n"
        if cleaned != text:
            dirty.append(path.relative_to(ROOT))
            if not check:
                path.write_text(cleaned, encoding="utf-8")
    for path in dirty:
        print(("needs cleaning: " if check else "cleaned: ") + str(path))
    return 1 if check and dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
