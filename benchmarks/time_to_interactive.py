"""Time-to-interactive of every worksheet in Voila, cold and preheated, against a minimal one-widget notebook.

Every page is served the same way in the same run (``coopkit serve``'s Voila
command, from a temporary copy of the notebooks plus
``benchmarks/notebooks/minimal_widget.ipynb``), with the kernels reading a
throw-away workspace seeded with demonstration cases. Each load is timed in
headless Chromium from navigation until the page's "ready" element is visible:

- a worksheet: its verdict (``.coopkit-verdict .coopkit-verdict-text``);
- the start page (``notebooks/00_start_here.ipynb``): its recommendations;
- the executive dashboard (``notebooks/executive/portfolio.ipynb``): its table of cases;
- the minimal notebook: its button.

Every load uses a fresh browser context (no cached assets), like a first visit,
and its kernel is shut down afterwards. Before each load the script waits until
Voila and its kernels are idle (the preheated pool refilled, the last kernel
gone), so a load does not pay for the previous one. The machine's load average
is printed with the results: other jobs on it inflate every figure.

Modes: *cold*, a kernel started on request (``--preheat_kernel`` off); *preheated*,
``--preheat_kernel=True --pool_size=1``, as ``coopkit serve`` runs.

    .venv/bin/python benchmarks/time_to_interactive.py [--loads 5] [--modes cold,preheated]
                                                       [--pages win_win_check,referrals] [--cases 20]

Raw times go to ``benchmarks/results/time_to_interactive.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.voila_pages import (  # noqa: E402
    MINIMAL,
    Page,
    copy_notebooks,
    kernel_environment,
    kernels,
    load_average,
    pages,
    seed_workspace,
    select,
    shut_down_kernel,
    voila_process,
    wait_quiet,
)
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, running_voila  # noqa: E402

REFILL_SECONDS = 12  # kept for benchmarks/dashboard_render.py: a fixed wait for a replacement preheated kernel
TARGET_PREHEATED = 1.0  # seconds (issue 8)
TARGET_COLD_RATIO = 1.5  # cold worksheet / cold minimal notebook (issue 8)


def time_load(browser, url: str, selector: str, *, shut_down: bool = False) -> float:
    """Seconds from navigation until ``selector`` is visible, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, timeout=120_000)
    page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    elapsed = time.perf_counter() - start
    if shut_down:
        shut_down_kernel(page)
    context.close()
    return elapsed


def measure(folder: Path, chosen: list[Page], preheat: bool, loads: int, browser) -> dict:
    """Per page: the load times, and the load average seen before each load."""
    times: dict[str, list[float]] = {p.label: [] for p in chosen}
    loadavg: list[str] = []
    with running_voila(folder, preheat=preheat, pool_size=1, timeout=120) as base:
        voila = voila_process(base)
        pool = len(chosen) if preheat else 0  # one preheated kernel per notebook
        for round_ in range(loads):
            for page in chosen:
                wait_quiet(voila, kernels_expected=pool if preheat else None)
                if not preheat and kernels(voila):
                    wait_quiet(voila, window=3)  # a cold load must not share the CPU with a kernel shutting down
                loadavg.append(load_average())
                seconds = time_load(browser, f"{base}/voila/render/{page.notebook}", page.ready, shut_down=True)
                times[page.label].append(seconds)
                mode = "preheated" if preheat else "cold"
                print(f"  {mode:9} load {round_ + 1}/{loads} {page.label:18} {seconds:6.2f} s  (load {loadavg[-1]})")
                sys.stdout.flush()
    return {"times": times, "loadavg": loadavg}


def summary(results: dict) -> list[str]:
    lines = []
    for mode, data in results.items():
        by_page = data["times"]
        minimal = statistics.median(by_page[MINIMAL])
        loads = [float(x.split()[0]) for x in data["loadavg"]]
        lines.append(
            f"{mode}: median of {len(by_page[MINIMAL])} loads, seconds (min-max); "
            f"1-min load average {min(loads):.1f}-{max(loads):.1f} (median {statistics.median(loads):.1f})"
        )
        lines.append("| Page | Median | Min–max | / minimal | Target |")
        lines.append("|---|---|---|---|---|")
        for label, times in by_page.items():
            med = statistics.median(times)
            ratio = med / minimal
            if label == MINIMAL:
                target = ""
            elif mode == "preheated":
                target = "met" if med < TARGET_PREHEATED else "missed"
            else:
                target = "met" if ratio <= TARGET_COLD_RATIO else "missed"
            lines.append(f"| {label} | {med:.2f} | {min(times):.2f}–{max(times):.2f} | {ratio:.2f}× | {target} |")
        lines.append("")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="page loads per page and mode (default 5)")
    parser.add_argument("--modes", default="cold,preheated", help="cold, preheated or both (default both)")
    parser.add_argument("--pages", default="", help="comma-separated page labels (default: all); minimal always")
    parser.add_argument("--cases", type=int, default=20, help="demonstration cases in the workspace (default 20)")
    parser.add_argument("--out", default="time_to_interactive.json", help="file name under benchmarks/results/")
    args = parser.parse_args(argv)
    chosen = select(pages(), args.pages)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    results = {}
    print(f"Pages: {', '.join(p.label for p in chosen)}; load average at start {load_average()}")
    with tempfile.TemporaryDirectory(prefix="coopkit-tti-") as tmp:
        folder = Path(tmp) / "notebooks"
        copy_notebooks(folder, chosen)
        workspace = Path(tmp) / "workspace"
        url = seed_workspace(workspace, args.cases)
        with kernel_environment(workspace, url), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for mode in modes:
                results[mode] = measure(folder, chosen, mode == "preheated", args.loads, browser)
            browser.close()
    print()
    print("\n".join(summary(results)))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / args.out).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
