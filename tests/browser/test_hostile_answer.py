"""A hostile answer typed into a live quiz, in a real browser, runs nothing and comes back as text.

Voilà is started as ``make voila`` starts it (here on 127.0.0.1, with a token and its own progress file) and
Chromium opens the start notebook. In its typed-answer quizzes and its name field the learner types an image tag
whose onerror sets ``window.__pwned`` and a script that would set it. Nothing runs: ``window.__pwned`` stays
unset, no dialog opens and no element with an event attribute appears; the name reads as typed. After a reload
the saved name and a saved answer (its stored time made hostile in the progress file) come back as text too.
Lesson 03's drug calculator, which repeats a typed dose in its message, shows it as typed and runs nothing.
"""

import os
import re
import secrets
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course_support import free_port, stop, wait_until_up

from helpers import paths, progress, quiz
from helpers.quiz.model import Code, Numeric

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = os.environ.get("CPT64612_SCREENSHOTS")  # a folder to keep screenshots in, to see what was tested
HOSTILE = ("<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=1">')
START = "00_start_here"


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Start Voilà as `make voila` does, with a token, a throw-away progress file and no learner name set."""
    root = tmp_path_factory.mktemp("hostile")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, progress.DB_VARIABLE: str(root / "progress.sqlite3"),
           paths.WORKSPACE_VARIABLE: str(root / "workspace")}
    for name in (progress.LEARNER_VARIABLE, progress.HUB_USER_VARIABLE, paths.DATA_DIR_VARIABLE):
        env.pop(name, None)  # the name the learner saves is the one answers are saved under
    process = subprocess.Popen([sys.executable, "-m", "helpers.launch", "voila", "--no-browser", f"--port={port}",
                                "--Voila.ip=127.0.0.1", f"--token={token}"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, cwd=paths.repo_root(), env=env)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/voila/tree?token={token}", process, lines)
        yield {"base": base, "token": token, "database": root / "progress.sqlite3"}
    finally:
        stop(process)


def _open(browser, voila, notebook: str):
    """Return a page showing a notebook in Voilà, and the list that collects every dialog it opens (dismissed)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(90_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{voila['base']}/voila/render/{notebook}.ipynb?token={voila['token']}")
    return page, dialogs


def _shot(page, name: str, selector: str) -> None:
    """Keep a screenshot of what was tested, when CPT64612_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.locator(selector).first.screenshot(path=str(Path(SCREENSHOTS) / name))


def _nothing_ran(page, dialogs: list[str]) -> None:
    """Assert that no hostile text ran: no flag set, no dialog, no element with an event attribute or such a script."""
    page.wait_for_timeout(1500)  # an image that fails to load fires onerror within moments
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    assert page.locator("[onerror], [onload], [onmouseover]").count() == 0
    assert not page.evaluate("() => [...document.scripts].some(script => script.textContent.includes('__pwned'))")


def _typed_quizzes() -> list[tuple[int, object]]:
    """Return the position and question of each typed-answer quiz (a number or a code line) in the start notebook."""
    section = quiz.load_bank(START).in_section("warm-up")
    return [(position, question) for position, question in enumerate(section) if isinstance(question, (Numeric, Code))]


def _answer(box, text: str) -> None:
    """Type ``text`` into a live quiz, press Check, and assert it is kept as typed and read as no answer."""
    box.scroll_into_view_if_needed()
    if box.locator(".quiz-retry").is_visible():
        box.locator(".quiz-retry").click()
        expect(box.locator(".quiz-retry")).to_be_hidden()  # the kernel has made the quiz fresh
    field = box.locator(".quiz-input input")
    field.fill(text)
    box.locator(".quiz-check").click()
    expect(box.locator(".quiz-feedback [role=alert]")).to_contain_text("I could not read that.")
    expect(field).to_have_value(text)
    assert box.locator(".quiz-feedback img, .quiz-feedback script").count() == 0


def _save_name(field, text: str) -> None:
    """Save ``text`` as the learner's name and assert the field says so, in those very characters."""
    field.locator(".progress-name input").fill(text)
    field.locator(".progress-save-name").click()
    expect(field.locator(".progress-message [role=status]")).to_contain_text(f"saved as {text}, in every notebook")
    expect(field).to_contain_text(f"Your answers are saved as {text}.")


def _saved_answer(database: Path, learner: str, question, when: str) -> None:
    """Put a saved wrong answer to ``question`` in the progress file, its stored time hostile."""
    result = question.check("64612 lt")
    with sqlite3.connect(database, timeout=10) as connection:
        connection.execute("INSERT INTO attempts (learner, notebook, question, objective, response, correct, attempt, "
                           "answered_at) VALUES (?, ?, ?, ?, ?, 0, 1, ?)",
                           (learner, START, question.id, question.objective, result.response, when))


def test_a_hostile_answer_typed_into_a_live_quiz_runs_nothing(voila, browser):
    page, dialogs = _open(browser, voila, START)
    quizzes = page.locator(".quiz")
    quizzes.nth(4).wait_for(state="attached")
    typed = _typed_quizzes()
    assert len(typed) >= 2
    for position, _ in typed:
        for text in HOSTILE:
            _answer(quizzes.nth(position), text)
    _shot(page, "hostile-answer-in-a-quiz.png", f".quiz >> nth={typed[-1][0]}")
    field = page.locator(".progress-name-field").first
    field.scroll_into_view_if_needed()
    for text in HOSTILE:  # the image tag last: it is the name the page shows again after the reload
        _save_name(field, text)
    _shot(page, "hostile-name.png", ".progress-name-field")
    _nothing_ran(page, dialogs)

    with sqlite3.connect(voila["database"], timeout=10) as connection:
        saved = connection.execute("SELECT COUNT(*) FROM attempts WHERE response IN (?, ?)", HOSTILE).fetchone()[0]
    assert saved == 0  # an answer the course cannot read is never saved, so never shown again
    code_position, code = next((position, question) for position, question in typed if isinstance(question, Code))
    _saved_answer(voila["database"], HOSTILE[1], code, HOSTILE[1])

    page.reload()
    quizzes = page.locator(".quiz")
    quizzes.nth(4).wait_for(state="attached")
    restored = quizzes.nth(code_position).locator(".quiz-feedback [role=alert]")
    restored.scroll_into_view_if_needed()
    expect(restored).to_contain_text(f"Your last answer, saved {HOSTILE[1]}. Press Try again")
    field = page.locator(".progress-name-field").first
    expect(field).to_contain_text(f"Your answers are saved as {HOSTILE[1]}.")
    expect(field.locator(".progress-name input")).to_have_value(HOSTILE[1])
    _shot(page, "hostile-saved-answer-after-reload.png", f".quiz >> nth={code_position}")
    _nothing_ran(page, dialogs)
    page.close()


def test_a_hostile_dose_in_a_lesson_tool_is_repeated_as_text(voila, browser):
    page, dialogs = _open(browser, voila, "03_drug_lines_and_edits")
    calculator = page.locator(".tool").first
    calculator.wait_for(state="attached")
    calculator.scroll_into_view_if_needed()
    expect(calculator.locator(".tool-output")).to_contain_text("J0585")
    dose = calculator.locator(".tool-input input")
    for text in HOSTILE:
        dose.fill(text)
        dose.press("Enter")
        alert = calculator.locator(".tool-output [role=alert]")
        expect(alert).to_contain_text(re.compile(re.escape(f"got '{text}'")))
        assert alert.locator("img, script").count() == 0
    _shot(page, "hostile-dose.png", ".tool")
    _nothing_ran(page, dialogs)
    page.close()
