"""How fast the executive dashboard draws 200 cases: in Python, and in Voila from navigation to the table.

Seeds 200 demonstration cases (:func:`coopkit.store.samples.seed_cases`) into a temporary
SQLite workspace, then measures

(a) the Python side: building ``dashboard()`` (read the store, build the table, draw the
    chart, write the HTML) on a warm interpreter, median of 7;
(b) Voila: ``notebooks/executive/portfolio.ipynb`` served as ``coopkit serve`` serves it, with a
    preheated kernel, from navigation in headless Chromium until the table of cases is visible
    (each load in a fresh browser context; the pool refills between loads). Cold loads (no
    preheat) are measured too, for comparison.

The notebook is served from a temporary folder holding only it, so that Voila preheats one
kernel, not one per worksheet. Prints a Markdown table.

    .venv/bin/python benchmarks/dashboard_render.py [--cases 200] [--loads 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.time_to_interactive import REFILL_SECONDS, time_load  # noqa: E402
from benchmarks.voila_pages import kernel_environment  # noqa: E402
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, running_voila  # noqa: E402

NOTEBOOK = "executive/portfolio.ipynb"
TABLE = "table.coopkit-portfolio"


def python_side(url: str, runs: int = 7) -> list[float]:
    """Seconds to build dashboard(url), after one warm-up call."""
    from coopkit.ui.dashboard import dashboard

    dashboard(url)  # warm: imports, fonts, the store's engine
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        dashboard(url)
        times.append(time.perf_counter() - start)
    return times


def voila_side(folder: Path, workspace: Path, url: str, preheat: bool, loads: int, browser) -> list[float]:
    """Seconds from navigation to the visible table, one fresh browser context per load."""
    with kernel_environment(workspace, url), running_voila(folder, preheat=preheat, pool_size=1) as base:
        if preheat:
            time.sleep(REFILL_SECONDS * 2)  # let the pool fill
        times = []
        for _ in range(loads):
            times.append(time_load(browser, f"{base}/voila/render/{NOTEBOOK}", TABLE))
            if preheat:
                time.sleep(REFILL_SECONDS)
        return times


def row(what: str, times: list[float]) -> str:
    return f"| {what} | {statistics.median(times):.2f} | {min(times):.2f}–{max(times):.2f} | {len(times)} |"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases to seed (default 200)")
    parser.add_argument("--loads", type=int, default=5, help="preheated page loads (default 5; cold: 3)")
    args = parser.parse_args(argv)
    from coopkit.store.cases import CaseStore
    from coopkit.store.samples import seed_cases

    with tempfile.TemporaryDirectory(prefix="coopkit-dashboard-bench-") as tmp:
        workspace = Path(tmp) / "workspace"
        url = f"sqlite:///{workspace}/cases.sqlite"
        store = CaseStore(url)
        start = time.perf_counter()
        seed_cases(store, args.cases, seed=1)
        seeding = time.perf_counter() - start
        store.close()
        print(f"Seeded {args.cases} cases in {seeding:.1f} s", flush=True)
        python = python_side(url)
        print(f"Python side: median {statistics.median(python):.3f} s", flush=True)
        folder = Path(tmp) / "notebooks"
        (folder / "executive").mkdir(parents=True)
        shutil.copy(ROOT / "notebooks" / NOTEBOOK, folder / NOTEBOOK)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            preheated = voila_side(folder, workspace, url, True, args.loads, browser)
            cold = voila_side(folder, workspace, url, False, 3, browser)
            browser.close()
    print()
    print(f"Executive dashboard with {args.cases} cases, seconds (seeding took {seeding:.1f} s, once)")
    print()
    print("| Measure | Median | Min–max | Runs |")
    print("|---|---|---|---|")
    print(row("Python: `dashboard()` built, warm interpreter", python))
    print(row("Voila, preheated: navigation → table visible", preheated))
    print(row("Voila, cold kernel: navigation → table visible", cold))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
