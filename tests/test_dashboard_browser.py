"""The dashboard in a real browser: `streamlit run` on a free port, driven by Playwright with Debian's
Chromium (/usr/bin/chromium; `make browser-deps`). One full-page screenshot per page under
test-artifacts/dashboard/.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_home
from support.dashboard import APP

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts" / "dashboard"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHART = '[data-testid="stVegaLiteChart"]'
# (url path, page title shown, text that proves the page's data arrived)
PAGES = [
    ("", "Portfolio", "Value scorecard"),
    ("project", "Project", "Delivery flow"),
    ("benefits", "Benefits", "Stale KPIs"),
    ("strategy", "Strategy", "Spend by objective"),
    ("data-trust", "Data trust", "Unmapped GL lines"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"{CHROMIUM} is missing in CI: run `make browser-deps` (apt-get install chromium) first"
            )
        pytest.skip(f"{CHROMIUM} is not installed (`make browser-deps` installs it); CI runs this test")
    return CHROMIUM


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
    log = root / "streamlit.log"
    with log.open("w") as log_fh:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=log_fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 90
            while not _healthy(url):
                if proc.poll() is not None:
                    raise AssertionError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"{url} did not answer in 90 s:\n{log.read_text()}")
                time.sleep(0.3)
            yield url
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)


@pytest.mark.browser
@pytest.mark.e2e  # the demo_run fixture runs the whole pipeline
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
