"""A tour of the running app in headless Chromium: every page through the sidebar, RU and back,
another attribution model, a downloaded table, a full-page screenshot of each page.

One server (``streamlit run dashboards/app.py`` on the fixture snapshot), one browser, one
session, so the tour also proves that state carries across pages. Needs the Debian ``chromium``
package, as ``test_browser.py`` does: without it the test skips locally and fails when ``CI``
is set. Screenshots go to ``tmp_path`` and, when ``THROUGHLINE_SCREENSHOTS_DIR`` is set, there too.

Known numbers (conftest, default window 2025-01-02 … 2025-01-31): Paid Search costs 6,150 and
earns 22,500 under first touch (the default model) but 30,000 under last touch (3 + 0.5 + 0.5
leads a day = 120 leads); Organic Search earns 7,500 under first touch and nothing under last.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

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
# The router's pages (English titles) the tour must find; a page added later is toured as well.
PAGES = (
    "Overview",
    "Channel ROI",
    "Channels & campaigns",
    "Funnel",
    "Model comparison",
    "Cohorts & LTV",
    "Segments",
    "Managers",
    "Data health",
)
NAV_LINK = '[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]'
# Each chart's traces as drawn (Plotly's graph div keeps the figure it was given).
PLOTLY_TRACES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .map(chart => chart.querySelector('.js-plotly-plot'))
    .map(gd => (gd?.data || []).map(trace => ({name: trace.name, y: trace.y})))"""
CONTENT_HEIGHT = """() => Math.ceil(Math.max(document.documentElement.scrollHeight,
    ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
        .map(el => el.scrollHeight)))"""
ALL_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(chart => chart.querySelector('.main-svg'))"""


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


@pytest.fixture
def app_url(serving_path: Path, tmp_path: Path) -> Iterator[str]:
    """``streamlit run dashboards/app.py`` on the fixture snapshot, stopped afterwards."""
    _require_chromium()
    port = _free_port()
    log = tmp_path / "streamlit.log"
    env = {
        **os.environ,
        "THROUGHLINE_SERVING_PATH": str(serving_path),
        "THROUGHLINE_DASHBOARD_PASSWORD": "",  # a password in the environment or .env: off
    }
    command = [
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
    ]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT_S}s:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- helpers ---------------------------------------------------------------------------------


def _idle(page) -> None:
    """The rerun a click started is over, and every chart on the page is drawn."""
    page.wait_for_timeout(300)  # the status widget may take a moment to appear
    page.wait_for_selector(
        '[data-testid="stStatusWidget"]', state="detached", timeout=RENDER_TIMEOUT_MS
    )
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(500)  # Plotly's transitions, before a screenshot


def _open(page, title: str) -> None:
    """Click the sidebar link to a page; return when its title is up and its run is done."""
    page.locator(NAV_LINK).get_by_text(title, exact=True).click()
    page.wait_for_function(
        "t => document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.trim() === t",
        arg=title,
        timeout=RENDER_TIMEOUT_MS,
    )
    _idle(page)


def _assert_clean(page, where: str) -> None:
    """No exception box, and nothing in the URL but the page."""
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, f"{where}: {boxes.all_inner_texts()}"
    assert urlparse(page.url).query == "", f"{where}: the URL carries {page.url}"


def _nav_titles(page) -> list[str]:
    """The sidebar links' titles (each link's text is its icon's name, then the title)."""
    return [text.split("\n")[-1].strip() for text in page.locator(NAV_LINK).all_inner_texts()]


def _screenshot(page, tmp_path: Path, name: str) -> Path:
    """The whole page. Streamlit scrolls inside its app container, not the document, so
    ``full_page`` alone stops at the window: the window grows to the content for the shot."""
    viewport = page.viewport_size
    height = page.evaluate(CONTENT_HEIGHT)
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.wait_for_function(ALL_CHARTS_DRAWN, timeout=RENDER_TIMEOUT_MS)
        page.wait_for_timeout(500)  # Plotly redraws at the new size
    target = tmp_path / name
    page.screenshot(path=str(target), full_page=True)
    page.set_viewport_size(viewport)
    extra = os.environ.get("THROUGHLINE_SCREENSHOTS_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(extra) / name)
    return target


def _revenue_by_channel(page) -> dict[str, float]:
    """Channel ROI's scatter (the first chart): one trace per channel, y = revenue."""
    scatter = page.evaluate(PLOTLY_TRACES)[0]
    return {t["name"]: t["y"][0] for t in scatter if t["name"] and len(t["y"]) == 1}


def _model_picker(page, label: str = "Attribution model"):
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label)


def _switch_model(page, option: str) -> None:
    _model_picker(page).click()
    page.get_by_role("option", name=option, exact=True).click()
    _idle(page)


def _switch_language(page, name: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=name, exact=True).click()
    _idle(page)


# --- the tour ---------------------------------------------------------------------------------


def test_tour_every_page_language_model_and_download(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                locale="en-US", viewport={"width": 1440, "height": 1200}, accept_downloads=True
            )
            page = context.new_page()
            page.goto(app_url, wait_until="domcontentloaded")
            page.wait_for_selector("h1:has-text('Overview')", timeout=RENDER_TIMEOUT_MS)
            _idle(page)

            # 1. Every page, through the sidebar, in the router's order.
            titles = _nav_titles(page)
            assert set(PAGES) <= set(titles), (
                f"missing from the sidebar: {set(PAGES) - set(titles)}"
            )
            for i, title in enumerate(titles, start=1):
                _open(page, title)
                _assert_clean(page, title)
                slug = urlparse(page.url).path.strip("/") or "overview"
                shots.append(_screenshot(page, tmp_path, f"tour_{i:02d}_{slug}.png"))

            # 2. Channel ROI under another model: Paid Search's revenue changes on the chart.
            _open(page, "Channel ROI")
            first_touch = _revenue_by_channel(page)
            assert first_touch["Paid Search"] == 22_500
            assert first_touch["Organic Search"] == 7_500
            _switch_model(page, "Last touch")
            last_touch = _revenue_by_channel(page)
            assert last_touch["Paid Search"] == 30_000
            assert last_touch["Organic Search"] == 0
            _assert_clean(page, "Channel ROI, last touch")
            shots.append(_screenshot(page, tmp_path, "tour_channel_roi_last_touch.png"))

            # 3. Its table, downloaded as CSV and read back: the numbers of the model picked.
            with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download:
                downloads = page.locator('[data-testid="stDownloadButton"]')
                downloads.get_by_role("button", name="CSV", exact=True).click()
            name = download.value.suggested_filename
            assert name == "channel_roi_last_touch_20250102_20250131_channel.csv"
            target = tmp_path / name
            download.value.save_as(target)
            rows = {
                row["Channel"]: row
                for row in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")))
            }
            assert set(rows) == {"Paid Search", "Paid Social", "Organic Search", "(none)"}
            assert float(rows["Paid Search"]["Cost, RUB"]) == 6_150
            assert float(rows["Paid Search"]["Leads"]) == 120
            assert float(rows["Paid Search"]["Revenue, RUB"]) == 30_000

            # 4. RU and back on the same page: titles, sidebar and numbers follow.
            _switch_language(page, "RU")
            page.wait_for_selector("h1:has-text('ROI каналов')", timeout=RENDER_TIMEOUT_MS)
            _idle(page)
            assert "Сравнение моделей" in _nav_titles(page)
            metrics = [
                m.replace("\xa0", " ")
                for m in page.locator('[data-testid="stMetricValue"]').all_inner_texts()
            ]
            assert "6 750" in metrics and "344,4 %" in metrics
            assert _model_picker(page, "Модель атрибуции").input_value() == "Последнее касание"
            assert _revenue_by_channel(page)["Paid Search"] == 30_000  # the model stayed
            _assert_clean(page, "Channel ROI in Russian")
            shots.append(_screenshot(page, tmp_path, "tour_channel_roi_ru.png"))
            _switch_language(page, "EN")
            page.wait_for_selector("h1:has-text('Channel ROI')", timeout=RENDER_TIMEOUT_MS)
            assert "Model comparison" in _nav_titles(page)
            assert "6,750" in page.locator('[data-testid="stMetricValue"]').all_inner_texts()
            _assert_clean(page, "Channel ROI back in English")
            context.close()
        finally:
            browser.close()

    assert len(shots) == len(titles) + 2
    for shot in shots:
        assert shot.stat().st_size > 10_000, shot.name
