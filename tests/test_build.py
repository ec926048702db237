"""Regeneration: the build reproduces the committed notebooks byte for byte, and nbval catches stale ones."""

import shutil
import subprocess
import sys

import nbformat
import pytest

from helpers import build, course, paths

pytestmark = pytest.mark.slow


def test_build_reproduces_every_committed_notebook_byte_for_byte(tmp_path):
    for path in course.notebook_paths():
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        changed = build.refresh(copy)
        assert not changed, f"{path.name} is stale or not deterministic: run `python -m helpers.build --refresh`"
        assert copy.read_bytes() == path.read_bytes()


def test_build_twice_is_byte_identical_even_from_cleared_outputs(tmp_path):
    """A small lesson-like notebook (a table, a quiz, a live tool), executed from scratch twice, stores the same bytes."""
    cells = [nbformat.v4.new_code_cell(source) for source in (
        "from helpers import data, show\nfrom helpers.lesson import Lesson\nfrom helpers.tools import drug_calculator\n"
        "lesson = Lesson('00_start_here')",
        "show.table(data.load('mue').head(3))", "lesson.quiz('warm-up')", "drug_calculator.form()")]
    path = tmp_path / "99_probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert build.refresh(path) is True
    first = path.read_bytes()
    assert build.refresh(path) is False and path.read_bytes() == first
    assert b"widget-view" not in first and b"execution\"" not in first


def test_build_refuses_broken_data_and_changes_nothing(data_copy, edit):
    edit(data_copy / "mue.csv", "cms-ncci-mue-2026q2", "nope")
    before = {path: path.read_bytes() for path in course.notebook_paths()}
    result = subprocess.run([sys.executable, "-m", "helpers.build", "--refresh"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "source id 'nope' is not in data/sources.csv" in result.stderr and "Traceback" not in result.stderr
    assert before == {path: path.read_bytes() for path in course.notebook_paths()}


def test_build_names_a_notebook_that_does_not_exist(capsys):
    assert build.main(["--refresh", "99_nothing"]) == 1
    assert "There is no notebook '99_nothing' in notebooks/." in capsys.readouterr().err


def test_nbval_fails_when_data_changes_and_the_notebook_is_not_regenerated(data_copy, edit):
    edit(data_copy / "mue.csv", "64612,practitioner,1,2", "64612,practitioner,2,2")
    notebook = paths.notebooks_dir() / "00_start_here.ipynb"
    result = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
                             "-q", str(notebook)], capture_output=True, text=True, cwd=paths.repo_root())
    assert result.returncode != 0
    assert "NBVAL" in result.stdout or "mismatch" in result.stdout.lower()
