"""Shared fixtures: an isolated progress file for every test, editable copies of the data, and Chromium."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers import paths, progress


CHROMIUM = Path(os.environ.get("CPT64612_CHROMIUM", "/usr/bin/chromium"))
QUIET_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    """Yield a headless Debian Chromium driven by Playwright, one per test module (the browser tests)."""
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM.exists(), f"Chromium is needed at {CHROMIUM}: run `make test` (it installs Debian's chromium)."
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=QUIET_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def isolated_progress(tmp_path, monkeypatch):
    """Give every test its own progress file, learner and workspace, so no test touches a real learner's files."""
    monkeypatch.setenv(progress.DB_VARIABLE, str(tmp_path / "progress" / "progress.sqlite3"))
    monkeypatch.setenv(progress.LEARNER_VARIABLE, "test-learner")
    monkeypatch.setenv(paths.WORKSPACE_VARIABLE, str(tmp_path / "workspace"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    progress.set_location(None)
    progress.set_learner(None)
    yield tmp_path / "progress" / "progress.sqlite3"
    progress.set_location(None)
    progress.set_learner(None)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """Copy data/ to a temporary folder and point the loader at it; return the folder."""
    folder = tmp_path / "data"
    shutil.copytree(paths.repo_root() / "data", folder)
    monkeypatch.setenv(paths.DATA_DIR_VARIABLE, str(folder))
    return folder


def _replace_in_file(path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def edit():
    """Return a function that replaces text in a file (a data copy's CSV), failing loudly if the text is absent."""
    return _replace_in_file


COUNT = "count: "
"""How a test's printed line starts when it reports what it tried (cases, rows written and survived, pages)."""


def pytest_terminal_summary(terminalreporter):
    """After the run, repeat every count the tests printed (on any worker): what the suite tried, in one place."""
    lines = [line.removeprefix(COUNT) for report in terminalreporter.stats.get("passed", [])
             if getattr(report, "when", "") == "call" for line in report.capstdout.splitlines()
             if line.startswith(COUNT)]
    if lines:
        terminalreporter.section("What the reliability, safety and accessibility tests tried")
        for line in sorted(lines):
            terminalreporter.write_line(line)

