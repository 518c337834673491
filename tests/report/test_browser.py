"""The report in a real browser: `streamlit run` on loopback, headless Chromium driven by Playwright.

Screenshots are kept under test-artifacts/ (not in git). Chromium comes from Debian's package (`make test`
installs it); Playwright's own browser download cannot work offline, so the system binary is used."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT
from verifier.report.ordering import rank
from verifier.verdicts import FINDINGS, Status

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(audited: Path, **environment: str) -> Iterator[str]:
    """`verifier report` in a subprocess from another folder, on a free loopback port; its URL once healthy."""
    port = free_port()
    env = {**os.environ, "VERIFIER_HOME": str(audited / ".verifier"), **environment}
    elsewhere = audited.parent / "elsewhere"  # `verifier report` serves the installed app from any folder
    elsewhere.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "verifier", "report", "--registry", str(audited / "claims"), "--headless",
         "--address", "127.0.0.1", "--port", str(port)],
        cwd=elsewhere, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise AssertionError(f"streamlit did not start: {process.stderr.read().decode() if process.stderr else ''}")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(audited: Path) -> Iterator[str]:
    with serving(audited) as url:
        yield url


def settled(page: object, selector: str, *texts: str) -> str:
    """Streamlit draws over a websocket after load: wait for an element, for the run to finish and for every
    expected text to be on the page (a rerun may still be drawing when the status widget goes away)."""
    page.wait_for_selector(selector, timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_function(  # type: ignore[attr-defined]
        "texts => texts.every(t => document.body.innerText.includes(t))", arg=list(texts), timeout=60_000)
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    return str(page.inner_text("body"))  # type: ignore[attr-defined]


def test_overview_and_detail_render_in_chromium(server: str) -> None:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (make test does it)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server)
        page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)
        body = settled(page, '[data-testid="stMetric"]', "Audit overview", "reviewed by hand")
        assert "Audit overview" in body and "refuted" in body and "reviewed by hand" in body
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

        page.goto(f"{server}/detail?claim=wrong-output")
        body = settled(page, "text=Claimed output", "wrong-output", "Observed output", "0.6667")
        assert "wrong-output" in body and "0.6700" in body and "0.6667" in body
        assert page.locator("mark").count() >= 2
        page.screenshot(path=str(ARTIFACTS / "detail.png"), full_page=True)

        page.goto(f"{server}/claims")
        body = settled(page, '[data-testid="stDataFrame"]', "of 7 claims")
        assert "7 of 7 claims" in body
        browser.close()
    assert (ARTIFACTS / "overview.png").stat().st_size > 10_000


DEPLOY = '[data-testid="stAppDeployButton"]'
#: Streamlit's centred layout is 736 px wide; the wide one fills the window beside the sidebar.
CENTRED_WIDTH = 736


def table(page: object) -> list[dict[str, str]]:
    """The claims table's rows as the browser draws them (the grid's accessible cells, visible rows only)."""
    grid = page.locator('[data-testid="stDataFrame"] [role="row"]')  # type: ignore[attr-defined]
    header = [cell.inner_text() for cell in grid.nth(0).locator('[role="columnheader"]').all()]
    rows = [[cell.inner_text() for cell in row.locator('[role="gridcell"]').all()] for row in grid.all()[1:]]
    return [dict(zip(header, cells, strict=False)) for cells in rows if cells]


def open_claims(url: str, name: str) -> tuple[list[dict[str, str]], float, int]:
    """Open /claims first thing on a fresh server (a deep link); the rows, the main column's width and the
    number of Deploy buttons."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{url}/claims")
        settled(page, '[data-testid="stDataFrame"]', "of 7 claims")
        page.wait_for_selector('[data-testid="stDataFrame"] [role="gridcell"]', state="attached", timeout=60_000)
        page.wait_for_selector('[data-testid="stToolbar"]', timeout=60_000)
        rows = table(page)
        box = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
        deploy = page.locator(DEPLOY).count()
        page.screenshot(path=str(ARTIFACTS / f"claims-{name}.png"), full_page=True)
        browser.close()
    assert box is not None
    return rows, box["width"], deploy


def test_claims_table_leads_with_findings_wide_and_without_deploy(audited: Path) -> None:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (make test does it)"
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(audited) as url:
        rows, width, deploy = open_claims(url, "report")
    verdicts = [row["verdict"] for row in rows]
    assert len(rows) == 7, rows
    assert Status(verdicts[0]) in FINDINGS and Status(verdicts[1]) in FINDINGS  # refuted, then mismatch
    assert [rank(v) for v in verdicts] == sorted(rank(v) for v in verdicts)
    assert verdicts[-2:] == ["unverifiable", "unverifiable"]
    steps = {row["claim"]: row["what would decide"] for row in rows if row["verdict"] == "unverifiable"}
    assert steps["other-sentence"].startswith("add a review")  # a fact with neither `about` nor a review
    assert steps["transformer-paper"].startswith("audit online")  # the offline snapshot does not cover it
    assert all(not row["what would decide"] for row in rows if row["verdict"] != "unverifiable")
    assert width > 2 * CENTRED_WIDTH - 200, width  # the wide layout, even for a first visit straight to /claims
    assert deploy == 0


def test_deploy_button_is_found_when_the_toolbar_is_in_developer_mode(audited: Path) -> None:
    """The control: the same report with the toolbar forced back to developer mode shows Deploy, so the
    absence above is the report's configuration at work, not a selector that matches nothing."""
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(audited, STREAMLIT_CLIENT_TOOLBAR_MODE="developer") as url:
        _, _, deploy = open_claims(url, "developer")
    assert deploy == 1
