"""The real app in headless Chromium: every page renders its numbers, charts and tables.

Needs the Debian ``chromium`` package (``apt-get install -y chromium``); Playwright's own
browser download is not used. Without it the test skips locally and fails when ``CI`` is set.
Screenshots go to ``tmp_path`` and, when ``THROUGHLINE_SCREENSHOTS_DIR`` is set, there too.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60
RENDER_TIMEOUT_MS = 30_000


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install it with `apt-get install -y chromium`"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so the browser test must run)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"streamlit was not healthy after {STARTUP_TIMEOUT_S}s:\n{log.read_text()}")


@pytest.fixture
def app_url(serving_path: Path, tmp_path: Path) -> Iterator[str]:
    _require_chromium()
    port = _free_port()
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "THROUGHLINE_SERVING_PATH": str(serving_path)}
    env["THROUGHLINE_DASHBOARD_PASSWORD"] = ""  # a .env password must not lock the test out
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboards/app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _screenshot(page, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    page.screenshot(path=str(target), full_page=True)
    extra = os.environ.get("THROUGHLINE_SCREENSHOTS_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(extra) / name)


def _wait_rendered(page, metrics: bool = True) -> None:
    """Metrics (where the page has them), a Plotly chart and the data grid are on screen, and
    the script is done."""
    selectors = (
        '[data-testid="stPlotlyChart"] .main-svg',
        '[data-testid="stDataFrame"] canvas',
    )
    if metrics:
        selectors = ('[data-testid="stMetricValue"]', *selectors)
    for selector in selectors:
        page.wait_for_selector(selector, state="visible", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector(
        '[data-testid="stStatusWidget"]', state="detached", timeout=RENDER_TIMEOUT_MS
    )
    page.wait_for_timeout(500)  # let Plotly finish its transitions before the screenshot


def _idle(page) -> None:
    """The rerun a click started is over."""
    page.wait_for_timeout(300)  # the status widget may take a moment to appear
    page.wait_for_selector(
        '[data-testid="stStatusWidget"]', state="detached", timeout=RENDER_TIMEOUT_MS
    )
    page.wait_for_timeout(300)


def _text(page, selector: str) -> list[str]:
    """Inner texts, no-break spaces (Russian thousands) as plain spaces."""
    return [t.replace("\xa0", " ") for t in page.locator(selector).all_inner_texts()]


def _switch_language(page, name: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=name, exact=True).click()
    _idle(page)


def test_overview_in_russian_and_english_with_a_download(app_url: str, tmp_path: Path) -> None:
    """A Russian browser gets the Overview in Russian; EN and back; the top channels table
    downloads as a real XLSX; and the page fits a phone's width."""
    import openpyxl
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                locale="ru-RU", viewport={"width": 1440, "height": 1800}, accept_downloads=True
            )
            page = context.new_page()
            page.goto(app_url, wait_until="domcontentloaded")
            _wait_rendered(page)
            assert "Обзор" in _text(page, "h1")
            metrics = _text(page, '[data-testid="stMetricValue"]')
            assert "6 750" in metrics and "344,4 %" in metrics  # cost and ROI, last 30 days
            assert "Расход, RUB" in _text(page, '[data-testid="stMetricLabel"]')
            _screenshot(page, tmp_path, "overview_ru.png")

            _switch_language(page, "EN")
            page.wait_for_selector("h1:has-text('Overview')", timeout=RENDER_TIMEOUT_MS)
            _wait_rendered(page)
            metrics = _text(page, '[data-testid="stMetricValue"]')
            assert "6,750" in metrics and "344.4%" in metrics
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            assert "Period" in sidebar and "Data as of 2025-02-01 06:30" in sidebar
            _screenshot(page, tmp_path, "overview_en.png")

            with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download:
                page.get_by_role("button", name="Excel (XLSX)").first.click()
            assert download.value.suggested_filename == (
                "top_channels_first_touch_20250102_20250131.xlsx"
            )
            target = tmp_path / download.value.suggested_filename
            download.value.save_as(target)
            rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
            assert rows[0] == ("Channel", "Cost, RUB", "Revenue, RUB", "ROI", "ДРР (ad cost share)")
            assert rows[1][:3] == ("Paid Search", 6150, 22500)
            assert abs(rows[1][3] - (22500 - 6150) / 6150) < 1e-9

            _switch_language(page, "RU")
            page.wait_for_selector("h1:has-text('Обзор')", timeout=RENDER_TIMEOUT_MS)
            assert (
                "Данные на 01.02.2025 06:30"
                in page.locator('[data-testid="stSidebar"]').inner_text()
            )

            page.set_viewport_size({"width": 390, "height": 844})  # a phone
            _idle(page)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"the page scrolls sideways on a phone by {overflow}px"
            _screenshot(page, tmp_path, "overview_phone.png")
            context.close()
        finally:
            browser.close()

    for name in ("overview_ru.png", "overview_en.png", "overview_phone.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name


def test_pages_render_in_chromium(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="en-US", viewport={"width": 1440, "height": 1600})

            page.goto(f"{app_url}/channel_roi", wait_until="domcontentloaded")
            _wait_rendered(page)
            metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
            assert "6,750" in metrics  # cost in RUB, last 30 days, first touch
            assert "344.4%" in metrics  # ROI
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            assert "Data as of 2025-02-01 06:30" in sidebar
            _screenshot(page, tmp_path, "channel_roi.png")

            page.get_by_text("Channel › source › campaign").click()
            page.wait_for_selector(
                '[data-testid="stStatusWidget"]', state="detached", timeout=RENDER_TIMEOUT_MS
            )
            page.wait_for_timeout(500)
            _screenshot(page, tmp_path, "channel_roi_campaigns.png")

            page.goto(f"{app_url}/funnel", wait_until="domcontentloaded")
            page.wait_for_selector("text=Conversion and drop-off", timeout=RENDER_TIMEOUT_MS)
            _wait_rendered(page)
            metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
            assert "4,440" in metrics  # visits, last 30 days
            assert page.locator('[data-testid="stPlotlyChart"] .funnellayer').count() > 0
            _screenshot(page, tmp_path, "funnel.png")

            page.set_viewport_size({"width": 1440, "height": 2400})  # the page is long
            page.goto(f"{app_url}/model_comparison", wait_until="domcontentloaded")
            page.wait_for_selector("text=Accuracy on planted truth", timeout=RENDER_TIMEOUT_MS)
            _wait_rendered(page, metrics=False)
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert "Every model credits the same 186 leads" in main  # January, both models
            assert page.locator('[data-testid="stPlotlyChart"]').count() == 3
            bar_labels = page.locator('[data-testid="stPlotlyChart"] text.bartext')
            assert "20.0%" in bar_labels.all_text_contents()  # first touch misallocates 20%
            _screenshot(page, tmp_path, "model_comparison.png")
        finally:
            browser.close()

    for name in ("channel_roi.png", "funnel.png", "model_comparison.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name


def test_missing_chromium_fails_on_ci_and_skips_locally(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        _require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        _require_chromium()
