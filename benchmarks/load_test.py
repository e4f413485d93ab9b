"""Load test: many browsers at once on the executive dashboard and a worksheet, then idle-kernel culling.

Serves, the way ``coopkit serve`` does (``coopkit.cli.serve_command``), a temporary folder
holding only ``executive/portfolio.ipynb`` and ``frameworks/win_win_check.ipynb``, with the
kernels reading a throw-away SQLite workspace seeded with ``--cases`` demonstration cases
(``coopkit.store.samples.seed_cases``). Then, in each mode:

1. waits until Voila is idle (preheated: both pools filled and their notebooks run) and
   records the memory at rest;
2. opens ``--contexts`` browser contexts at once in one headless Chromium, and times each
   page from navigation until its "ready" element is visible: the table of cases
   (``table.coopkit-portfolio``) for the dashboard, the verdict
   (``.coopkit-verdict .coopkit-verdict-text``) for the worksheet. By default half the
   contexts open the dashboard and half the worksheet (``--per-context one``: 20 contexts,
   20 page views, 20 kernels, 20 people each reading one page); ``--per-context both`` has
   each context open both pages in two tabs (twice the kernels);
3. checks every page for Voila's "There was an error when executing cell" (and ipywidgets'
   "Error displaying widget"), collects console errors and uncaught page errors;
4. once every page is drawn and the kernels are quiet, reads the resident memory
   (``VmRSS`` in ``/proc/PID/status``; and ``Pss`` from ``smaps_rollup``, which shares
   library pages fairly) of Voila and of every kernel under it, each kernel matched to its
   page through the page's ``kernelId``;
5. closes all contexts *without* the page's own shutdown request (as a crashed tab or a
   sleeping laptop would), and polls until the culler has stopped the abandoned kernels,
   recording how long that took and the memory left. For the test the culler runs with
   ``--idle`` seconds (default 90) and ``--cull-interval`` (default 5) instead of
   ``coopkit.cli.KERNEL_IDLE_MINUTES`` / ``CULL_INTERVAL_SECONDS``; everything else is
   ``coopkit serve``'s command line. ``--idle`` must exceed the slowest page load: between the
   end of a kernel's execution and its page's websocket connecting, the kernel has no
   connection and only its idle time protects it (with 30 s, 20 pages at once on 2 cores
   lost the preheated pages' kernels before they connected);
6. stops Voila and searches its log for "Traceback", "ERROR", error lines and nbclient's
   iopub timeout.

Modes: *preheated* (``--preheat_kernel=True --pool_size=1`` per notebook, as ``coopkit serve``)
and *cold* (kernels started on request). Bounded: each page 180 s (``--page-timeout``), the
whole script ``--budget`` seconds (default 570); a watchdog stops Voila and exits if the
budget is overrun by 30 s. Everything on 127.0.0.1; every process started is stopped by PID.

    .venv/bin/python benchmarks/load_test.py [--contexts 20] [--cases 200] [--modes preheated,cold]
                                             [--per-context one|both] [--idle 90] [--cull-interval 5]

Prints Markdown tables; raw figures go to ``benchmarks/results/load_test.json``. The browser
runs on the same machine as Voila and its kernels, so the times include Chromium's own CPU
use: on a 2-core machine they are upper bounds for users on their own machines.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

from coopkit import cli  # noqa: E402
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

DASHBOARD = "dashboard"
WORKSHEET = "worksheet"
PAGES = {  # label: (notebook under the served folder, selector that means "drawn")
    DASHBOARD: ("executive/portfolio.ipynb", "table.coopkit-portfolio"),
    WORKSHEET: ("frameworks/win_win_check.ipynb", ".coopkit-verdict .coopkit-verdict-text"),
}
ERROR_TEXTS = ("There was an error when executing cell", "Error displaying widget")
#: Console errors expected offline: Voila's lab template asks a CDN for Font Awesome (docs: STACK.md).
EXPECTED_CONSOLE = re.compile(r"ERR_NAME_NOT_RESOLVED")
LOG_PATTERNS = {
    "Traceback": re.compile(r"Traceback"),
    "ERROR": re.compile(r"ERROR"),
    "error line [E": re.compile(r"^\[E ", re.M),
    "iopub timeout": re.compile(r"Timeout waiting for IOPub|iopub_timeout", re.I),
    "culled": re.compile(r"Culling '.*' kernel"),
}
KERNEL_ID = re.compile(r"kernel-([0-9a-f-]{36})\.json")
MB = 1024 * 1024

#: Processes this script started (Voila), for the watchdog.
_STARTED: list[subprocess.Popen] = []


# ---- memory ------------------------------------------------------------------------------


def _status_kb(pid: int, field_name: str = "VmRSS") -> int:
    """A ``kB`` field of /proc/PID/status (0 if the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def descendants(voila: psutil.Process) -> list[psutil.Process]:
    """Every process under Voila. psutil raises when a child ends while it walks the tree: try again."""
    for _attempt in range(4):
        try:
            return voila.children(recursive=True)
        except psutil.NoSuchProcess:
            if not voila.is_running():
                return []
    return voila.children(recursive=True)


def kernel_processes(voila: psutil.Process) -> dict[int, str]:
    """PID -> kernel id of every ipykernel under Voila."""
    out = {}
    for proc in descendants(voila):
        with contextlib.suppress(psutil.Error):
            cmd = " ".join(proc.cmdline())
            if "ipykernel_launcher" in cmd:
                match = KERNEL_ID.search(cmd)
                out[proc.pid] = match.group(1) if match else "?"
    return out


@dataclass
class Memory:
    """Resident memory of Voila and its kernels at one moment, MB."""

    t: float
    kernels: int
    voila_mb: float
    kernel_mb: dict[str, float]  # kernel id -> RSS
    total_mb: float  # Voila + every descendant (RSS)
    total_pss_mb: float | None = None


def memory(voila: psutil.Process, *, pss: bool = False, t0: float = 0.0) -> Memory:
    kernels = kernel_processes(voila)
    rss = {pid: _status_kb(pid) for pid in [voila.pid, *(p.pid for p in descendants(voila))]}
    return Memory(
        t=round(time.monotonic() - t0, 1),
        kernels=len(kernels),
        voila_mb=round(rss[voila.pid] / 1024, 1),
        kernel_mb={kid: round(rss.get(pid, _status_kb(pid)) / 1024, 1) for pid, kid in kernels.items()},
        total_mb=round(sum(rss.values()) / 1024, 1),
        total_pss_mb=round(sum(_pss_kb(p) for p in rss) / 1024, 1) if pss else None,
    )


def cpu_seconds(voila: psutil.Process) -> float:
    total = 0.0
    procs = [voila]
    with contextlib.suppress(psutil.Error):
        procs += descendants(voila)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            total += t.user + t.system
    return total


async def wait_quiet(voila: psutil.Process, *, window: float = 2.0, timeout: float = 120.0, kernels: int = 0) -> float:
    """Wait until Voila and its kernels use under 5% of a core for ``window`` s (and ``kernels`` run)."""
    start = time.monotonic()
    last, quiet_since = cpu_seconds(voila), time.monotonic()
    while time.monotonic() - start < timeout:
        await asyncio.sleep(0.5)
        now = cpu_seconds(voila)
        if now - last > 0.5 * 0.05 or len(kernel_processes(voila)) < kernels:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= window:
            break
        last = now
    return time.monotonic() - start


def browser_cpu_seconds() -> float:
    """CPU time used so far by the Chromium processes under this script (Playwright's browser)."""
    total = 0.0
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "chrom" in proc.name():
                t = proc.cpu_times()
                total += t.user + t.system
    return total


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# ---- Voila -----------------------------------------------------------------------------------


def voila_command(folder: Path, port: int, preheat: bool, idle: float, interval: float) -> list[str]:
    """``coopkit serve``'s command line, with the culler's idle time and interval of this test."""
    with mock.patch.multiple(cli, KERNEL_IDLE_MINUTES=idle / 60, CULL_INTERVAL_SECONDS=interval):
        cmd = cli.serve_command(folder, port=port, preheat=preheat, pool_size=1)
    for wanted in (
        f"--MappingKernelManager.cull_idle_timeout={round(idle)}",
        f"--MappingKernelManager.cull_interval={interval:g}",
    ):
        if wanted not in cmd:
            raise SystemExit(f"serve_command no longer takes the culling settings from coopkit.cli: {wanted} missing")
    return cmd


def start_voila(cmd: list[str], env: dict, log_path: Path, port: int, timeout: float) -> subprocess.Popen:
    log = open(log_path, "wb")  # closed in stop_voila
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    proc._coopkit_log = log  # type: ignore[attr-defined]
    _STARTED.append(proc)
    deadline = time.monotonic() + timeout

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Voila exited early with code {proc.returncode}: {log_path.read_text()[-2000:]}")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.2)
    raise TimeoutError(f"Voila did not listen on {port} within {timeout:.0f} s")


def stop_voila(proc: subprocess.Popen) -> list[int]:
    """SIGTERM Voila (it stops its kernels), then SIGKILL whatever of it is left, by PID. Returns killed PIDs."""
    killed = []
    children = []
    with contextlib.suppress(psutil.Error):
        children = psutil.Process(proc.pid).children(recursive=True)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            killed.append(proc.pid)
    _gone, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
            killed.append(child.pid)
    with contextlib.suppress(Exception):
        proc._coopkit_log.close()  # type: ignore[attr-defined]
    with contextlib.suppress(ValueError):
        _STARTED.remove(proc)
    return killed


def _watchdog() -> None:
    print("load_test: time budget overrun, stopping Voila and exiting", file=sys.stderr, flush=True)
    for proc in list(_STARTED):
        with contextlib.suppress(Exception):
            stop_voila(proc)
    os._exit(3)


# ---- the browser side ---------------------------------------------------------------------------


@dataclass
class View:
    context: int
    page: str
    seconds: float | None = None
    html_seconds: float | None = None  # the page's HTML fully received: Voila has run the notebook
    error: str = ""
    error_text: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    expected_console_errors: int = 0
    page_errors: list[str] = field(default_factory=list)
    kernel_id: str = ""
    kernel_mb: float | None = None


async def visit(page, url: str, selector: str, view: View, timeout: float, start_evt: asyncio.Event) -> None:
    def on_console(msg):
        if msg.type == "error":
            if EXPECTED_CONSOLE.search(msg.text):
                view.expected_console_errors += 1
            else:
                view.console_errors.append(msg.text[:300])

    page.on("console", on_console)
    page.on("pageerror", lambda exc: view.page_errors.append(str(exc)[:300]))
    await start_evt.wait()
    start = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            response = await page.goto(url, wait_until="commit", timeout=timeout * 1000)

            async def html_done():
                with contextlib.suppress(Exception):
                    await response.finished()
                    view.html_seconds = round(time.perf_counter() - start, 3)

            html_task = asyncio.create_task(html_done())
            await page.locator(selector).first.wait_for(state="visible", timeout=timeout * 1000)
        view.seconds = round(time.perf_counter() - start, 3)
        await asyncio.wait_for(html_task, 5)
    except Exception as exc:  # a timeout (or a dropped connection): keep going, report it
        view.error = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"
    with contextlib.suppress(Exception):
        view.kernel_id = await page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId || ''"
        )


async def check_error_text(page, view: View) -> None:
    with contextlib.suppress(Exception):
        body = await page.evaluate("() => document.body ? document.body.innerText : ''")
        view.error_text = [t for t in ERROR_TEXTS if t in body]
        if view.error and not view.error_text:
            view.error += f" | page text: {' '.join(body.split())[:160]!r}"


def p95(values: list[float]) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


# ---- one mode -------------------------------------------------------------------------------------


async def run_mode(args, mode: str, folder: Path, env: dict, browser, deadline: float, results_dir: Path) -> dict:
    preheat = mode == "preheated"
    port = free_port()
    log_path = Path(tempfile.gettempdir()) / f"coopkit-load-{mode}-{os.getpid()}.log"
    cmd = voila_command(folder, port, preheat, args.idle, args.cull_interval)
    base = f"http://127.0.0.1:{port}"
    out: dict = {"mode": mode, "loadavg_start": load_average(), "command": cmd}
    print(f"[{mode}] starting Voila on {base} (load {out['loadavg_start']})", flush=True)
    t_mode = time.monotonic()
    proc = start_voila(cmd, env, log_path, port, timeout=min(90, deadline - time.monotonic()))
    voila = psutil.Process(proc.pid)
    contexts = []
    marks: list[tuple[str, int]] = []  # (phase that starts here, log size): to tell when a log line was written

    def mark(phase: str) -> None:
        marks.append((phase, log_path.stat().st_size if log_path.exists() else 0))

    marks.append(("start-up", 0))
    try:
        pool = len(PAGES) if preheat else 0
        waited = await wait_quiet(voila, window=3, kernels=pool, timeout=min(150, deadline - time.monotonic()))
        baseline = memory(voila, pss=True)
        out["ready_after_s"] = round(time.monotonic() - t_mode, 1)
        out["baseline"] = asdict(baseline)
        print(
            f"[{mode}] idle after {waited:.0f} s: {baseline.kernels} kernel(s), total {baseline.total_mb:.0f} MB",
            flush=True,
        )

        # Open everything at once.
        views: list[tuple] = []
        labels = list(PAGES)
        for i in range(args.contexts):
            context = await browser.new_context(viewport={"width": 1280, "height": 1600})
            contexts.append(context)
            chosen = labels if args.per_context == "both" else [labels[i % len(labels)]]
            for label in chosen:
                page = await context.new_page()
                views.append((page, label, View(context=i, page=label)))
        page_timeout = min(args.page_timeout, deadline - time.monotonic() - args.idle - args.cull_interval - 40)
        if page_timeout < 30:
            raise TimeoutError("not enough time budget left to load the pages")
        start_evt = asyncio.Event()
        tasks = [
            asyncio.create_task(
                visit(page, f"{base}/voila/render/{PAGES[label][0]}", PAGES[label][1], view, page_timeout, start_evt)
            )
            for page, label, view in views
        ]
        samples: list[Memory] = []
        timeline: list[tuple] = []  # t, kernels, total MB, CPU s of Voila / its kernels / Chromium, HTMLs, drawn
        t0 = time.monotonic()

        async def sample():
            while True:
                with contextlib.suppress(psutil.Error):
                    m = memory(voila, t0=t0)
                    samples.append(m)
                    own = sum(voila.cpu_times()[:2])
                    timeline.append(
                        (
                            m.t,
                            m.kernels,
                            m.total_mb,
                            round(own, 1),
                            round(cpu_seconds(voila) - own, 1),
                            round(browser_cpu_seconds(), 1),
                            sum(v.html_seconds is not None for _, _, v in views),
                            sum(v.seconds is not None for _, _, v in views),
                        )
                    )
                await asyncio.sleep(1.0)

        sampler = asyncio.create_task(sample())
        loadavg_peak = os.getloadavg()[0]
        cpu_before = (cpu_seconds(voila), browser_cpu_seconds())
        mark("load")
        start_evt.set()
        done = asyncio.gather(*tasks)
        while not done.done():
            await asyncio.sleep(1.0)
            loadavg_peak = max(loadavg_peak, os.getloadavg()[0])
        await done
        wall = time.monotonic() - t0
        out["cpu_during_load_s"] = {
            "voila_and_kernels": round(cpu_seconds(voila) - cpu_before[0], 1),
            "chromium": round(browser_cpu_seconds() - cpu_before[1], 1),
            "wall_times_cores": round(wall * (os.cpu_count() or 1), 1),
        }
        rendered = sum(v.seconds is not None for _, _, v in views)
        print(f"[{mode}] {rendered}/{len(views)} pages drawn in {wall:.1f} s", flush=True)

        # At rest with every page open: per-kernel memory, error text (cells render progressively).
        await wait_quiet(voila, window=3, timeout=max(1, min(30, deadline - time.monotonic() - args.idle - 60)))
        for page, _label, view in views:
            await check_error_text(page, view)
            if view.error or view.error_text:
                with contextlib.suppress(Exception):
                    await page.screenshot(path=str(results_dir / f"load_test-{mode}-{view.context}-{view.page}.png"))
        open_mem = memory(voila, pss=True, t0=t0)
        sampler.cancel()
        out["load_timeline"] = timeline
        for _, _, view in views:
            view.kernel_mb = open_mem.kernel_mb.get(view.kernel_id)
        page_kernels = {v.kernel_id for _, _, v in views if v.kernel_id}
        out["pool_kernels_mb"] = [mb for kid, mb in open_mem.kernel_mb.items() if kid not in page_kernels]
        peak = max(samples + [open_mem], key=lambda m: m.total_mb)
        out.update(
            views=[asdict(v) for _, _, v in views],
            wall_s=round(wall, 1),
            open=asdict(open_mem),
            peak={
                "total_mb": peak.total_mb,
                "kernels": max(m.kernels for m in samples + [open_mem]),
                "voila_mb": max(m.voila_mb for m in samples + [open_mem]),
            },
            loadavg_peak_1min=round(loadavg_peak, 2),
            loadavg_loaded=load_average(),
        )

        # Abandon every page (no shutdown request) and wait for the culler.
        mark("culling")
        for context in contexts:
            with contextlib.suppress(Exception):
                await context.close()
        contexts = []
        t_close = time.monotonic()
        target = pool
        timeline = []
        culled_at = first_drop = None
        limit = min(args.idle + args.cull_interval + 60, deadline - time.monotonic() - 30)
        while time.monotonic() - t_close < limit:
            try:
                m = memory(voila, t0=t_close)
            except psutil.Error:
                await asyncio.sleep(0.2)
                continue
            timeline.append((m.t, m.kernels, m.total_mb))
            if first_drop is None and m.kernels < open_mem.kernels:
                first_drop = m.t
            if m.kernels <= target:
                culled_at = m.t
                break
            await asyncio.sleep(1.0)
        await asyncio.sleep(2)  # let the last kernels' memory go
        after = memory(voila, pss=True, t0=t_close)
        out.update(
            culled_after_s=culled_at,
            first_cull_s=first_drop,
            after=asdict(after),
            cull_timeline=timeline,
            loadavg_end=load_average(),
        )
        print(
            f"[{mode}] closed: kernels {open_mem.kernels} -> {after.kernels} "
            f"({f'after {culled_at:.0f} s' if culled_at is not None else f'NOT culled within {limit:.0f} s'}), "
            f"total {open_mem.total_mb:.0f} -> {after.total_mb:.0f} MB",
            flush=True,
        )
    finally:
        for context in contexts:
            with contextlib.suppress(Exception):
                await context.close()
        mark("shutdown")
        out["killed_after_sigterm"] = stop_voila(proc)
        raw = log_path.read_bytes() if log_path.exists() else b""
        text = raw.decode(errors="replace")
        out["log"] = {name: [] for name in LOG_PATTERNS}
        offset = 0
        lines = raw.splitlines(keepends=True)
        for i, line in enumerate(lines):
            phase = [name for name, at in marks if at <= offset][-1]  # marks[0] is at 0
            offset += len(line)
            decoded = line.decode(errors="replace").strip()
            if decoded.startswith("Traceback"):  # name the exception: the first unindented line after it
                for later in lines[i + 1 : i + 200]:
                    text_line = later.decode(errors="replace")
                    if text_line.strip() and not text_line[0].isspace() and not text_line.startswith("Traceback"):
                        decoded = f"Traceback -> {text_line.strip()}"
                        break
            for name, pattern in LOG_PATTERNS.items():
                if pattern.search(decoded):
                    out["log"][name].append(f"({phase}) {decoded[:220]}")
        out["log_tail"] = text[-3000:]
        with contextlib.suppress(FileNotFoundError):
            log_path.unlink()
    return out


# ---- report ---------------------------------------------------------------------------------------


def tables(results: list[dict], args) -> list[str]:
    lines = [
        f"Load test: {args.contexts} browser contexts at once ({'each opens both pages' if args.per_context == 'both' else 'half on each page'}), "
        f"{args.cases} cases; culler {args.idle:g} s idle / {args.cull_interval:g} s interval",
        "",
        "Time to render: navigation → ready element visible, seconds (p95 interpolated). HTML: navigation → the page's"
        " HTML fully received (Voila has run the notebook); the rest is the browser starting the widgets.",
        "",
        "| Mode | Page | Drawn | Page errors | Median | p95 | Max | Min | HTML median (max) | Kernel RSS MB, median (max) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "views" not in r:
            lines.append(f"| {r['mode']} | (failed: {r.get('failure', '?')}) | | | | | | | | |")
            continue
        for label in PAGES:
            vs = [v for v in r["views"] if v["page"] == label]
            times = [v["seconds"] for v in vs if v["seconds"] is not None]
            bad = sum(bool(v["error_text"] or v["console_errors"] or v["page_errors"]) for v in vs)
            mbs = [v["kernel_mb"] for v in vs if v["kernel_mb"]]
            html = [v["html_seconds"] for v in vs if v.get("html_seconds") is not None]
            timing = (
                f"{statistics.median(times):.1f} | {p95(times):.1f} | {max(times):.1f} | {min(times):.1f}"
                if times
                else "– | – | – | –"
            )
            html_cell = f"{statistics.median(html):.1f} ({max(html):.1f})" if html else "–"
            mem = f"{statistics.median(mbs):.0f} ({max(mbs):.0f})" if mbs else "–"
            lines.append(f"| {r['mode']} | {label} | {len(times)}/{len(vs)} | {bad} | {timing} | {html_cell} | {mem} |")
    lines += [
        "",
        "| Mode | At rest: kernels, total RSS (PSS) | All pages open: kernels, Voila, total RSS (PSS) | Peak total RSS | "
        "Closed → culled | After: kernels, Voila, total RSS (PSS) | Load avg (start / peak 1-min / end) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "views" not in r:
            continue
        b, o, a = r["baseline"], r["open"], r["after"]
        culled = (
            f"{r['culled_after_s']:.0f} s (first at {r['first_cull_s']:.0f} s)"
            if r.get("culled_after_s") is not None
            else "not within the wait"
        )
        lines.append(
            f"| {r['mode']} | {b['kernels']}, {b['total_mb']:.0f} MB ({b['total_pss_mb']:.0f}) | "
            f"{o['kernels']}, {o['voila_mb']:.0f} MB, {o['total_mb']:.0f} MB ({o['total_pss_mb']:.0f}) | "
            f"{r['peak']['total_mb']:.0f} MB | {culled} | "
            f"{a['kernels']}, {a['voila_mb']:.0f} MB, {a['total_mb']:.0f} MB ({a['total_pss_mb']:.0f}) | "
            f"{r['loadavg_start'].split()[0]} / {r['loadavg_peak_1min']:.2f} / {r['loadavg_end'].split()[0]} |"
        )
    lines.append("")
    for r in results:
        cpu = r.get("cpu_during_load_s")
        if cpu:
            lines.append(
                f"{r['mode']}: CPU during the load {cpu['voila_and_kernels']:.0f} s Voila and kernels, "
                f"{cpu['chromium']:.0f} s Chromium, of {cpu['wall_times_cores']:.0f} core-seconds"
            )
    lines.append("")
    for r in results:
        log = r.get("log", {})
        counts = "; ".join(
            f"{k}: {len(v)}"
            + (
                " ("
                + ", ".join(
                    f"{n} {ph}"
                    for ph in ("start-up", "load", "culling", "shutdown")
                    if (n := sum(x.startswith(f"({ph})") for x in v))
                )
                + ")"
                if v
                else ""
            )
            for k, v in log.items()
        )
        lines.append(
            f"{r['mode']}: Voila log {counts}; killed after SIGTERM: {r.get('killed_after_sigterm') or 'none'}"
        )
        for name in ("Traceback", "ERROR", "error line [E", "iopub timeout"):
            for line in sorted(set(log.get(name, [])))[:6]:
                lines.append(f"    {name}: {line}")
        early = [line for line in log.get("culled", []) if line.startswith("(load)")]
        for line in early:
            lines.append(f"    culled during the load: {line}")
        if early:
            lines.append(
                "    -> a kernel was culled before its page connected (the culler spares only connected kernels): "
                "--idle is shorter than the slowest page load; raise it"
            )
        for v in r.get("views", []):
            if v["error"] or v["error_text"] or v["console_errors"] or v["page_errors"]:
                lines.append(
                    f"    context {v['context']} {v['page']}: {v['error'] or 'drawn'} {v['error_text'] or ''} "
                    f"console {v['console_errors'][:2]} page {v['page_errors'][:2]}"
                )
        expected = sum(v["expected_console_errors"] for v in r.get("views", []))
        if expected:
            lines.append(
                f"    ({expected} expected ERR_NAME_NOT_RESOLVED console errors from the Font Awesome CDN, not counted)"
            )
    return lines


async def main_async(args) -> list[dict]:
    deadline = time.monotonic() + args.budget
    from coopkit.store.cases import CaseStore
    from coopkit.store.samples import seed_cases

    results_dir = ROOT / "benchmarks" / "results"
    results_dir.mkdir(exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="coopkit-load-") as tmp:
        workspace = Path(tmp) / "workspace"
        workspace.mkdir()
        url = f"sqlite:///{workspace}/cases.sqlite"
        start = time.perf_counter()
        store = CaseStore(url)
        seed_cases(store, args.cases, seed=1)
        store.close()
        print(
            f"Seeded {args.cases} cases in {time.perf_counter() - start:.1f} s; load average {load_average()}",
            flush=True,
        )
        folder = Path(tmp) / "notebooks"
        for notebook, _ in PAGES.values():
            (folder / notebook).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / "notebooks" / notebook, folder / notebook)
        env = {**os.environ, "COOPKIT_WORKSPACE": str(workspace), "COOPKIT_DATABASE_URL": url}
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
            try:
                for mode in args.modes:
                    if deadline - time.monotonic() < args.idle + args.cull_interval + 100:
                        results.append({"mode": mode, "failure": "skipped: time budget"})
                        continue
                    try:
                        results.append(await run_mode(args, mode, folder, env, browser, deadline, results_dir))
                    except Exception as exc:
                        print(f"[{mode}] failed: {type(exc).__name__}: {exc}", flush=True)
                        traceback.print_exc()
                        results.append({"mode": mode, "failure": f"{type(exc).__name__}: {exc}"[:300]})
            finally:
                await browser.close()
    (results_dir / "load_test.json").write_text(json.dumps({"args": vars(args), "results": results}, indent=2))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=int, default=20, help="browser contexts opened at once (default 20)")
    parser.add_argument("--cases", type=int, default=200, help="demonstration cases in the workspace (default 200)")
    parser.add_argument("--modes", default="preheated,cold", help="preheated, cold or both (default both)")
    parser.add_argument(
        "--per-context",
        choices=("one", "both"),
        default="one",
        help="one page per context, alternating (default), or both pages in each context",
    )
    parser.add_argument(
        "--idle", type=float, default=90, help="culler: seconds idle before a kernel is stopped (default 90)"
    )
    parser.add_argument("--cull-interval", type=float, default=5, help="culler: seconds between checks")
    parser.add_argument("--page-timeout", type=float, default=180, help="seconds per page (default 180)")
    parser.add_argument("--budget", type=float, default=570, help="seconds for the whole script (default 570)")
    args = parser.parse_args(argv)
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not set(args.modes) <= {"preheated", "cold"} or not 1 <= args.contexts <= 100:
        parser.error("--modes takes preheated and/or cold; --contexts 1 to 100")
    watchdog = threading.Timer(args.budget + 30, _watchdog)
    watchdog.daemon = True
    watchdog.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    t = time.monotonic()
    try:
        results = asyncio.run(main_async(args))
    finally:
        watchdog.cancel()
        for proc in list(_STARTED):
            stop_voila(proc)
    print()
    print("\n".join(tables(results, args)))
    print(f"\nWhole run {time.monotonic() - t:.0f} s; load average now {load_average()}")
    return (
        0
        if all(
            "views" in r and all(v["seconds"] is not None and not v["error_text"] for v in r["views"]) for r in results
        )
        else 1
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
