"""A real browser: Debian's Chromium, driven by Playwright, against JupyterLab and Voilà.

JupyterLab is started the way ``make lab`` starts it (``python -m helpers.launch lab``) and opened at the
URL it prints. It first shows each quiz's static face (no kernel), then, after Run All, the live widgets:
answering them gives feedback in words and saves progress, and saving writes only the learner's workspace.
Voilà renders and runs the same quizzes.
"""

import json
import os
import secrets
import shutil
import sqlite3
import hashlib
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from course_support import axe_serious, free_port, stop, wait_until_up

from helpers import paths, quiz

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREENSHOTS = os.environ.get("CPT64612_SCREENSHOTS")  # a folder to keep screenshots in (docs/ when refreshed)


def _api(server, path: str):
    """Return the JSON the server's contents API gives for a path."""
    with urllib.request.urlopen(f"{server['base']}/api/contents/{path}?token={server['token']}", timeout=10) as reply:
        return json.load(reply)


def _course_files() -> dict[str, str]:
    """Return a hash of every file under notebooks/ and data/ (what using the course must never change)."""
    root = paths.repo_root()
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in ("notebooks", "data") for path in sorted((root / folder).rglob("*")) if path.is_file()}


def _printed_url(lines: list[str], seconds: int = 30) -> str:
    """Return the first URL with a token that the server printed."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        for line in list(lines):
            found = re.search(r"http://127\.0\.0\.1:\d+/\S*\?token=", line)
            if found:
                return found.group(0)  # a token given on the command line is printed as '...': the test adds it
        time.sleep(0.2)
    raise RuntimeError(f"The server printed no URL: {''.join(lines)[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Start JupyterLab as `make lab` does, on a throw-away workspace inside the course folder (gitignored)."""
    root = tmp_path_factory.mktemp("lab")
    folder = paths.repo_root() / f"workspace-browser-test-{secrets.token_hex(4)}"
    database = root / "progress.sqlite3"
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(root / "ws"),
           "CPT64612_PROGRESS_DB": str(database), "CPT64612_LEARNER": "browser-test",
           "CPT64612_WORKSPACE": str(folder)}
    before = _course_files()
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers.launch", "lab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}", "--LabApp.expose_app_in_browser=True"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=paths.repo_root())
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/status?token={token}", process, lines)
        yield {"base": base, "token": token, "database": database, "workspace": folder,
               "prefix": folder.relative_to(paths.repo_root()).as_posix(), "url": _printed_url(lines) + token,
               "before": before}
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def _page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(90_000)
    return page


def _shot(page, name: str, selector: str | None = None) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        target = page.locator(selector).first if selector else page
        target.screenshot(path=str(Path(SCREENSHOTS) / name))


def _command(page, command: str) -> None:
    """Start a JupyterLab command on the open notebook, once it is ready, without awaiting the command.

    A command that opens a dialog would never resolve, and page.evaluate has no timeout (the waits after it do).
    """
    page.wait_for_function("() => { const w = window.jupyterapp.shell.currentWidget; "
                           "return !!(w && w.context && w.context.isReady && w.sessionContext "
                           "&& w.sessionContext.session && w.sessionContext.session.kernel); }")
    page.evaluate(f"() => {{ void window.jupyterapp.commands.execute('{command}'); }}")


def _retry(quiz) -> None:
    """Press a quiz's Try again and wait until the quiz is fresh (the button hides once the kernel has reset it)."""
    quiz.locator(".quiz-retry").click()
    expect(quiz.locator(".quiz-retry")).to_be_hidden()


def _answer(quiz, kind: str, value: str, enter: bool = False) -> str:
    """Answer one live quiz box (pressing Check, or Enter in a typed answer) and return its feedback text."""
    quiz.scroll_into_view_if_needed()
    if quiz.locator(".quiz-retry").is_visible():  # a question answered before shows that answer: answer afresh
        _retry(quiz)
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


def test_make_lab_prints_the_start_notebook_and_serves_the_data(server):
    assert server["url"].endswith(f"/lab/tree/{server['prefix']}/00_start_here.ipynb?token={server['token']}")
    listed = {item["name"] for item in _api(server, "")["content"]}
    assert {"data", server["prefix"]} <= listed and not {"notebooks", "helpers", "tests"} & listed
    assert _api(server, "data/mue.csv")["content"].startswith("code,ncci_setting,mue")


def test_jupyterlab_static_face_then_live_quiz_that_saves_progress(server, browser):
    page = _page(browser)
    page.goto(server["url"])
    static = page.locator(".quiz-static").first
    static.wait_for(state="attached")
    static.scroll_into_view_if_needed()  # JupyterLab only renders cells near the viewport
    expect(static).to_contain_text("Show answer")
    static.locator("summary").click()
    key = quiz.load_bank("00_start_here").question("what-64612-is").answer_text()
    expect(static).to_contain_text(f"Answer: {key}")
    _shot(page, "quiz-without-kernel.png", ".quiz-static")

    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    _command(page, "notebook:run-all-cells")
    quizzes = page.locator(".jp-OutputArea .quiz")
    quizzes.nth(4).wait_for(state="attached")
    assert quizzes.count() == 5

    wrong = _answer(quizzes.nth(0), "option", "Phenol or alcohol")
    assert "Not quite." in wrong and "neurolytic destruction code" in wrong and "Answer:" not in wrong
    _retry(quizzes.nth(0))
    right = _answer(quizzes.nth(0), "option", "Botulinum toxin injected")
    assert "Correct." in right and "Sources:" in right
    assert "Correct." in _answer(quizzes.nth(2), "input", "1 unit", enter=True)  # Enter checks, as Check does
    code_feedback = _answer(quizzes.nth(3), "input", "64612 lt")
    assert "Not quite." in code_feedback and "LT means the left side" in code_feedback
    _shot(page, "quiz-in-jupyterlab.png", ".jp-OutputArea .quiz")

    with sqlite3.connect(server["database"]) as connection:
        rows = connection.execute("SELECT question, correct, attempt FROM attempts ORDER BY id").fetchall()
    assert rows == [("what-64612-is", 0, 1), ("what-64612-is", 1, 2), ("mue-lookup", 1, 1), ("right-hfs-line", 0, 1)]
    expect(page.get_by_text("official Jupyter news")).to_have_count(0)  # the course's settings turn the prompt off
    _command(page, "docmanager:save")
    saved = server["workspace"] / "00_start_here.ipynb"
    deadline = time.time() + 30
    while saved.read_bytes() == (paths.notebooks_dir() / "00_start_here.ipynb").read_bytes() and time.time() < deadline:
        time.sleep(0.5)
    assert saved.read_bytes() != (paths.notebooks_dir() / "00_start_here.ipynb").read_bytes()  # the learner's copy

    page.reload()  # coming back: the kernel is still alive; running again shows the saved answers
    expect(page.locator(".jp-NotebookPanel-toolbar .jp-KernelName").first).not_to_have_text("No Kernel")
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    quizzes = page.locator(".jp-OutputArea .quiz")
    first = quizzes.nth(0).locator(".quiz-feedback [role=alert]")
    for _ in range(3):  # a command sent while the reloaded notebook is still settling can be dropped: resend it
        _command(page, "notebook:run-all-cells")
        try:
            expect(first).to_contain_text("Your last answer, saved", timeout=20_000)
            break
        except AssertionError:
            continue
    expect(first).to_contain_text("Your last answer, saved")
    expect(first).to_contain_text("Correct.")
    expect(quizzes.nth(3).locator(".quiz-input input")).to_have_value("64612-LT")  # as the course read it
    expect(quizzes.nth(3).locator(".quiz-feedback")).to_contain_text("Not quite.")
    _shot(page, "quiz-after-coming-back.png", ".jp-OutputArea .quiz")
    page.close()


def test_voila_renders_and_runs_the_quizzes(server, browser):
    page = _page(browser)
    page.goto(f"{server['base']}/voila/render/{server['prefix']}/00_start_here.ipynb?token={server['token']}")
    quizzes = page.locator(".quiz")
    quizzes.nth(4).wait_for(state="attached")
    expect(page.locator("body")).not_to_contain_text("quiz.load_bank")  # code-free: no code is shown
    assert "Correct." in _answer(quizzes.nth(0), "option", "Botulinum toxin injected")
    units = _answer(quizzes.nth(3), "input", "64612-RT x 2")
    assert "Not quite." in units and "2 units" in units
    _retry(quizzes.nth(3))
    assert "Correct." in _answer(quizzes.nth(3), "input", "64612-RT x 1")
    _shot(page, "quiz-in-voila.png", ".quiz")
    page.close()


def test_voila_lesson_tools_respond_to_the_learner(server, browser):
    """The drug calculator in lesson 03 recomputes in a real browser when the learner changes the dose."""
    page = _page(browser)
    page.goto(f"{server['base']}/voila/render/{server['prefix']}/03_drug_lines_and_edits.ipynb?token={server['token']}")
    tools = page.locator(".tool")
    tools.nth(0).wait_for(state="attached")
    calculator = tools.nth(0)
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
    _shot(page, "drug-calculator-in-voila.png", ".tool >> nth=0")
    page.close()


def test_voila_denial_detective_keeps_the_answer_until_asked(server, browser):
    """Lesson 08's practice in a real browser: the cause stays hidden until the button, and hides for a new case."""
    page = _page(browser)
    page.goto(f"{server['base']}/voila/render/{server['prefix']}/08_when_claims_go_wrong.ipynb?token={server['token']}")
    detective = page.locator(".tool").filter(has=page.locator(".detective-reveal"))
    detective.wait_for(state="attached")
    detective.scroll_into_view_if_needed()
    output = detective.locator(".tool-output")
    expect(output).to_contain_text("CO-96")
    expect(output).not_to_contain_text("Cause.")
    detective.locator(".detective-reveal").click()
    expect(output).to_contain_text("Cause.")
    _shot(page, "denial-detective-in-voila.png", ".tool:has(.detective-reveal)")
    detective.locator("select").first.select_option(index=3)
    expect(output).to_contain_text("CO-197")
    expect(output).not_to_contain_text("Cause.")
    lookup = page.locator(".tool").filter(has=page.locator(".remittance-codes"))
    box = lookup.locator("input")
    box.fill("PR-50 nonsense")
    box.press("Enter")
    expect(lookup.locator(".tool-output [role=alert]")).to_contain_text("NONSENSE")
    page.close()


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory):
    """Start Voilà as `make voila` does: every notebook, code-free."""
    port, root = free_port(), tmp_path_factory.mktemp("voila")
    env = {**os.environ, "CPT64612_PROGRESS_DB": str(root / "progress.sqlite3"), "CPT64612_LEARNER": "voila-test",
           "CPT64612_WORKSPACE": str(root / "workspace")}
    process = subprocess.Popen([sys.executable, "-m", "helpers.launch", "voila", "--no-browser", f"--port={port}"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=paths.repo_root(),
                               env=env)
    lines = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/voila/tree", process, lines)
        yield {"base": base, "token": _printed_token(lines)}
    finally:
        stop(process)


def _printed_token(lines: list[str], seconds: int = 30) -> str:
    """Return the token in the first address the server printed, waiting for it to be printed."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        for line in list(lines):
            if found := re.search(r"\?token=(\w+)", line):
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"Voila printed no address with a token: {''.join(lines)[-2000:]}")


def _status(url: str) -> int:
    """Return the HTTP status of a GET, redirects not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def test_servers_listen_on_this_computer_only_and_ask_for_their_token(server, voila_server):
    for base, token, page in ((server["base"], server["token"], "/api/contents/notebooks"),
                              (voila_server["base"], voila_server["token"], "/voila/render/00_start_here.ipynb")):
        assert base.startswith("http://127.0.0.1:")
        assert _status(f"{base}{page}") in (302, 403), page  # without the token: sent to log in, or refused
        assert _status(f"{base}{page}?token={token}") == 200, page
    for base in (server["base"], voila_server["base"]):
        assert _listening_on(int(base.rsplit(":", 1)[1])) == {"127.0.0.1"}


def _listening_on(port: int) -> set[str]:
    """Return the addresses a TCP port is listening on, from the kernel's tables (/proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: listening
                found.add(".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)) if len(address) == 8
                          else "::" if set(address) == {"0"} else address)
    return found


def test_make_voila_serves_every_notebook_and_links_them(voila_server, browser):
    page = _page(browser)
    page.set_viewport_size({"width": 1280, "height": 1800})  # the file list renders only the rows in view
    page.goto(f"{voila_server['base']}/voila/tree?token={voila_server['token']}")
    for path in paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb"):
        expect(page.get_by_text(path.name)).to_be_visible()
    page.goto(f"{voila_server['base']}/voila/render/00_start_here.ipynb")
    page.locator(".quiz").first.wait_for(state="attached")
    expect(page.locator("body")).not_to_contain_text("Shift+Enter**")  # instructions fit the view
    page.get_by_role("link", name="01 · The procedure").last.click()  # the "Next:" link at the foot of the page
    page.wait_for_url("**/voila/render/01_procedure.ipynb")
    expect(page.locator("h1").first).to_contain_text("01 · The procedure")
    page.close()


def test_dollar_amounts_read_as_written_not_as_mathematics(voila_server, browser):
    page = _page(browser)
    page.goto(f"{voila_server['base']}/voila/render/04_medicare_payment.ipynb?token={voila_server['token']}")
    steps = page.locator("div[role=status] ol").first
    steps.wait_for(state="attached")
    page.wait_for_timeout(2000)  # give a math typesetter time to run, had it been going to
    expect(steps).to_contain_text("(for clinicians who are not qualifying APM participants")
    assert page.locator(".tex2jax_ignore mjx-container, .tex2jax_ignore .MathJax").count() == 0
    page.close()


ACCESSIBLE_IN_VOILA = ("00_start_here", "03_drug_lines_and_edits", "05_payment_rules", "08_when_claims_go_wrong",
                       "09_case_studies", "10_final_assessment")
"""Quizzes of every type, the progress panel, the name form, and every lesson tool (calculators, the denial
detective, the claim builder, the assessment's score)."""


def test_voila_pages_quizzes_tools_and_progress_panel_pass_an_accessibility_check(voila_server, browser):
    found = {}
    for name in ACCESSIBLE_IN_VOILA:
        page = _page(browser)  # a page each: closing it stops its kernel
        page.goto(f"{voila_server['base']}/voila/render/{name}.ipynb?token={voila_server['token']}")
        page.locator("tr[id^=ref-]").first.wait_for(state="attached", timeout=180_000)  # the references: near the end
        page.wait_for_timeout(1500)  # the last widgets settle
        found[name] = axe_serious(page)
        page.close()
    print(f"\ncount: accessibility: {len(found)} Voila pages checked with axe-core, "
          f"{sum(map(len, found.values()))} serious or critical violations")
    assert {name: problems for name, problems in found.items() if problems} == {}


def _by_keyboard(page, quizzes) -> list[str]:
    """Answer the start notebook's five quizzes (one of each kind) with Tab, arrow keys, Space and Enter only.

    Return the feedback of each. The pointer is never used: focus starts on a quiz's first control, as after
    tabbing to it.
    """
    check = ".quiz-check"
    single, several, number, code, order = (quizzes.nth(n) for n in range(5))
    single.scroll_into_view_if_needed()
    single.locator("input[type=radio]").first.focus()
    page.keyboard.press("Tab")  # each option is a tab stop (in JupyterLab the arrow keys move between cells)
    page.keyboard.press("Space")
    expect(single.locator("input[type=radio]").nth(1)).to_be_checked()
    _tab_to(page, single.locator(check))
    page.keyboard.press("Enter")
    feedback = [_feedback(single)]
    _tab_to(page, single.locator(".quiz-retry"))
    page.keyboard.press("Space")  # try again
    expect(single.locator(check)).to_be_visible()
    several.locator("input[type=checkbox]").first.focus()
    page.keyboard.press("Space")
    expect(several.locator("input[type=checkbox]").first).to_be_checked()
    _tab_to(page, several.locator(check))
    page.keyboard.press("Space")
    feedback.append(_feedback(several))
    for box, typed in ((number, "1 unit"), (code, "64612-RT x 1")):
        box.locator(".quiz-input input").focus()
        page.keyboard.press("Control+A")  # a saved answer may be in the box: type over it
        page.keyboard.type(typed)
        page.keyboard.press("Enter")  # Enter in the box checks, as the button does
        feedback.append(_feedback(box))
    order.locator(".quiz-move-down").first.focus()
    first_step = order.locator(".widget-html").first
    before = first_step.inner_text()
    page.keyboard.press("Enter")  # the first step moves down; the focus stays on the button
    expect(first_step).not_to_have_text(before)
    expect(order.locator(".quiz-move-down").first).to_be_focused()
    _tab_to(page, order.locator(check))
    page.keyboard.press("Enter")
    feedback.append(_feedback(order))
    return feedback


def _feedback(quiz) -> str:
    """Return a quiz's feedback once it is announced (role=alert)."""
    announced = quiz.locator(".quiz-feedback [role=alert]")
    expect(announced).to_contain_text(".")
    return announced.inner_text()


def test_each_kind_of_quiz_works_with_the_keyboard_alone_in_voila(voila_server, browser):
    page = _page(browser)
    page.goto(f"{voila_server['base']}/voila/render/00_start_here.ipynb?token={voila_server['token']}")
    quizzes = page.locator(".quiz")
    quizzes.nth(4).wait_for(state="attached")
    feedback = _by_keyboard(page, quizzes)
    assert len(feedback) == 5 and "Correct." in feedback[2] and "Correct." in feedback[3]
    page.close()


def test_each_kind_of_quiz_works_with_the_keyboard_alone_in_jupyterlab(server, browser):
    page = _page(browser)
    page.goto(server["url"])
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    _command(page, "notebook:run-all-cells")
    quizzes = page.locator(".jp-OutputArea .quiz")
    quizzes.nth(4).wait_for(state="attached")
    for number in range(5):  # answers saved by an earlier test come back: start each quiz afresh
        retry = quizzes.nth(number).locator(".quiz-retry")
        if retry.is_visible():
            retry.focus()
            page.keyboard.press("Enter")
    feedback = _by_keyboard(page, quizzes)
    assert len(feedback) == 5 and "Correct." in feedback[2] and "Correct." in feedback[3]
    page.close()


def _tab_to(page, target, presses: int = 30) -> None:
    """Press Tab until ``target`` has the focus (failing if it never does)."""
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def test_quiz_feedback_is_readable_in_jupyterlab_dark_theme(server, browser):
    page = _page(browser)
    page.goto(server["url"].replace("00_start_here", "02_coding_the_procedure"))
    page.wait_for_function("() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget; "
                           "return !!(w && w.context && w.context.path.endsWith('02_coding_the_procedure.ipynb')); }")
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
    quizzes = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea .quiz")  # tabs restored stay hidden
    for _ in range(3):  # a command sent while the notebook is still settling can be dropped: resend it
        _command(page, "notebook:run-all-cells")
        try:
            quizzes.nth(2).wait_for(state="attached", timeout=30_000)
            break
        except PlaywrightTimeout:
            continue
    quizzes.nth(2).wait_for(state="attached")
    _answer(quizzes.nth(0), "option", "64612")
    found = axe_serious(page, context={"include": [[".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea .quiz"]]})
    _shot(page, "quiz-dark-theme.png", ".jp-OutputArea .quiz")
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
    page.close()
    assert found == []


def test_using_the_course_changed_no_course_file(server):
    """Run last: after running, answering and saving in JupyterLab and Voilà, notebooks/ and data/ are as they were."""
    assert _course_files() == server["before"]
