"""A real browser: Debian's Chromium, driven by Playwright, against JupyterLab and Voilà.

JupyterLab first shows each quiz's static face (no kernel), then, after Run All, the live widgets:
answering them gives feedback in words and saves progress. Voilà renders and runs the same quizzes.
"""

import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpers import paths, quiz

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path(os.environ.get("CPT64612_CHROMIUM", "/usr/bin/chromium"))
QUIET_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}
SCREENSHOTS = os.environ.get("CPT64612_SCREENSHOTS")  # a folder to keep screenshots in (docs/ when refreshed)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process, seconds: int = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early: {process.stdout.read()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("JupyterLab did not start in time")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Serve a temporary copy of the notebooks (autosave never touches committed files)."""
    assert CHROMIUM.exists(), f"Chromium is needed at {CHROMIUM}: run `make test` (it installs Debian's chromium)."
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(paths.notebooks_dir(), root / "notebooks")
    settings = root / "settings"
    for name, values in SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    database = root / "progress.sqlite3"
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(root / "ws"),
           "CPT64612_PROGRESS_DB": str(database), "CPT64612_LEARNER": "browser-test"}
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root / 'notebooks'}",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/api/status?token={token}", process)
        yield {"base": base, "token": token, "database": database}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=QUIET_FLAGS)
        yield chromium
        chromium.close()


def _page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(90_000)
    return page


def _shot(page, name: str, selector: str | None = None) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        target = page.locator(selector).first if selector else page
        target.screenshot(path=str(Path(SCREENSHOTS) / name))


def _answer(quiz, kind: str, value: str, enter: bool = False) -> str:
    """Answer one live quiz box (pressing Check, or Enter in a typed answer) and return its feedback text."""
    quiz.scroll_into_view_if_needed()
    if kind == "option":
        quiz.locator(".quiz-options label", has_text=value).first.click()
    else:
        quiz.locator(".quiz-input input").fill(value)
    if enter:
        quiz.locator(".quiz-input input").press("Enter")
    else:
        quiz.locator(".quiz-check").click()
    feedback = quiz.locator(".quiz-feedback [role=alert]")
    expect(feedback).to_contain_text(".")
    return feedback.inner_text()


def test_jupyterlab_static_face_then_live_quiz_that_saves_progress(server, browser):
    page = _page(browser)
    page.goto(f"{server['base']}/lab/tree/00_start_here.ipynb?token={server['token']}")
    static = page.locator(".quiz-static").first
    static.wait_for(state="attached")
    static.scroll_into_view_if_needed()  # JupyterLab only renders cells near the viewport
    expect(static).to_contain_text("Show answer")
    static.locator("summary").click()
    key = quiz.load_bank("00_start_here").question("what-64612-is").answer_text()
    expect(static).to_contain_text(f"Answer: {key}")
    _shot(page, "quiz-without-kernel.png", ".quiz-static")

    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    quizzes = page.locator(".jp-OutputArea .quiz")
    quizzes.nth(4).wait_for(state="attached")
    assert quizzes.count() == 5

    wrong = _answer(quizzes.nth(0), "option", "Phenol or alcohol")
    assert "Not quite." in wrong and "neurolytic destruction code" in wrong and "Answer:" not in wrong
    quizzes.nth(0).locator(".quiz-retry").click()
    right = _answer(quizzes.nth(0), "option", "Botulinum toxin injected")
    assert "Correct." in right and "Sources:" in right
    assert "Correct." in _answer(quizzes.nth(2), "input", "1 unit", enter=True)  # Enter checks, as Check does
    code_feedback = _answer(quizzes.nth(3), "input", "64612 lt")
    assert "Not quite." in code_feedback and "LT means the left side" in code_feedback
    _shot(page, "quiz-in-jupyterlab.png", ".jp-OutputArea .quiz")

    with sqlite3.connect(server["database"]) as connection:
        rows = connection.execute("SELECT question, correct, attempt FROM attempts ORDER BY id").fetchall()
    assert rows == [("what-64612-is", 0, 1), ("what-64612-is", 1, 2), ("mue-lookup", 1, 1), ("right-hfs-line", 0, 1)]
    page.close()


def test_voila_renders_and_runs_the_quizzes(server, browser):
    page = _page(browser)
    page.goto(f"{server['base']}/voila/render/00_start_here.ipynb?token={server['token']}")
    quizzes = page.locator(".quiz")
    quizzes.nth(4).wait_for(state="attached")
    expect(page.locator("body")).not_to_contain_text("quiz.load_bank")  # code-free: no code is shown
    assert "Correct." in _answer(quizzes.nth(0), "option", "Botulinum toxin injected")
    units = _answer(quizzes.nth(3), "input", "64612-RT x 2")
    assert "Not quite." in units and "2 units" in units
    quizzes.nth(3).locator(".quiz-retry").click()
    assert "Correct." in _answer(quizzes.nth(3), "input", "64612-RT x 1")
    _shot(page, "quiz-in-voila.png", ".quiz")
    page.close()


def test_voila_lesson_tools_respond_to_the_learner(server, browser):
    """The drug calculator in lesson 02 recomputes in a real browser when the learner changes the dose."""
    page = _page(browser)
    page.goto(f"{server['base']}/voila/render/02_coding_specifications.ipynb?token={server['token']}")
    tools = page.locator(".tool")
    tools.nth(1).wait_for(state="attached")
    calculator = tools.nth(1)
    calculator.scroll_into_view_if_needed()
    expect(calculator.locator(".tool-output")).to_contain_text("J0585 x 50")
    calculator.locator("select").first.select_option("Dysport")
    dose = calculator.locator(".tool-input input")
    dose.fill("120")
    dose.press("Enter")
    expect(calculator.locator(".tool-output")).to_contain_text("J0586-JW x 36")
    dose.fill("plenty")
    dose.press("Enter")
    expect(calculator.locator(".tool-output [role=alert]")).to_contain_text("must be a number")
    _shot(page, "drug-calculator-in-voila.png", ".tool >> nth=1")
    page.close()
