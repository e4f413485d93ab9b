"""Start Voila the way ``coopkit serve`` does, on a free loopback port, and stop it again.

Shared by the browser tests, the benchmarks and the screenshot script.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from coopkit.cli import serve_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COOPKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: The log file of each running Voila by its base URL: a failing browser test shows its tail (tests/browser/conftest.py).
LOGS: dict[str, Path] = {}


def voila_log_tail(url: str, chars: int = 6000) -> str:
    """The end of the log of the Voila serving ``url`` (server and kernel messages), or "" if it is not running."""
    path = LOGS.get(url)
    if path is None or not path.exists():
        return ""
    return path.read_text(errors="replace")[-chars:]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Voila exited early with code {proc.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"Voila did not listen on port {port} within {timeout:.0f} s")


@contextlib.contextmanager
def running_voila(
    notebooks: Path | None = None, *, preheat: bool = True, pool_size: int = 1, timeout: float = 60
) -> Iterator[str]:
    """Serve ``notebooks`` (default: the repository's) with Voila; yield the base URL."""
    port = free_port()
    cmd = serve_command(notebooks or ROOT / "notebooks", port=port, preheat=preheat, pool_size=pool_size)
    log = tempfile.NamedTemporaryFile(prefix="coopkit-voila-", suffix=".log", delete=False)
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    LOGS[url] = Path(log.name)
    try:
        _wait_for_port(port, proc, timeout)
        yield url
    except BaseException:
        log.flush()
        sys.stderr.write(Path(log.name).read_text(errors="replace")[-4000:])
        raise
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        os.unlink(log.name)
        LOGS.pop(url, None)
