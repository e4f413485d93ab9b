"""The ``coopkit`` command: serve the worksheets with Voila, or assess a saved case.

Usage::

    coopkit serve [--port 8866] [--pool-size 1] [--no-preheat]
    coopkit assess CASE.json [--json]
    coopkit worksheets

``assess`` exits 0 when the verdict is positive (e.g. win-win), 1 when it is
not, and 2 when the case file or its inputs are invalid.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from coopkit.errors import InputError

__all__ = ["main", "serve_command"]

DEFAULT_PORT = 8866


def serve_command(
    notebooks: Path,
    *,
    port: int = DEFAULT_PORT,
    preheat: bool = True,
    pool_size: int = 1,
    python: str = sys.executable,
) -> list[str]:
    """The Voila command line that serves the worksheets (secure defaults, loopback only).

    Sources are stripped and tracebacks are not shown to viewers; reference
    notebooks are not preheated (they are read, not filled in).

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
        # Under load (many kernels starting at once) a worksheet can take longer than nbclient's 4 s to
        # produce output; the page would then stay empty. A minute is generous and costs nothing when fast.
        "--VoilaExecutor.iopub_timeout=60",
        "--theme=light",
    ]
    if preheat:
        cmd += [
            "--preheat_kernel=True",
            f"--pool_size={int(pool_size)}",
            "--VoilaKernelManager.preheat_denylist=['reference/']",
        ]
    return cmd


def _serve(args: argparse.Namespace) -> int:
    from coopkit.paths import notebooks_dir

    if not 1 <= args.port <= 65535:
        raise InputError("--port", args.port, "be between 1 and 65535")
    if not 0 <= args.pool_size <= 8:
        raise InputError("--pool-size", args.pool_size, "be between 0 and 8")
    cmd = serve_command(notebooks_dir(), port=args.port, preheat=not args.no_preheat, pool_size=args.pool_size)
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopkit", description="Coopetition strategy workbook.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the worksheets with Voila on http://127.0.0.1:PORT")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    serve.add_argument("--pool-size", type=int, default=1, help="preheated kernels per worksheet (default 1)")
    serve.add_argument("--no-preheat", action="store_true", help="start kernels on demand instead of in advance")
    serve.set_defaults(run=_serve)
    assess = sub.add_parser(
        "assess", help="print the verdict and findings of a saved case; exit 0 if positive, 1 if not"
    )
    assess.add_argument("case", help="case file (JSON)")
    assess.add_argument("--json", action="store_true", help="print the result as JSON")
    assess.set_defaults(run=_assess)
    sheets = sub.add_parser("worksheets", help="list the worksheets")
    sheets.set_defaults(run=_worksheets)
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
