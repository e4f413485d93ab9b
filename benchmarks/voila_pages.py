"""Shared plumbing of the Voila benchmarks: the pages, a served copy of the notebooks, a quiet machine.

``time_to_interactive.py`` and ``interaction_latency.py`` both serve a temporary
copy of ``notebooks/`` (plus the minimal one-widget notebook) the way
``coopkit serve`` does, with the kernels pointed at a throw-away workspace, and
both wait, before every timed page load or edit, until Voila and its kernels
have stopped using the CPU (a preheated pool refilling, a kernel starting), so
that one measurement does not pay for the previous one.

Not a benchmark itself; imported by the two scripts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]

VERDICT = ".coopkit-verdict .coopkit-verdict-text"
MINIMAL = "minimal"


@dataclass(frozen=True)
class Page:
    """A page to time: a label, its notebook under the served folder, and the selector that means "ready"."""

    label: str
    notebook: str
    ready: str


def pages() -> list[Page]:
    """The minimal notebook, the start page, the dashboard and every registered worksheet, in that order."""
    from coopkit import options
    from coopkit.report.portfolio_html import worksheet_notebooks

    notebooks = worksheet_notebooks()
    out = [
        Page(MINIMAL, "minimal_widget.ipynb", ".bench-ready"),
        Page("start page", "00_start_here.ipynb", ".coopkit-recommendations"),
        Page("dashboard", "executive/portfolio.ipynb", "table.coopkit-portfolio"),
    ]
    missing = [name for name in options.names() if name not in notebooks]
    if missing:
        raise SystemExit(f"no notebook calls worksheet() for: {', '.join(missing)}")
    out += [Page(name, notebooks[name], VERDICT) for name in options.names()]
    return out


def select(all_pages: list[Page], wanted: str | None) -> list[Page]:
    """The pages named in a comma-separated ``wanted`` (labels), always with the minimal notebook first."""
    if not wanted:
        return all_pages
    names = {w.strip() for w in wanted.split(",") if w.strip()}
    unknown = names - {p.label for p in all_pages}
    if unknown:
        raise SystemExit(f"unknown page(s) {', '.join(sorted(unknown))}; choose from {[p.label for p in all_pages]}")
    return [p for p in all_pages if p.label == MINIMAL or p.label in names]


def copy_notebooks(folder: Path, chosen: list[Page]) -> None:
    """Copy the chosen pages' notebooks (and the minimal one) into ``folder``, keeping their sub-folders."""
    for page in chosen:
        source = (
            ROOT / "benchmarks" / "notebooks" / page.notebook
            if page.label == MINIMAL
            else ROOT / "notebooks" / page.notebook
        )
        target = folder / page.notebook
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)


def seed_workspace(workspace: Path, cases: int) -> str:
    """A SQLite workspace holding ``cases`` demonstration cases; returns its URL."""
    from coopkit.store.cases import CaseStore
    from coopkit.store.samples import seed_cases

    workspace.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{workspace}/cases.sqlite"
    store = CaseStore(url)
    seed_cases(store, cases, seed=1)
    store.close()
    return url


@contextlib.contextmanager
def kernel_environment(workspace: Path, url: str) -> Iterator[None]:
    """Voila and its kernels inherit the environment at start: point them at the throw-away workspace."""
    keys = ("COOPKIT_WORKSPACE", "COOPKIT_DATABASE_URL")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update(COOPKIT_WORKSPACE=str(workspace), COOPKIT_DATABASE_URL=url)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def voila_process(base_url: str) -> psutil.Process:
    """The Voila server listening at ``base_url`` (a child of this process)."""
    port = base_url.rsplit(":", 1)[1]
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any(a == f"--port={port}" for a in proc.cmdline()):
                return proc
    raise RuntimeError(f"no Voila process found for {base_url}")


def kernels(voila: psutil.Process) -> list[psutil.Process]:
    """The kernels Voila is running now."""
    out = []
    for proc in voila.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "ipykernel_launcher" in " ".join(proc.cmdline()):
                out.append(proc)
    return out


def cpu_seconds(voila: psutil.Process) -> float:
    """CPU time used so far by Voila and all its children alive now."""
    total = 0.0
    for proc in [voila, *voila.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            total += t.user + t.system
    return total


def wait_quiet(
    voila: psutil.Process, *, kernels_expected: int | None = None, window: float = 1.5, timeout: float = 180
) -> float:
    """Block until Voila and its kernels used under 5% of a core for ``window`` seconds.

    With ``kernels_expected``, also until that many kernels are running (a preheated pool that
    has been refilled). Returns the seconds waited.
    """
    start = time.monotonic()
    last = cpu_seconds(voila)
    quiet_since = time.monotonic()
    while time.monotonic() - start < timeout:
        time.sleep(0.25)
        now = cpu_seconds(voila)
        busy = now - last > 0.25 * 0.05
        last = now
        if busy or (kernels_expected is not None and len(kernels(voila)) < kernels_expected):
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= window:
            return time.monotonic() - start
    return time.monotonic() - start


SHUTDOWN_JS = """async () => {
    // what Voila's own page sends on beforeunload: a form holding the _xsrf cookie
    // (Voila sets that cookie only on pages that need it, e.g. its tree page; a render page does not)
    const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
    if (!/\\b_xsrf=/.test(document.cookie)) await fetch(`${config.baseUrl}voila/tree`);
    const xsrf = document.cookie.match(/\\b_xsrf=([^;]*)\\b/);
    const form = new FormData();
    form.append('_xsrf', xsrf ? xsrf[1] : '');
    const response = await fetch(`${config.baseUrl}voila/api/shutdown/${config.kernelId}`, {method: 'POST', body: form});
    return response.status;
}"""


def shut_down_kernel(page) -> None:
    """Ask Voila to stop the page's kernel (as the page itself does when it is closed), so kernels do not pile up."""
    with contextlib.suppress(Exception):
        page.evaluate(SHUTDOWN_JS)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, e.g. ``"3.10 2.87 2.55"``."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
