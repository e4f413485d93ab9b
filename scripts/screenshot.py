"""Take a screenshot of a worksheet from a live Voila page (the README's is the win-win worksheet).

.venv/bin/python scripts/screenshot.py docs/img/win_win_check.png [frameworks/win_win_check.ipynb]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, running_voila  # noqa: E402


def main(out: str, notebook: str = "frameworks/win_win_check.ipynb") -> int:
    with running_voila(preheat=False) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 4000}, device_scale_factor=1)
        page.goto(f"{base}/voila/render/{notebook}", timeout=120_000)
        page.locator(".coopkit-charts .coopkit-chart").first.wait_for(timeout=120_000)
        page.wait_for_timeout(500)
        box = page.locator(".coopkit-worksheet").bounding_box()  # element shots leave off-screen parts blank
        page.screenshot(path=out, clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]})
        browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:] or [str(ROOT / "docs" / "img" / "win_win_check.png")]
    sys.exit(main(*args[:2]))
