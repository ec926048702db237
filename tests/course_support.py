"""What several test modules share that is not a fixture: published figures, copies of the course, axe-core, and
starting and stopping the servers the browser tests use.

Imported as ``course_support`` (pyproject's pytest ``pythonpath`` puts tests/ on the path); a conftest module is
never imported by name, as there is more than one.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from helpers import paths


def published(date_of_service: str, rate: str, apm_status: str = "non-QP", code: str = "64612"):
    """Return a published national fee schedule amount from data/published_figures.csv (the one reviewed place)."""
    from decimal import Decimal

    from helpers import data

    rows = data.load("published_figures")
    status = apm_status if apm_status in set(rows["apm_status"]) else "all"
    found = rows[(rows["code"] == code) & (rows["date_of_service"].astype(str) == date_of_service)
                 & (rows["rate"] == rate) & rows["apm_status"].isin([status, "all"])]
    assert len(found) == 1, f"data/published_figures.csv has no single row for {code} {rate} {date_of_service}"
    return Decimal(str(found.iloc[0]["amount"]))


def axe_serious(page, context=None) -> list[str]:
    """Return axe-core's serious and critical accessibility violations on a page (or within ``context``)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, context=context).response["violations"]
    return [f"{rule['id']} ({rule['impact']}): {node['html'][:160]}" for rule in found
            if rule["impact"] in ("serious", "critical") for node in rule["nodes"]]


ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")
AT_THE_TOP = shutil.ignore_patterns(".venv", ".git", "build", "dist", "workspace*", ".cache")


def _ignored(folder: str, names: list[str]) -> set[str]:
    """Return what a copy of the course leaves out: caches anywhere; environments, builds and workspaces at the top."""
    top = Path(folder).resolve() == paths.repo_root().resolve()
    return set(ANYWHERE(folder, names)) | (set(AT_THE_TOP(folder, names)) if top else set())


def copy_repository(target: Path) -> Path:
    """Copy the course (no virtual environment, git history, build or workspaces) to ``target``; return it."""
    shutil.copytree(paths.repo_root(), target, ignore=_ignored)
    return target


def in_copy(copy: Path) -> dict:
    """Return the environment that runs Python on a copy's own helpers (ahead of the checkout's editable install)."""
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop(paths.DATA_DIR_VARIABLE, None)
    return env


def free_port() -> int:
    """Return a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process, lines: list[str], seconds: int = 90) -> None:
    """Wait until a server answers at ``url``; fail with its output if it exits or does not start."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server exited early: {''.join(lines)[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"The server did not start in time: {''.join(lines)[-3000:]}")


def stop(process) -> None:
    """Stop a server a test started: ask it to end, and kill it if it has not within 20 seconds."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)

