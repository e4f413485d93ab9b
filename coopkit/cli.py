"""The ``coopkit`` command: serve the worksheets with Voila, or assess a saved case.

Usage::

    coopkit serve [--port 8866] [--pool-size 1] [--no-preheat] [--workspace DIR] [--base-url /user/NAME/]
    coopkit assess CASE.json [--json]
    coopkit worksheets
    coopkit cases [--worksheet NAME] [--workspace DIR]
    coopkit export CASE_ID [--revision N] [--html] [--xlsx] [--json] [--out DIR] [--workspace DIR]
    coopkit import CASE.json [--workspace DIR]

Saved cases live in the workspace folder (``--workspace``, else
``$COOPKIT_WORKSPACE``, else ``~/coopkit-workspace``), or in the database named
by ``$COOPKIT_DATABASE_URL`` (e.g. PostgreSQL for a team).

``assess`` exits 0 when the verdict is positive (e.g. win-win), 1 when it is
not, and 2 when the case file or its inputs are invalid.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from coopkit.errors import InputError

__all__ = ["CULL_INTERVAL_SECONDS", "KERNEL_IDLE_MINUTES", "MAX_MESSAGE_BYTES", "main", "serve_command"]

DEFAULT_PORT = 8866


#: Minutes without a message to or from a kernel after which a kernel no page is connected to is stopped.
KERNEL_IDLE_MINUTES = 15

#: How often the culler looks for such kernels, in seconds.
CULL_INTERVAL_SECONDS = 60

#: Largest websocket message Voila accepts, in bytes. Tornado's default (10 MiB) closes the page's connection
#: when a larger file is chosen in a file button, before the kernel sees it: no message, and that button stays
#: stuck. With 64 MiB a file up to about 60 MB reaches the kernel, which refuses it in words
#: (ui.forms.MAX_UPLOAD_BYTES) and forgets it.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def serve_command(
    notebooks: Path,
    *,
    port: int = DEFAULT_PORT,
    preheat: bool = True,
    pool_size: int = 1,
    base_url: str = "/",
    python: str = sys.executable,
) -> list[str]:
    """The Voila command line that serves the worksheets (secure defaults, loopback only).

    Sources are stripped and tracebacks are not shown to viewers; reference
    notebooks are not preheated (they are read, not filled in). Only the notebooks
    folder is served, and of it only rendered pages: no file of it is served raw.
    Kernels of abandoned pages are stopped after :data:`KERNEL_IDLE_MINUTES`.
    Behind a proxy that strips a path prefix (JupyterHub's per-user URL, see
    docs/DEPLOY.md), ``base_url`` is that prefix: Voila still answers at ``/``
    but writes its links and websocket URLs under the prefix.

    What stays reachable, and why (checked in ``tests/browser/test_served_security.py``):
    ``/`` and ``/voila/tree`` (the list of notebooks), ``/voila/render/…`` (a
    page), ``/voila/api/contents`` (the list again, as JSON, without contents),
    ``/voila/static``, ``/voila/templates``, ``/voila/labextensions`` and
    ``/voila/api/themes`` (the page's own scripts and styles), and, per kernel,
    ``/api/kernels/ID`` and its websocket ``/api/kernels/ID/channels``: the
    widgets talk to their kernel through it, and Voila lets only widget (comm)
    messages through, never code to execute. There is no Jupyter contents,
    sessions, terminals or notebook-editing API: Voila does not have them.

    Examples
    --------
    >>> cmd = serve_command(Path("notebooks"), port=9000, python="python")
    >>> cmd[:4], "--Voila.ip=127.0.0.1" in cmd, "--show_tracebacks=False" in cmd
    (['python', '-m', 'voila', 'notebooks'], True, True)
    """
    cmd = [
        python,
        "-m",
        "voila",
        str(notebooks),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={int(port)}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        # ... and none over the websocket either (widget callbacks' errors, stderr): see coopkit.serving
        "--Voila.kernel_websocket_connection_class=coopkit.serving.QuietKernelConnection",
        # /voila/files/ would serve the notebooks folder's images raw (Voila's default allowlist); the worksheets
        # draw their charts in the kernel and need none of it, so nothing is served from there.
        "--VoilaConfiguration.file_denylist=.*",
        # Every page view starts a kernel (a few hundred MB with a worksheet loaded). Closing the tab asks
        # Voila to stop it, but a crashed tab, a sleeping laptop or a lost network never asks. jupyter_server's
        # culler stops a kernel after KERNEL_IDLE_MINUTES without a message to or from it, checking every
        # CULL_INTERVAL_SECONDS. Kernels with a page still connected are left alone (cull_connected=False), so
        # nobody reading a worksheet loses it, however long they read; neither is a busy kernel (a long Monte Carlo).
        # Preheated kernels waiting for a visitor are never culled (Voila's pool excludes them).
        f"--MappingKernelManager.cull_idle_timeout={round(KERNEL_IDLE_MINUTES * 60)}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        # A dict literal: traitlets' key=value form would pass the size as a string, which tornado cannot compare.
        # traitlets calls the literal form deprecated and says so once at start-up (a -W filter cannot silence it:
        # traitlets re-enables its own DeprecationWarnings on import); tests/unit/test_cli.py checks it still parses.
        f"--Voila.tornado_settings={{'websocket_max_message_size': {MAX_MESSAGE_BYTES}}}",
        # Under load (many kernels starting at once) a worksheet can take longer than nbclient's 4 s to
        # produce output; the page would then stay empty. A minute is generous and costs nothing when fast.
        "--VoilaExecutor.iopub_timeout=60",
        "--theme=light",
    ]
    if base_url != "/":
        cmd += ["--Voila.server_url=/", f"--Voila.base_url={base_url}"]
    if preheat:
        cmd += [
            "--preheat_kernel=True",
            f"--pool_size={int(pool_size)}",
            "--VoilaKernelManager.preheat_denylist=['reference/']",
        ]
    return cmd


def _use_workspace(args: argparse.Namespace) -> None:
    """Point this process (and the Voila kernels it starts) at ``--workspace``."""
    if getattr(args, "workspace", None):
        folder = Path(args.workspace).expanduser().resolve()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                "--workspace", args.workspace, f"be a folder coopkit can create ({exc.strerror})"
            ) from None
        os.environ["COOPKIT_WORKSPACE"] = str(folder)


# A path prefix as JupyterHub writes one: /user/<URL-escaped name>/ (letters, digits, -._~%@+; no . or .. segment).
_URL_PATH = re.compile(r"/(?:(?!\.\.?/)[A-Za-z0-9\-._~%@+]+/)*")


def _printable(text: str) -> str:
    """Text safe to print to a terminal: control characters (escape sequences) shown as '?'."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _serve(args: argparse.Namespace) -> int:
    from coopkit.paths import notebooks_dir

    if not 1 <= args.port <= 65535:
        raise InputError("--port", args.port, "be between 1 and 65535")
    if not 0 <= args.pool_size <= 8:
        raise InputError("--pool-size", args.pool_size, "be between 0 and 8")
    base_url = getattr(args, "base_url", None) or "/"
    if not _URL_PATH.fullmatch(base_url):
        raise InputError("--base-url", base_url, "be a URL path that starts and ends with '/', e.g. /user/alice/")
    _use_workspace(args)
    cmd = serve_command(
        notebooks_dir(), port=args.port, preheat=not args.no_preheat, pool_size=args.pool_size, base_url=base_url
    )
    print(f"coopkit: serving the worksheets at http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
    os.execv(cmd[0], cmd)  # hand the terminal (and Ctrl-C) to Voila
    return 0  # pragma: no cover - execv does not return


def _assess(args: argparse.Namespace) -> int:
    from coopkit import options
    from coopkit.options.base import raise_problems, validate
    from coopkit.store.casefile import read_case

    case = read_case(args.case)
    sheet = options.get(case.worksheet)
    inputs, problems = validate(sheet.inputs, case.inputs)
    raise_problems(problems)
    assessment = sheet.assess(inputs)
    if args.json:
        payload = {
            "worksheet": assessment.worksheet,
            "title": case.title,
            "verdict": assessment.verdict,
            "passed": assessment.passed,
            "headline": assessment.headline,
            "probability": assessment.probability,
            "findings": [{"level": f.level, "text": f.text} for f in assessment.findings],
            "parties": json.loads(assessment.parties.reset_index().to_json(orient="records")),
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        if case.title:
            print(case.title)
            print("=" * min(len(case.title), 80))
        print(assessment.report())
    return 0 if assessment.passed else 1


def _worksheets(_args: argparse.Namespace) -> int:
    from coopkit import options

    for name in options.names():
        sheet = options.get(name)
        print(f"{name:24} {sheet.kind:10} {sheet.summary}")
    return 0


def _cases(args: argparse.Namespace) -> int:
    from coopkit.store.cases import open_store

    _use_workspace(args)
    infos = open_store().cases(args.worksheet)
    for info in infos:
        rev = info.revision
        verdict = rev.summary.get("verdict", "not assessed")
        state = " (draft)" if rev.draft else ""
        print(
            f"{info.case_id}  {info.worksheet:18} r{rev.number:<3} {info.updated_at:%Y-%m-%d %H:%M}  "
            f"{_printable(verdict)[:24]:24} {_printable(rev.title or 'Untitled')[:60]}{state}"
        )
    if not infos:
        print("coopkit: no saved cases yet", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from coopkit.report.brief import brief_filename
    from coopkit.report.export import revision_files
    from coopkit.store.cases import open_store
    from coopkit.store.exchange import export_case

    _use_workspace(args)
    store = open_store()
    rev = store.open(args.case, args.revision)
    kinds = tuple(k for k in ("html", "xlsx") if getattr(args, k)) or (() if args.json else ("html", "xlsx"))
    files = [(f.name, f.data) for f in revision_files(rev, kinds)] if kinds else []
    if args.json:
        files.append((f"{brief_filename(rev.title, rev.number)}.json", export_case(store, rev.case_id).encode()))
    out = Path(args.out).expanduser()
    if not out.is_dir():
        raise InputError("--out", args.out, "be an existing folder")
    for name, data in files:
        path = out / name  # brief_filename keeps names inside the folder: no separators, no leading dots
        try:
            with open(path, "xb" if not args.force else "wb") as handle:
                handle.write(data)
        except FileExistsError:
            raise InputError(str(path), "an existing file", "not exist (use --force to replace it)") from None
        print(path)
    return 0


def _import(args: argparse.Namespace) -> int:
    from coopkit.store.cases import open_store
    from coopkit.store.exchange import MAX_FILE_BYTES, import_case

    _use_workspace(args)
    path = Path(args.file)
    if not path.is_file():
        raise InputError("case file", args.file, "be an existing file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(args.file, f"{path.stat().st_size:,} bytes", f"be at most {MAX_FILE_BYTES:,} bytes")
    saved = import_case(open_store(), path.read_bytes(), source=path.name)
    print(f"{saved.case_id}  imported with {saved.number} revision(s)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopkit", description="Coopetition strategy workbook.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the worksheets with Voila on http://127.0.0.1:PORT")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    serve.add_argument("--pool-size", type=int, default=1, help="preheated kernels per worksheet (default 1)")
    serve.add_argument("--no-preheat", action="store_true", help="start kernels on demand instead of in advance")
    serve.add_argument("--workspace", help="folder for saved cases (default $COOPKIT_WORKSPACE or ~/coopkit-workspace)")
    serve.add_argument(
        "--base-url", default="/", help="path prefix of a proxy in front, e.g. JupyterHub's /user/NAME/ (default /)"
    )
    serve.set_defaults(run=_serve)
    assess = sub.add_parser(
        "assess", help="print the verdict and findings of a saved case; exit 0 if positive, 1 if not"
    )
    assess.add_argument("case", help="case file (JSON)")
    assess.add_argument("--json", action="store_true", help="print the result as JSON")
    assess.set_defaults(run=_assess)
    sheets = sub.add_parser("worksheets", help="list the worksheets")
    sheets.set_defaults(run=_worksheets)
    workspace = argparse.ArgumentParser(add_help=False)
    workspace.add_argument("--workspace", help="folder of the saved cases (default $COOPKIT_WORKSPACE)")
    cases = sub.add_parser("cases", parents=[workspace], help="list the saved cases")
    cases.add_argument("--worksheet", help="only this worksheet's cases")
    cases.set_defaults(run=_cases)
    export = sub.add_parser(
        "export", parents=[workspace], help="write a saved case's brief (HTML), workbook (Excel) or case file (JSON)"
    )
    export.add_argument("case", help="case id (see `coopkit cases`)")
    export.add_argument("--revision", type=int, help="revision number (default: the latest)")
    export.add_argument("--html", action="store_true", help="the executive brief")
    export.add_argument("--xlsx", action="store_true", help="the Excel workbook")
    export.add_argument("--json", action="store_true", help="the case file with every revision")
    export.add_argument("--out", default=".", help="folder to write into (default: here)")
    export.add_argument("--force", action="store_true", help="replace files of the same name")
    export.set_defaults(run=_export)
    imp = sub.add_parser("import", parents=[workspace], help="import a case file (JSON) as a new case")
    imp.add_argument("file", help="case file (JSON, schema version 1 or 2)")
    imp.set_defaults(run=_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 positive, 1 negative verdict, 2 bad input)."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except InputError as exc:
        print(f"coopkit: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `coopkit assess --json | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
