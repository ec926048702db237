"""Tests of the class set-up: the instructor dashboard (in every run) and a real JupyterHub (``make test-hub`` only).

``make test`` collects ``tests/hub/test_dashboard.py`` like any test module. The hub tests (``test_hub*.py``)
start a JupyterHub, its proxy, learners' servers and kernels, and drive Chromium: they are collected only when
``CPT64612_HUB_TESTS=1``, which ``make test-hub`` sets after installing JupyterHub and the proxy.
"""

import os

import pytest

HUB_TESTS_VARIABLE = "CPT64612_HUB_TESTS"
MEASURED = pytest.StashKey[dict]()

collect_ignore_glob = [] if os.environ.get(HUB_TESTS_VARIABLE) == "1" else ["test_hub*.py"]


@pytest.fixture(scope="session")
def measured(request):
    """A dict the hub tests record their timings and memory in; printed at the end of the run."""
    return request.config.stash.setdefault(MEASURED, {})


def pytest_terminal_summary(terminalreporter, config):
    """Print what the hub tests measured (start, spawn, memory), if they ran."""
    found = config.stash.get(MEASURED, {})
    if found:
        terminalreporter.section("JupyterHub measurements")
        for name, value in found.items():
            terminalreporter.write_line(f"{name}: {value}")
