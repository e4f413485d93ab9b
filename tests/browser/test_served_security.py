"""What the served workbook gives away, tried over HTTP and in the browser against Voila as `coopkit serve` runs it.

No source code, no repository file and no traceback reaches a viewer; only the notebooks folder is served, as
rendered pages; a viewer cannot run code through the kernel's websocket; kernels of abandoned pages are stopped;
uploads are refused in words when too large or binary, and the worksheet keeps working.
"""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.parse
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from coopkit import cli
from tests.browser.conftest import PAGE_TIMEOUT_MS
from tests.browser.server import running_voila
from tests.browser.test_sales_win_loss import small_export

pytestmark = pytest.mark.browser

# What would show that code or a repository file got out.
LEAKS = ("worksheet(", '"cell_type"', "import ", "[project]", "def ", "# coopkit", "Traceback")


def fetch(base: str, path: str, method: str = "GET", *, follow: int = 3) -> tuple[int, dict, str]:
    """Request ``path`` exactly as written (no client-side clean-up of ``..`` or ``%2e``), following redirects."""
    url = urllib.parse.urlsplit(base)
    for _ in range(follow + 1):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            status, headers, body = response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()
        if status not in (301, 302, 303, 307, 308) or not headers.get("Location", "").startswith("/"):
            break
        path = headers["Location"]
    return status, headers, body.decode("utf-8", "replace")


# --------------------------------------------------------------------------- URLs of the real workbook
BLOCKED = [
    # Jupyter Server's APIs and UIs: Voila has none of them
    "/api/contents",
    "/api/contents/notebooks",
    "/api/contents/frameworks/win_win_check.ipynb?content=1",
    "/api/terminals",
    "/terminals/1",
    "/terminals/websocket/1",
    "/api/sessions",
    "/api/kernels",  # the list of every viewer's kernels
    "/api/kernelspecs",
    "/api/nbconvert",
    "/nbconvert/script/frameworks/win_win_check.ipynb",
    "/tree",
    "/lab",
    "/notebooks/frameworks/win_win_check.ipynb",
    "/edit/frameworks/win_win_check.ipynb",
    "/files/pyproject.toml",
    # Voila's file handler and the renderer, out of the notebooks folder and onto the raw notebook
    "/voila/files/frameworks/win_win_check.ipynb",
    "/voila/files/../pyproject.toml",
    "/voila/files/%2e%2e/pyproject.toml",
    "/voila/files/%2e%2e%2fpyproject.toml",
    "/voila/files/..%5cpyproject.toml",
    "/voila/files//etc/passwd",
    "/voila/render/../README.md",
    "/voila/render/%2e%2e/README.md",
    "/voila/render/%2e%2e/coopkit/cli.py",
    "/voila/render/%2Fetc%2Fpasswd",
    "/voila/api/contents/..",
    "/voila/api/contents/%2e%2e",
    "/voila/tree/%2e%2e",
    "/voila/static/../../../../../../etc/passwd",
    "/voila/static/%2e%2e/%2e%2e/__init__.py",
]


@pytest.mark.parametrize("path", BLOCKED)
def test_no_jupyter_api_no_raw_file_and_nothing_outside_the_notebooks_folder(voila_url, path):
    status, _headers, body = fetch(voila_url, path)
    assert status in (403, 404, 405), (status, body[:300])
    assert not [leak for leak in LEAKS if leak in body], body[:300]


@pytest.mark.parametrize("method", ["PUT", "POST", "PATCH", "DELETE"])
def test_the_notebook_list_cannot_be_written(voila_url, method):
    status, _headers, _body = fetch(voila_url, "/voila/api/contents/frameworks/win_win_check.ipynb", method)
    assert status in (403, 404, 405)


def test_the_notebook_list_has_names_only(voila_url):
    # the tree page's JSON: what the start page lists anyway, never a file's content
    status, _headers, body = fetch(voila_url, "/voila/api/contents/frameworks")
    assert status == 200
    listing = json.loads(body)
    assert {item["name"] for item in listing["content"]} >= {"win_win_check.ipynb"}
    assert all(item["content"] is None for item in listing["content"])
    status, _headers, body = fetch(voila_url, "/voila/api/contents/frameworks/win_win_check.ipynb")
    assert status == 200 and json.loads(body)["content"] is None


# --------------------------------------------------------------------------- a worksheet page, and its uploads
NOTEBOOK = "/voila/render/sales/01_win_loss_review.ipynb"


def choose_file(page, files) -> None:
    """Pick ``files`` (a path, or a list of name/mimeType/buffer dicts) with the CSV field's "Load file" button."""
    with page.expect_file_chooser() as chooser:
        page.locator(".coopkit-upload-crm_csv").click()
    chooser.value.element.set_input_files(files)


def test_a_worksheet_page_has_no_code_and_refuses_big_and_binary_uploads_in_words(page, voila_url, tmp_path):
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.set_viewport_size({"width": 1280, "height": 2000})
    response = page.goto(voila_url + NOTEBOOK, timeout=PAGE_TIMEOUT_MS)
    page.locator(".coopkit-verdict .coopkit-verdict-text").wait_for(timeout=PAGE_TIMEOUT_MS)
    html = page.content()
    assert "worksheet(" not in html and "import " not in html  # sources stripped
    assert "Traceback" not in html
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]  # not framed by another site
    assert "no-store" in headers["cache-control"]  # a page with a case in it is not kept in caches

    error = page.locator(".coopkit-error-crm_csv")
    note = page.locator(".coopkit-upload-note-crm_csv")
    table = page.locator(".coopkit-h2h-table")
    box = page.locator(".coopkit-field-min_deals input")
    box.fill("5")
    box.press("Enter")

    # 50 MB travels over the websocket (MAX_MESSAGE_BYTES lets it through) and the kernel refuses it
    big = tmp_path / "big.csv"
    big.write_bytes(b"deal_id;outcome\n" + b"X-1;Won\n" * 6_249_998)
    assert big.stat().st_size == 50_000_000
    choose_file(page, str(big))
    expect(error).to_contain_text(
        "big.csv is 50,000,000 bytes; files of at most 2,000,000 bytes can be loaded", timeout=90_000
    )

    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes(64)
    choose_file(page, [{"name": "deals.csv", "mimeType": "text/csv", "buffer": png}])
    expect(error).to_contain_text("deals.csv is not a UTF-8 text file (nor UTF-16 or Windows-1252 text)")

    # the worksheet still works: a spreadsheet's Windows-1252 export is read, with a note
    text = small_export().replace("Zenith & Sons", "Société Générale")
    choose_file(page, [{"name": "export.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}])
    expect(table.locator("tr", has_text="Société Générale")).to_have_count(1, timeout=60_000)
    expect(note).to_contain_text("export.csv is not UTF-8, so it was read as Windows-1252")
    expect(page.locator(".coopkit-field-crm_csv textarea")).to_have_value(text)
    expect(page.locator(".coopkit-status")).to_contain_text("Results are up to date.")
    expect(error).to_be_hidden()
    assert "Traceback" not in page.content()


# --------------------------------------------------------------------------- a throw-away notebooks folder
def _notebook(path: Path, *sources: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


IDLE_SECONDS = 6  # the culler's timeout in the throw-away server (15 minutes in `coopkit serve`)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A notebooks folder with a failing notebook, a widget page and a picture; a notebook next to the folder.

    Served the way `coopkit serve` serves, except that idle kernels are culled after seconds, not minutes.
    """
    root = tmp_path_factory.mktemp("served")
    folder = root / "notebooks"
    marker = root / "ran"
    _notebook(folder / "fails.ipynb", "secret_source_marker = 41\nraise RuntimeError(f'internal detail {41 + 1}')")
    _notebook(
        folder / "widget.ipynb",
        "import ipywidgets as w\nb = w.Button(description='Press')\nb.add_class('press-me')\nb",
    )
    _notebook(
        folder / "callback_fails.ipynb",
        "import ipywidgets as w\nb = w.Button(description='Break')\nb.add_class('break-me')\n"
        "def boom(_):\n    raise RuntimeError('callback detail 42')\nb.on_click(boom)\nb",
    )
    _notebook(folder / ".hidden" / "secret.ipynb", "print('HIDDEN' + '-RAN')")
    _notebook(root / "outside.ipynb", f"open({str(marker)!r}, 'w').write('x')\nprint('OUTSIDE' + '-RAN')")
    (folder / "chart.png").write_bytes(bytes.fromhex("89504e470d0a1a0a") + bytes(32))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "KERNEL_IDLE_MINUTES", IDLE_SECONDS / 60)
        patch.setattr(cli, "CULL_INTERVAL_SECONDS", 1)
        with running_voila(folder, preheat=False) as url:
            yield url, marker


def test_a_failing_notebook_shows_a_generic_error_without_traceback_or_code(scratch):
    url, _marker = scratch
    status, _headers, body = fetch(url, "/voila/render/fails.ipynb")
    assert status == 200
    assert "There was an error when executing cell" in body
    for leak in ("Traceback", "RuntimeError", "internal detail", "secret_source_marker"):
        assert leak not in body


@pytest.mark.parametrize(
    "path",
    [
        "/voila/render/%2e%2e/outside.ipynb",
        "/voila/render/../outside.ipynb",
        "/voila/render/..%2foutside.ipynb",
        "/voila/render/notebooks/%2e%2e/%2e%2e/outside.ipynb",
        "/voila/render/.hidden/secret.ipynb",
        "/voila/files/chart.png",  # Voila's default allowlist would serve it
        "/voila/files/%2e%2e/outside.ipynb",
    ],
)
def test_nothing_outside_the_folder_or_hidden_is_run_or_served(scratch, path):
    url, marker = scratch
    status, _headers, body = fetch(url, path)
    assert status in (403, 404), (status, body[:300])
    assert "OUTSIDE-RAN" not in body and "HIDDEN-RAN" not in body and "PNG" not in body
    assert not marker.exists()


def _kernel_id(page) -> str:
    return re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content()).group(1)


def test_the_websocket_runs_no_code_and_an_abandoned_page_frees_its_kernel(scratch, browser, tmp_path):
    url, _marker = scratch
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(url + "/voila/render/widget.ipynb", timeout=PAGE_TIMEOUT_MS)
    page.locator(".press-me").wait_for()
    opened = time.monotonic()
    kernel = _kernel_id(page)

    # A viewer's own websocket, sending the kernel code to run: Voila passes on widget messages only.
    proof = tmp_path / "executed"
    replies = page.evaluate(
        """async ([kernel, code]) => {
            const ws = new WebSocket(`ws://${location.host}/api/kernels/${kernel}/channels?session_id=intruder`);
            const replies = [];
            ws.onmessage = (event) => replies.push(String(event.data).slice(0, 300));
            await new Promise((resolve) => { ws.onopen = resolve; });
            const header = {msg_id: "intruder-1", msg_type: "execute_request", session: "intruder",
                            username: "", version: "5.3", date: new Date().toISOString()};
            ws.send(JSON.stringify({header, parent_header: {}, metadata: {}, channel: "shell",
                content: {code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false}}));
            await new Promise((resolve) => setTimeout(resolve, 2000));
            ws.close();
            return replies.filter((r) => r.includes("intruder-1"));
        }""",
        [kernel, f"open({str(proof)!r}, 'w').write('x')"],
    )
    assert replies == []
    assert not proof.exists()

    # Read for longer than the idle timeout (the culler looks every second): a connected page keeps its kernel.
    time.sleep(max(0.0, opened + IDLE_SECONDS + 3 - time.monotonic()))
    assert fetch(url, f"/api/kernels/{kernel}")[0] == 200

    # A tab that crashes sends no shutdown request (Playwright's close runs no unload handler): the culler stops it.
    page.close()
    deadline = time.monotonic() + IDLE_SECONDS + 20
    while fetch(url, f"/api/kernels/{kernel}")[0] == 200:
        assert time.monotonic() < deadline, "the kernel of a closed page was not culled"
        time.sleep(1)


def test_a_widget_callback_error_sends_no_traceback_over_the_websocket(scratch, browser):
    url, _marker = scratch
    page = browser.new_page()
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    page.goto(url + "/voila/render/callback_fails.ipynb", timeout=PAGE_TIMEOUT_MS)
    page.locator(".break-me").click()
    page.wait_for_timeout(2000)
    assert "Traceback" not in page.content()  # holds: the page shows nothing
    try:
        assert not [f for f in frames if "Traceback" in f or "callback detail" in f]
    finally:
        page.close()
