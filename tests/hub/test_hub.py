"""A real JupyterHub with the course's config, three learners in Chromium, and the instructor's dashboard.

The hub runs ``deploy/jupyterhub/jupyterhub_config.py`` (through ``jupyterhub_test_config.py``, which adds a
REST token for the test, a marker variable on every process it starts, and ``window.jupyterapp``) on 127.0.0.1
with free ports, the simple spawner, and its state and the learners' homes in a temporary folder. Three learners
log in through the form at once, land in JupyterLab on their own copy of the start notebook, wait for the kernel,
Run All, answer a quiz and export their answers. Each learner's answers must be in their own progress file only,
under their hub name; the dashboard must read the three exports. Everything started is stopped at the end, on
failure too, and ``ps`` must then show none of it. Run with ``make test-hub`` (CPT64612_HUB_TESTS=1).
"""

import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect

from helpers import dashboard, paths, quiz

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONFIG = Path(__file__).with_name("jupyterhub_test_config.py")
MARKER = "CPT64612_HUB_TEST_RUN"
LEARNERS = ("learner1", "learner2", "learner3")
SHOTS = os.environ.get("CPT64612_HUB_SHOTS")  # a folder to keep screenshots and measurements in
KERNEL_READY = """() => {
    const app = window.jupyterapp; const widget = app && app.shell.currentWidget;
    const session = widget && widget.sessionContext && widget.sessionContext.session;
    const kernel = session && session.kernel;
    return !!(widget && widget.context && widget.context.isReady && kernel && kernel.status === 'idle'
              && kernel.connectionStatus === 'connected');
}"""
NOTEBOOK_STATE = """() => {
    const widget = window.jupyterapp.shell.currentWidget; const cells = widget.content.model.cells;
    const counts = [], errors = [];
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code') continue;
        counts.push(cell.executionCount);
        for (let j = 0; j < cell.outputs.length; j++) {
            const output = cell.outputs.get(j).toJSON();
            if (output.output_type === 'error') errors.push(output.ename + ': ' + output.evalue);
        }
    }
    return {counts, errors, kernel: widget.sessionContext.session.kernel.status};
}"""


@dataclass
class Hub:
    """A running hub: its public address, the class password, the REST token, its folders and process."""

    base: str
    password: str
    token: str
    root: Path
    homes: Path
    ports: dict
    process: subprocess.Popen
    run: str
    start_seconds: float = 0.0
    stop_seconds: float = 0.0

    def api(self, path: str, method: str = "GET", body=None):
        """Call the hub's REST API (through the proxy) with the test's token; return (status, JSON or None)."""
        request = urllib.request.Request(f"{self.base}/hub/api/{path}", method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                text = reply.read()
                return reply.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, None

    def server(self, user: str, path: str, method: str = "GET"):
        """Call a learner's single-user server API with the test's token; return (status, JSON or None)."""
        request = urllib.request.Request(f"{self.base}/user/{user}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"},
                                         data=b"{}" if method == "POST" else None)
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, None

    def log(self) -> str:
        return (self.root / "hub.log").read_text(errors="replace")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def _marked(run: str) -> list[psutil.Process]:
    """Return every live process carrying this run's marker (hub, proxy, culler, learners' servers and kernels)."""
    found = []
    for process in psutil.process_iter(["pid"]):
        try:
            if process.environ().get(MARKER) == run and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def _ps_lines(hub_root: Path, ports) -> list[str]:
    """Return the `ps` lines that name this hub's folder or ports (what is left running of it)."""
    listing = subprocess.run(["ps", "-eo", "pid,pgid,stat,args"], capture_output=True, text=True, check=True).stdout
    keys = [str(hub_root), *(f"--port {port}" for port in ports), *(f":{port}" for port in ports)]
    rows = [line.split(None, 3) for line in listing.splitlines()[1:]]
    return [" ".join(row) for row in rows if len(row) == 4 and not row[2].startswith("Z")  # zombies hold nothing
            and any(key in row[3] for key in keys) and not row[3].startswith("ps -eo")]


def _stop(process: subprocess.Popen, run: str, seconds: int = 60) -> list[str]:
    """Stop the hub (it stops its proxy, services, servers and kernels); kill whatever is left; say what was left."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    left = _marked(run)
    described = []
    for leftover in left:
        with contextlib.suppress(psutil.NoSuchProcess):
            described.append(f"{leftover.pid} {' '.join(leftover.cmdline())}")
            leftover.kill()
    psutil.wait_procs(left, timeout=10)
    return described


def _wait_until_up(hub: Hub, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early:\n{hub.log()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{hub.base}/hub/api/", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:  # not listening yet, or the proxy has no route to the hub yet
            pass
        time.sleep(0.1)
    raise RuntimeError(f"JupyterHub did not answer in {seconds} s:\n{hub.log()[-4000:]}")


@contextlib.contextmanager
def running_hub(root: Path, users, **settings):
    """Start the course's hub in ``root`` for ``users``; stop everything it started on the way out, and check `ps`."""
    public, api, proxy_api = _free_ports(3)
    run, token, password = secrets.token_hex(8), secrets.token_hex(24), f"class-{secrets.token_hex(6)}"
    env = {name: value for name, value in os.environ.items() if not name.startswith("CPT64612_")}  # no test store
    env.update({"CPT64612_HUB_SPAWNER": "simple", "CPT64612_HUB_STATE": str(root / "state"),
                "CPT64612_HUB_HOMES": str(root / "homes"), "CPT64612_HUB_PASSWORD": password,
                "CPT64612_HUB_USERS": ",".join(users), "CPT64612_HUB_PORT": str(public),
                "CPT64612_HUB_API_PORT": str(api), "CPT64612_HUB_PROXY_API_PORT": str(proxy_api),
                "CPT64612_HUB_DRIVER_TOKEN": token, MARKER: run, **settings})
    started = time.monotonic()
    with open(root / "hub.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=root, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # no terminal: a server stops on the hub's signal
    hub = Hub(f"http://127.0.0.1:{public}", password, token, root, root / "homes",
              {"public": public, "hub api": api, "proxy api": proxy_api}, process, run)
    try:
        _wait_until_up(hub)
        hub.start_seconds = round(time.monotonic() - started, 1)
        yield hub
    finally:
        stop_started = time.monotonic()
        left = _stop(process, run)
        hub.stop_seconds = round(time.monotonic() - stop_started, 1)
        shown = _ps_lines(root, (public, api, proxy_api))
        assert left == [] and shown == [], f"left running after the hub stopped: {left} / ps: {shown}"


# ---- three learners in a browser ---------------------------------------------------------------

@pytest.fixture(scope="module")
def hub(tmp_path_factory, measured):
    with running_hub(tmp_path_factory.mktemp("hub"), LEARNERS) as running:
        measured["hub start, process start to /hub/api/ answering through the proxy (s)"] = running.start_seconds
        yield running
    measured["hub stop, SIGTERM to every process gone (s)"] = running.stop_seconds


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


def _answer(box, kind: str, value: str) -> str:
    """Answer one live quiz box and return its feedback text."""
    box.scroll_into_view_if_needed()
    if box.locator(".quiz-retry").is_visible():
        box.locator(".quiz-retry").click()
    if kind == "option":
        box.locator(".quiz-options label", has_text=value).first.click()
    else:
        box.locator(".quiz-input input").fill(value)
    box.locator(".quiz-check").click()
    feedback = box.locator(".quiz-feedback [role=alert]")
    expect(feedback).to_contain_text(".")
    return feedback.inner_text()


def _log_in(browser, hub: Hub, name: str, landed: dict):
    """Open a fresh browser context on the hub's login form and submit it; note when JupyterLab's URL is reached."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{hub.base}/hub/login")
    _shot(page, f"{name}-login.png")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    clicked = time.monotonic()

    def arrived(frame):
        if frame == page.main_frame and _lab_url(name).search(frame.url) and name not in landed:
            landed[name] = round(time.monotonic() - clicked, 1)

    page.on("framenavigated", arrived)
    page.click("#login_submit", no_wait_after=True)
    return page


def _lab_url(name: str) -> re.Pattern:
    return re.compile(rf"/user/{name}/lab/tree/workspace/00_start_here\.ipynb")


def _run_all(page) -> dict:
    """Run every cell once the kernel is really connected (pitfall 7), and wait until the last cell has run."""
    page.wait_for_function(KERNEL_READY, timeout=120_000)
    page.evaluate("() => { void window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.locator(".jp-OutputArea .progress-panel").first.wait_for(state="attached", timeout=120_000)
    page.wait_for_function(f"() => {{ const s = ({NOTEBOOK_STATE})(); "
                           "return s.kernel === 'idle' && s.counts.every(c => c !== null); }", timeout=120_000)
    return page.evaluate(NOTEBOOK_STATE)


# What each learner answers in the start notebook's quiz (index of the quiz box, kind, answer, right?).
ANSWERS = {
    "learner1": [(0, "option", "Botulinum toxin injected", True)],
    "learner2": [(0, "option", "Phenol or alcohol", False), (0, "option", "Botulinum toxin injected", True)],
    "learner3": [(2, "input", "1 unit", True), (3, "input", "64612 lt", False)],
}


def _store(hub: Hub, name: str) -> Path:
    return hub.homes / name / ".local" / "share" / "cpt64612-course" / "progress.sqlite3"


def test_a_wrong_password_is_refused(hub):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{hub.base}/hub/login", timeout=30) as page:
        assert page.status == 200
    xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
    form = urllib.parse.urlencode({"username": "learner1", "password": "not-the-class-password", "_xsrf": xsrf})
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(f"{hub.base}/hub/login", data=form.encode(), timeout=30)
    assert refused.value.code == 403
    status, user = hub.api("users/learner1")
    assert status == 200 and user["servers"] == {}  # nothing was started for a refused login


def test_three_learners_work_at_once_and_keep_their_own_progress(hub, browser, measured):
    started = time.monotonic()
    landed = {}
    pages = {name: _log_in(browser, hub, name, landed) for name in LEARNERS}  # the class logs in together
    for name, page in pages.items():
        page.wait_for_url(_lab_url(name), timeout=120_000)
    for name, page in pages.items():
        state = _run_all(page)
        assert state["errors"] == [], (name, state["errors"])
        assert sorted(state["counts"]) == list(range(1, len(state["counts"]) + 1)), state["counts"]  # all ran, once
        expect(page.get_by_text("official Jupyter news")).to_have_count(0)  # the course's Lab settings are in place
        _shot(page, f"{name}-after-run-all.png")
    kernel_ready = round(time.monotonic() - started, 1)
    for name, page in pages.items():
        boxes = page.locator(".jp-OutputArea .quiz")
        assert boxes.count() == len(quiz.load_bank("00_start_here").questions)
        for index, kind, value, right in ANSWERS[name]:
            feedback = _answer(boxes.nth(index), kind, value)
            assert ("Correct." in feedback) == right, (name, value, feedback)
        boxes.nth(ANSWERS[name][-1][0]).scroll_into_view_if_needed()
        _shot(page, f"{name}-quiz.png")
    measured["login to JupyterLab on the start notebook, 3 learners at once (s)"] = landed
    measured["login to every notebook run (Run All done) for all 3 (s)"] = kernel_ready

    for name in LEARNERS:  # each answer is in that learner's own file, under their hub name, and nowhere else
        with sqlite3.connect(_store(hub, name)) as connection:
            rows = connection.execute("SELECT learner, notebook, correct, attempt FROM attempts ORDER BY id").fetchall()
        assert rows == _expected_rows(name), (name, rows)
    stores = sorted(path.relative_to(hub.homes).as_posix() for path in hub.homes.rglob("progress.sqlite3"))
    assert stores == [f"{name}/.local/share/cpt64612-course/progress.sqlite3" for name in LEARNERS]

    for name, page in pages.items():  # each learner exports from the progress panel
        panel = page.locator(".jp-OutputArea .progress-panel").first
        panel.scroll_into_view_if_needed()
        panel.locator(".progress-export").click()
        expect(panel.locator(":scope > .progress-message")).to_contain_text("Saved your answers to")
        _shot(page, f"{name}-exported.png")
    _measure_memory(hub, measured)
    for page in pages.values():
        page.context.close()

    collected = hub.root / "class-exports"  # what the instructor does: copy every learner's export into one folder
    collected.mkdir()
    for name in LEARNERS:
        exported = list((hub.homes / name / "workspace" / "exports").glob(f"my-progress-{name}-*.csv"))
        assert len(exported) == 1, (name, exported)
        shutil.copy(exported[0], collected)
    _check_dashboard(collected)


def _expected_rows(name: str) -> list[tuple]:
    """Return the rows a learner's answers make: (learner, notebook, correct, attempt per question)."""
    attempts, rows = {}, []
    for index, _, _, right in ANSWERS[name]:
        attempts[index] = attempts.get(index, 0) + 1
        rows.append((name, "00_start_here", int(right), attempts[index]))
    return rows


def _check_dashboard(folder: Path) -> None:
    """The instructor's dashboard reads the three exports: learners, right first time, wrong answers, completion."""
    board = dashboard.Board(folder)
    assert board.problem is None, board.problem
    assert sorted(board.exports.answers["learner"].unique()) == list(LEARNERS)
    stats = board.exports.questions.set_index("question")
    assert stats.loc["what-64612-is", "learners"] == 2 and stats.loc["what-64612-is", "right_first_time"] == 0.5
    assert "Phenol or alcohol" in stats.loc["what-64612-is", "common_wrong_answers"]
    assert stats.loc["mue-lookup", "right_first_time"] == 1.0
    done = dashboard.completion(board.exports.answers, dashboard.bank_questions(["00_start_here"]))
    assert done["answered"].tolist() == [1, 1, 2] and not done["finished"].any()
    assert "learner3" in board.completion()._repr_mimebundle_()["text/plain"]


def _memory(process: psutil.Process) -> tuple[float, float]:
    info = process.memory_full_info()
    return info.rss / 2**20, info.uss / 2**20


def _measure_memory(hub: Hub, measured: dict) -> None:
    """Record each learner's server and kernel memory (RSS and USS, MiB); each learner must have one of each."""
    per_learner = {}
    for name in LEARNERS:
        mine = [process for process in _marked(hub.run) if process.environ().get("JUPYTERHUB_USER") == name]
        servers = [process for process in mine if "jupyterhub.singleuser" in " ".join(process.cmdline())]
        kernels = [process for process in mine if "ipykernel_launcher" in " ".join(process.cmdline())]
        assert len(servers) == 1 and len(kernels) == 1, (name, [process.cmdline() for process in mine])
        assert kernels[0].cwd() == str(hub.homes / name / "workspace")  # the learner's own copy
        assert kernels[0].environ()["CPT64612_CACHE_DIR"] == str(hub.root / "state" / "table-cache")
        (server_rss, server_uss), (kernel_rss, kernel_uss) = _memory(servers[0]), _memory(kernels[0])
        per_learner[name] = {"server": round(server_rss), "kernel": round(kernel_rss),
                             "total_rss": round(server_rss + kernel_rss), "total_uss": round(server_uss + kernel_uss),
                             "cpu_s": round(sum(sum(process.cpu_times()[:2]) for process in (servers[0], kernels[0])), 1)}
    measured["per learner after Run All of 00 and an export: RSS MiB (server, kernel, total), USS MiB, CPU s"] = \
        per_learner
    cached = list((hub.root / "state" / "table-cache").glob("tables-*.pickle"))  # the kernels read validated tables
    assert cached and all(path.stat().st_mode & 0o004 for path in cached)  # every learner may read them
    hub_process = psutil.Process(hub.process.pid)
    proxy = [process for process in _marked(hub.run) if "configurable-http-proxy" in " ".join(process.cmdline())]
    culler = [process for process in _marked(hub.run) if "jupyterhub_idle_culler" in " ".join(process.cmdline())]
    assert len(proxy) == 1 and len(culler) == 1
    measured["hub / proxy / idle culler RSS, MiB"] = [round(_memory(process)[0]) for process in
                                                      (hub_process, proxy[0], culler[0])]
    if SHOTS:
        (Path(SHOTS) / "measurements.json").write_text(json.dumps(measured, indent=2))


def _listening(process: psutil.Process) -> set[str]:
    return {connection.laddr.ip for connection in process.net_connections(kind="inet")
            if connection.status == psutil.CONN_LISTEN}


def test_the_hub_and_every_learner_server_listen_on_this_computer_only(hub):
    everything = _marked(hub.run)
    listening = {" ".join(process.cmdline()[:3]): _listening(process) for process in everything}
    addresses = set().union(*listening.values())
    assert addresses == {"127.0.0.1"}, listening
    servers = [process for process in everything if "jupyterhub.singleuser" in " ".join(process.cmdline())]
    assert len(servers) == len(LEARNERS)  # the three servers are still up (stopped by the hub at teardown)


# ---- culling ---------------------------------------------------------------------------------------

def test_idle_kernels_and_idle_servers_are_culled(tmp_path, measured):
    """With short timeouts: a kernel nobody uses is shut down by its server, then the idle server by the culler."""
    settings = {"CPT64612_HUB_KERNEL_IDLE": "6", "CPT64612_HUB_KERNEL_CULL_EVERY": "2",
                "CPT64612_HUB_SERVER_IDLE": "30", "CPT64612_HUB_SERVER_CULL_EVERY": "5"}
    with running_hub(tmp_path, ["idle1"], **settings) as hub:
        asked = time.monotonic()
        status, _ = hub.api("users/idle1/server", method="POST")
        assert status in (201, 202), hub.log()[-3000:]
        _wait(lambda: hub.api("users/idle1")[1]["servers"].get("", {}).get("ready"), 120, "the server to be ready")
        measured["spawn over REST, POST to ready, one learner (s)"] = round(time.monotonic() - asked, 1)
        status, kernel = hub.server("idle1", "kernels", method="POST")
        assert status == 201, status
        _wait(lambda: hub.server("idle1", "kernels")[1] == [], 60, "the idle kernel to be culled")
        kernels_left = [process for process in _marked(hub.run) if "ipykernel" in " ".join(process.cmdline())]
        assert kernels_left == []
        _wait(lambda: hub.api("users/idle1")[1]["servers"] == {}, 120, "the idle server to be culled")
        assert "DELETE /hub/api/users/idle1/server (idle-culler@" in hub.log()  # the culler stopped it
        _wait(lambda: not [process for process in _marked(hub.run) if "singleuser" in " ".join(process.cmdline())],
              30, "the culled server's process to end")


def _wait(check, seconds: int, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_the_course_config_will_not_start_without_a_class_password(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("CPT64612_")}
    public, api, proxy_api = _free_ports(3)
    env.update({"CPT64612_HUB_STATE": str(tmp_path), "CPT64612_HUB_PORT": str(public),
                "CPT64612_HUB_API_PORT": str(api), "CPT64612_HUB_PROXY_API_PORT": str(proxy_api)})
    result = subprocess.run([sys.executable, "-m", "jupyterhub", "-f",
                             str(paths.repo_root() / "deploy" / "jupyterhub" / "jupyterhub_config.py")],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode != 0
    assert "Set CPT64612_HUB_PASSWORD to the class password" in result.stdout + result.stderr
