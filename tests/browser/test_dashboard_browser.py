"""The dashboard in a real browser: `streamlit run` on a free port, driven by Playwright with Debian's
Chromium (/usr/bin/chromium; `make browser-deps`). One full-page screenshot per page under
test-artifacts/dashboard/.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import paths
from support.chromium import CHROMIUM_ARGS, require_chromium
from support.demo_run import copy_home
from support.paths import REPO
from support.ui_server import free_port, serving

APP = REPO / "orchestration" / "dashboard" / "app.py"
ARTIFACTS = paths.ARTIFACTS / "dashboard"
CHART = '[data-testid="stVegaLiteChart"]'
# (url path, page title shown, text that proves the page's data arrived)
PAGES = [
    ("", "Portfolio", "Value scorecard"),
    ("project", "Project", "Delivery flow"),
    ("benefits", "Benefits", "Stale KPIs"),
    ("strategy", "Strategy", "Spend by objective"),
    ("data-trust", "Data trust", "Unmapped GL lines"),
]


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


@pytest.fixture(scope="module")
def dashboard(chromium, demo_run, tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("dashboard_browser")
    home = copy_home(demo_run, root)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRO_", "DAGSTER_", "STREAMLIT_"))}
    env.update(VRO_HOME=str(home), HOME=str(root))  # HOME: no ~/.streamlit credentials prompt or config
    cmd = [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        str(APP),
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--client.toolbarMode=minimal",
    ]
    with serving(cmd, env, root / "streamlit.log", f"{url}/_stcore/health", wait_seconds=90):
        yield url


def test_every_page_renders_its_charts_in_chromium(dashboard, chromium):
    from playwright.sync_api import sync_playwright

    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            for path, title, proof in PAGES:
                page.goto(f"{dashboard}/{path}", wait_until="domcontentloaded", timeout=60_000)
                page.get_by_role("heading", name=title, exact=True).wait_for(timeout=60_000)
                page.get_by_text(proof, exact=True).first.wait_for(timeout=60_000)
                charts = page.locator(CHART)
                charts.first.wait_for(state="visible", timeout=60_000)
                # vega-embed has drawn the marks (a canvas or an svg), not just its container
                page.locator(f"{CHART} canvas, {CHART} svg.marks").first.wait_for(timeout=60_000)
                page.wait_for_timeout(1000)  # let the remaining charts finish their first draw
                # Streamlit scrolls inside its main block: grow the window to the content for the shot.
                height = page.evaluate(
                    "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 1000"
                )
                page.set_viewport_size({"width": 1500, "height": min(max(int(height), 1000), 6000)})
                page.wait_for_timeout(1000)
                shot = ARTIFACTS / f"{path or 'portfolio'}.png"
                page.screenshot(path=str(shot), full_page=True)
                page.set_viewport_size({"width": 1500, "height": 1000})
                assert charts.count() >= 1, f"no chart on {title}"
                assert page.locator('[data-testid="stException"]').count() == 0, f"a stack trace on {title}"
                assert shot.stat().st_size > 20_000, f"{shot} looks empty"
        finally:
            browser.close()
    assert sorted(p.name for p in ARTIFACTS.glob("*.png")) == sorted(
        f"{path or 'portfolio'}.png" for path, _, _ in PAGES
    )
