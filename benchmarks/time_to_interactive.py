"""Time-to-interactive of the win-win worksheet in Voila, cold and preheated, against a minimal notebook.

Both notebooks are served the same way in the same run (``coopkit serve``'s
Voila command, from a temporary folder holding a copy of each), and timed in
headless Chromium from navigation until the result is on screen: the verdict
banner for the worksheet, the button for the minimal one-widget notebook.
Every load uses a fresh browser context (no cached assets), like a first visit.

    .venv/bin/python benchmarks/time_to_interactive.py [--loads 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, running_voila  # noqa: E402

PAGES = {
    "minimal one-widget notebook": ("minimal_widget.ipynb", ".bench-ready"),
    "win-win worksheet": ("win_win_check.ipynb", ".coopkit-verdict .coopkit-verdict-text"),
    "reputation-risk worksheet": ("reputation_risk.ipynb", ".coopkit-verdict .coopkit-verdict-text"),
    "market-growth worksheet": ("market_growth.ipynb", ".coopkit-verdict .coopkit-verdict-text"),
}
REFILL_SECONDS = 12  # time for Voila to start and run a replacement preheated kernel


def time_load(browser, url: str, selector: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, timeout=120_000)
    page.locator(selector).first.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def measure(folder: Path, preheat: bool, loads: int, browser) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    with running_voila(folder, preheat=preheat, pool_size=1) as base:
        if preheat:
            time.sleep(REFILL_SECONDS * 2)  # let the first pool fill
        for _ in range(loads):
            for name, (notebook, selector) in PAGES.items():
                times[name].append(time_load(browser, f"{base}/voila/render/{notebook}", selector))
            if preheat:
                time.sleep(REFILL_SECONDS)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="page loads per notebook and mode (default 5)")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="coopkit-tti-") as tmp:
        folder = Path(tmp)
        shutil.copy(ROOT / "benchmarks" / "notebooks" / "minimal_widget.ipynb", folder)
        for notebook, _ in list(PAGES.values())[1:]:
            shutil.copy(ROOT / "notebooks" / "frameworks" / notebook, folder)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for mode, preheat in (("cold", False), ("preheated", True)):
                results[mode] = measure(folder, preheat, args.loads, browser)
            browser.close()
    print(f"Time-to-interactive in Voila, seconds over {args.loads} loads (median, min-max)")
    for mode, by_page in results.items():
        for name, times in by_page.items():
            print(f"  {mode:9} {name:28} {statistics.median(times):5.2f}  ({min(times):.2f}-{max(times):.2f})")
        minimal = statistics.median(by_page["minimal one-widget notebook"])
        for name in list(PAGES)[1:]:
            print(f"  {mode:9} {name} / minimal: {statistics.median(by_page[name]) / minimal:.2f}x")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "time_to_interactive.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
