"""What every browser test shares: Debian's Chromium, driven by Playwright, one browser per test module."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = Path(os.environ.get("CPT64612_CHROMIUM", "/usr/bin/chromium"))
QUIET_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    """Yield a headless Chromium for the module's tests."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"Chromium is needed at {CHROMIUM}: run `make test` (it installs Debian's chromium)."
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=QUIET_FLAGS)
        yield chromium
        chromium.close()
