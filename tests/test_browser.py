"""End to end in a real browser: the app served by ``streamlit run``, driven by Playwright in Debian's headless
Chromium (never a downloaded browser).

A quick-mode comparison is run from the page, the result tabs are switched and the comparison CSV is downloaded.
The time from pressing the button to the results on screen is printed (not asserted: it depends on the
machine). With ``UPDATE_SCREENSHOTS=1`` the screenshots of the main views are written to ``docs/img/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.parameters import load_calibration

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
COMPARISON_HEADER = "scenario,baseline,year,flow,measure,diff_mean,diff_p05,diff_p95,rel_diff_mean"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's Chromium is not installed at /usr/bin/chromium "
                                       "(apt-get install -y chromium; .ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server():
    """The app served on a free local port, stopped after the tests."""
    port = _free_port()
    log = open(ROOT / ".pytest_cache" / "streamlit_browser_test.log", "w") if (ROOT / ".pytest_cache").is_dir() \
        else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app_streamlit.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start (exit code {proc.poll()})")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log is not subprocess.DEVNULL:
            log.close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, through Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _scroll_to(locator) -> None:
    """Scroll the page so that the element is at the top of the view (for screenshots)."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    locator.page.wait_for_timeout(400)


def _shots(tmp_path: Path) -> Path:
    return ROOT / "docs" / "img" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path


def test_quick_comparison_tabs_and_csv_download(server, browser, tmp_path, capsys, record_property):
    shots = _shots(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(server, wait_until="domcontentloaded")
        page.get_by_text("Stacked family reunification: policy simulator").wait_for(timeout=60_000)
        page.get_by_text("Quick (approximate)").wait_for()
        page.wait_for_timeout(1500)  # let the page settle before the screenshot
        page.screenshot(path=str(shots / "scenario_choice.png"))

        # Build view (for the screenshot): the form with the levers.
        page.get_by_role("tab", name="Build your own").click()
        page.get_by_text("Stacking ban", exact=True).first.click()
        page.wait_for_timeout(500)
        _scroll_to(page.get_by_text("1. Choose or build a scenario"))
        page.screenshot(path=str(shots / "build_form.png"))
        page.get_by_role("tab", name="Shipped scenarios").click()

        # Run the shipped stacking ban in quick mode; time it as the user waits for it.
        t0 = time.perf_counter()
        page.get_by_role("button", name="Run against the baseline").first.click()
        page.get_by_text("2. Results: stacking_ban_nareis against the baseline").wait_for(timeout=120_000)
        page.get_by_role("tab", name="Headline").wait_for(timeout=60_000)
        seconds = time.perf_counter() - t0
        summary = page.get_by_text("Quick (approximate) · scale 0.05").first.inner_text()
        record_property("quick_mode_seconds", round(seconds, 2))
        with capsys.disabled():
            print(f"\nquick-mode comparison in the browser: {seconds:.1f} s from click to results "
                  f"(the page reports: {summary.rsplit('·', 1)[-1].strip()})")
        page.get_by_test_id("stMetric").first.wait_for()
        page.wait_for_timeout(1000)
        _scroll_to(page.get_by_text("2. Results: stacking_ban_nareis against the baseline"))
        page.screenshot(path=str(shots / "headline.png"), full_page=False)

        page.get_by_role("tab", name="Per year").click()
        _scroll_to(page.get_by_role("tab", name="Per year"))
        page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(shots / "per_year.png"))

        page.get_by_role("tab", name="Breakdowns").click()
        _scroll_to(page.get_by_role("tab", name="Breakdowns"))
        page.get_by_text("By the sponsor's status (A/B)").wait_for()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(shots / "breakdowns.png"))

        page.get_by_role("tab", name="Flow diagram").click()
        _scroll_to(page.get_by_role("tab", name="Flow diagram"))
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(shots / "flow_diagram.png"))

        page.get_by_role("tab", name="Calibration").click()
        _scroll_to(page.get_by_role("tab", name="Calibration"))
        status = "are calibrated to the IND tables" if load_calibration() else "The parameters are not yet calibrated"
        page.get_by_text(status).first.wait_for()
        if load_calibration():
            page.get_by_text("How far to trust the fit.").first.wait_for()
        page.get_by_text("The bands the calibration is held to").first.wait_for()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(shots / "calibration.png"))

        page.get_by_role("tab", name="Assumptions").click()
        _scroll_to(page.get_by_role("tab", name="Assumptions"))
        page.get_by_text("Model parameters", exact=True).wait_for()
        page.wait_for_timeout(800)
        page.screenshot(path=str(shots / "assumptions.png"))

        page.get_by_role("tab", name="Downloads").click()
        _scroll_to(page.get_by_role("tab", name="Downloads"))
        page.get_by_text("Reproduce on the command line").wait_for()
        page.wait_for_timeout(800)
        page.screenshot(path=str(shots / "downloads.png"))
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Comparison (CSV)").click()
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        lines = target.read_text("utf-8").splitlines()
        assert download.suggested_filename == "stacking_ban_nareis_comparison.csv"
        assert lines[0] == COMPARISON_HEADER
        assert len(lines) > 100 and lines[1].startswith("stacking_ban_nareis,baseline,")
        command = page.get_by_test_id("stCode").filter(has_text="sim run").first.inner_text()
        assert "--scale 0.05 --replications 4" in command and "--compare-to baseline" in command

        # The language switch relabels the page (the results stay).
        page.get_by_text("Nederlands", exact=True).click()
        page.get_by_role("tab", name="Kerncijfers").click()
        page.get_by_text("2. Uitkomsten: stacking_ban_nareis tegenover de basislijn").wait_for(timeout=30_000)
        _scroll_to(page.get_by_text("2. Uitkomsten: stacking_ban_nareis tegenover de basislijn"))
        page.wait_for_timeout(1000)
        page.screenshot(path=str(shots / "headline_nl.png"))
    finally:
        context.close()
