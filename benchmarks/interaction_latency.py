"""Interaction latency of every worksheet in Voila: from an edit to the updated verdict, and to the redrawn charts.

For each worksheet the script picks a number box whose value changes what the
verdict banner says (found from the worksheet's sample case: the first number
field that, raised by about 10%, still validates and gives another banner, and
is visible in the form), opens the worksheet in headless Chromium (Voila as
``coopkit serve`` runs it, kernels started on request, a throw-away workspace),
and types alternately the raised and the original value, committing each with
Enter, ``--edits`` times.

Timing is taken in the page, not by polling from Python: a keydown listener
records ``performance.now()`` at the Enter key, and a MutationObserver records
the time of every DOM change under the results (``.coopkit-results``) and the
status line (``.coopkit-status``). Per edit:

- *verdict*: Enter to the first change of the status line, verdict banner,
  findings or tables (the new figures on screen);
- *charts*: Enter to the last change of the chart grid (every chart redrawn);
  missing when no chart changed.

After each edit the script waits until nothing changed for ``--settle`` seconds
and the kernel is idle, so edits do not queue behind each other. Targets (issue 8):
verdict median under 150 ms and 95th percentile under 300 ms.

    .venv/bin/python benchmarks/interaction_latency.py [--edits 22] [--pages win_win_check,referrals]

Raw times go to ``benchmarks/results/interaction_latency.json``.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.voila_pages import (  # noqa: E402
    VERDICT,
    copy_notebooks,
    kernel_environment,
    load_average,
    pages,
    seed_workspace,
    select,
    shut_down_kernel,
    voila_process,
    wait_quiet,
)
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, running_voila  # noqa: E402

TARGET_MEDIAN_MS = 150
TARGET_P95_MS = 300

OBSERVE_JS = """() => {
    const bench = {enter: [], changes: []};
    window.__bench = bench;
    document.addEventListener('keydown', (e) => { if (e.key === 'Enter') bench.enter.push(performance.now()); }, true);
    const observer = new MutationObserver((records) => {
        const t = performance.now();
        for (const r of records) {
            const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            const kind = el && el.closest('.coopkit-charts') ? 'charts' : 'verdict';
            bench.changes.push([t, kind]);
        }
    });
    const options = {subtree: true, childList: true, attributes: true, characterData: true};
    observer.observe(document.querySelector('.coopkit-results'), options);
    observer.observe(document.querySelector('.coopkit-status'), options);
}"""

SETTLED_JS = """(settle) => {
    const b = window.__bench;
    if (!b.enter.length) return false;
    const t0 = b.enter[b.enter.length - 1];
    const after = b.changes.filter((c) => c[0] >= t0);
    return after.length > 0 && performance.now() - after[after.length - 1][0] > settle;
}"""


# --------------------------------------------------------------------------- which box to edit
def _leaves(data, loc=()):
    """(location, value) of every number in a case's inputs, top-level fields first."""
    out = []
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return [(loc, data)] if isinstance(data, int | float) and not isinstance(data, bool) else []
    for key, value in items:
        out += _leaves(value, (*loc, key))
    return sorted(
        out, key=lambda lv: (len(lv[0]), any(isinstance(p, int) for p in lv[0]), lv[0][-1] in ("low", "high"))
    )


def _with(data: dict, loc: tuple, value) -> dict:
    changed = copy.deepcopy(data)
    node = changed
    for key in loc[:-1]:
        node = node[key]
    node[loc[-1]] = value
    return changed


def _typed(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def candidates(name: str) -> list[tuple[str, str, str]]:
    """(field location as in its CSS class, raised value, original value), best first, for worksheet ``name``.

    A candidate validates at both values and shows another verdict banner (or, failing
    that, other findings or tables) at the raised value.
    """
    from coopkit import options
    from coopkit.report import html as report_html
    from coopkit.store.casefile import read_case, sample_case

    sheet = options.get(name)
    data = read_case(sample_case(sheet.sample)).inputs

    def shown(d):
        inputs, problems = options.validate(sheet.inputs, d)
        if problems:
            return None
        a = sheet.assess(inputs)
        return report_html.verdict_html(a), report_html.findings_html(a) + a.parties.to_string()

    base = shown(data)
    banner, other = [], []
    for loc, value in _leaves(data):
        if isinstance(value, int) and abs(value) < 100:  # a score, a count: one more
            raised = value + 1
        elif isinstance(value, int):  # money typed as a whole number
            raised = round(value * 1.1)
        else:
            raised = float(f"{value * 1.1:.3g}") if value else 0.1
        after = shown(_with(data, loc, raised))
        if after is None or base is None:
            continue
        entry = ("-".join(str(p) for p in loc), _typed(raised), _typed(value))
        if after[0] != base[0]:
            banner.append(entry)
        elif after[1] != base[1]:
            other.append(entry)
        if len(banner) >= 8:
            break
    return banner + other


# --------------------------------------------------------------------------- timing in the browser
def number_box(page, field: str):
    """The number box of ``field``, with the form's collapsed sections ("Advanced") opened if it is in one."""
    box = page.locator(f".coopkit-field-{field} input[type=number]").first
    if box.count() and not box.is_visible():
        closed = page.locator(
            ".coopkit-form .jupyter-widget-Collapse:not(.jupyter-widget-Collapse-open) > .jupyter-widget-Collapse-header"
        )
        for _ in range(10):
            if not closed.count():
                break
            closed.first.click()
    return box if box.count() and box.is_visible() else None


def time_edits(page, field: str, values: tuple[str, str], edits: int, settle_ms: int, voila) -> list[dict]:
    page.evaluate(OBSERVE_JS)
    box = number_box(page, field)
    out = []
    for k in range(edits):
        wait_quiet(voila, window=0.5)
        box.fill(values[k % 2])
        box.press("Enter")
        page.wait_for_function(SETTLED_JS, arg=settle_ms, timeout=120_000, polling=100)
        t0, changes = page.evaluate(
            "() => [window.__bench.enter.at(-1), window.__bench.changes.filter((c) => c[0] >= window.__bench.enter.at(-1))]"
        )
        verdict = [t for t, kind in changes if kind == "verdict"]
        charts = [t for t, kind in changes if kind == "charts"]
        out.append(
            {
                "verdict_ms": min(verdict) - t0 if verdict else None,
                "charts_ms": max(charts) - t0 if charts else None,
                "load": load_average(),
            }
        )
    return out


def stats(values: list[float | None]) -> dict:
    got = [v for v in values if v is not None]
    if not got:
        return {"n": 0}
    return {
        "n": len(got),
        "median": statistics.median(got),
        "p95": float(np.percentile(got, 95)),
        "max": max(got),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=22, help="edits per worksheet (default 22)")
    parser.add_argument("--pages", default="", help="comma-separated worksheet names (default: all)")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds without a DOM change that end an edit")
    parser.add_argument("--cases", type=int, default=20, help="demonstration cases in the workspace (default 20)")
    parser.add_argument("--out", default="interaction_latency.json", help="file name under benchmarks/results/")
    args = parser.parse_args(argv)
    chosen = [p for p in select(pages(), args.pages) if p.ready == VERDICT]
    results = {}
    print(f"Worksheets: {', '.join(p.label for p in chosen)}; load average at start {load_average()}")
    with tempfile.TemporaryDirectory(prefix="coopkit-latency-") as tmp:
        folder = Path(tmp) / "notebooks"
        copy_notebooks(folder, chosen)
        workspace = Path(tmp) / "workspace"
        url = seed_workspace(workspace, args.cases)
        with kernel_environment(workspace, url), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            with running_voila(folder, preheat=False, timeout=120) as base:
                voila = voila_process(base)
                for sheet in chosen:
                    context = browser.new_context(viewport={"width": 1280, "height": 2400})
                    page = context.new_page()
                    page.set_default_timeout(120_000)
                    page.goto(f"{base}/voila/render/{sheet.notebook}", timeout=120_000)
                    page.locator(VERDICT).first.wait_for(timeout=120_000)
                    wait_quiet(voila, window=1.0)
                    pick = next((c for c in candidates(sheet.label) if number_box(page, c[0]) is not None), None)
                    if pick is None:
                        print(f"  {sheet.label}: no visible number box changes the results; skipped")
                        continue
                    field, raised, original = pick
                    edits = time_edits(page, field, (raised, original), args.edits, int(args.settle * 1000), voila)
                    shut_down_kernel(page)
                    context.close()
                    verdict = stats([e["verdict_ms"] for e in edits])
                    charts = stats([e["charts_ms"] for e in edits])
                    results[sheet.label] = {"field": field, "values": [raised, original], "edits": edits}
                    print(
                        f"  {sheet.label:18} {field:34} verdict median {verdict['median']:5.0f} ms p95 {verdict['p95']:5.0f}"
                        f" | charts median {charts.get('median', float('nan')):5.0f} p95 {charts.get('p95', float('nan')):5.0f}"
                        f"  (load {load_average()})"
                    )
                    sys.stdout.flush()
            browser.close()
    print()
    print(f"Interaction latency over {args.edits} edits per worksheet, ms (load average at end {load_average()})")
    print()
    print("| Worksheet | Field edited | Verdict median | Verdict p95 | Charts median | Charts p95 | Target |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        v = stats([e["verdict_ms"] for e in r["edits"]])
        c = stats([e["charts_ms"] for e in r["edits"]])
        met = v["median"] < TARGET_MEDIAN_MS and v["p95"] < TARGET_P95_MS
        chart_cells = f"{c['median']:.0f} | {c['p95']:.0f}" if c["n"] else "– | –"
        print(
            f"| {name} | `{r['field']}` | {v['median']:.0f} | {v['p95']:.0f} | {chart_cells} | {'met' if met else 'missed'} |"
        )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / args.out).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
