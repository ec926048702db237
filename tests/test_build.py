"""Regeneration: the build reproduces the committed notebooks byte for byte, and nbval catches stale ones."""

import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from course_support import copy_repository, in_copy
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


def test_every_committed_notebook_is_current_with_its_inputs(capsys):
    assert build.check(course.notebook_paths()) == 0
    assert "are current with their inputs" in capsys.readouterr().out


def test_changing_one_table_makes_only_the_notebooks_that_read_it_stale(data_copy, edit):
    edit(data_copy / "muscles.csv", "No coding source settles it", "No source settles it")
    stale = {path.name: build.stale_reasons(path) for path in course.notebook_paths()}
    stale = {name: reasons for name, reasons in stale.items() if reasons}
    readers = {path.name for path in course.notebook_paths()
               if "data/muscles.csv" in nbformat.read(path, as_version=4).metadata[build.INPUTS_KEY]["inputs"]}
    assert "02_coding_the_procedure.ipynb" in stale and set(stale) == readers
    assert len(readers) < len(course.notebook_paths()) / 2  # most notebooks do not read it
    assert all(reasons == ["data/muscles.csv changed"] for reasons in stale.values())


def test_an_edited_cell_or_a_missing_record_is_named(tmp_path, capsys):
    copy = tmp_path / "02_coding_the_procedure.ipynb"
    notebook = nbformat.read(paths.notebooks_dir() / copy.name, as_version=4)
    notebook.cells[2].source += "\nOne more sentence."
    nbformat.write(notebook, copy)
    assert build.stale_reasons(copy) == ["its cells or the course menu changed"]
    notebook.metadata.pop(build.INPUTS_KEY)
    nbformat.write(notebook, copy)
    assert build.check([copy]) == 1
    assert "has no record of its inputs" in capsys.readouterr().err


def test_an_interrupted_write_leaves_the_old_notebook_whole(tmp_path, monkeypatch):
    path = tmp_path / "notebook.ipynb"
    path.write_text("old", encoding="utf-8")

    def interrupted(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(build.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build.write_whole(path, "new " * 10_000)
    assert path.read_text(encoding="utf-8") == "old"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".notebook")]  # no half-written file left


def test_notebooks_run_side_by_side_and_a_warm_build_reuses_them(tmp_path, capsys):
    copies = []
    for name in ("01_procedure.ipynb", "06_medicare_coverage.ipynb"):
        shutil.copy(paths.notebooks_dir() / name, tmp_path / name)
        copies.append(str(tmp_path / name))
    assert build.main(["--refresh", "--force", "--jobs", "2", *copies]) == 0
    assert "Refreshed 2 notebook(s), reused 0; changed: none." in capsys.readouterr().out
    assert build.main(["--refresh", *copies]) == 0
    assert "Refreshed 0 notebook(s), reused 2" in capsys.readouterr().out


def test_the_outputs_digest_follows_every_input_it_is_written_from(data_copy, edit, tmp_path):
    before = build.outputs_digest()
    edit(data_copy / "muscles.csv", "No coding source settles it", "No source settles it")
    assert build.outputs_digest() != before
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "ana.csv").write_text("learner\nana\n", encoding="utf-8")
    assert build.outputs_digest(exports) != build.outputs_digest()


def test_a_refreshed_notebook_keeps_its_permissions(tmp_path):
    path = tmp_path / "notebook.ipynb"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    build.write_whole(path, "new")
    assert path.read_text(encoding="utf-8") == "new" and path.stat().st_mode & 0o777 == 0o644


def test_another_notebook_s_menu_is_not_an_input(tmp_path):
    path = paths.notebooks_dir() / "05_payment_rules.ipynb"
    notebook = nbformat.read(path, as_version=4)
    before = build._file_digest(path)
    build.with_navigation(notebook, path.stem)
    notebook.cells[0].source += " · A renamed lesson"
    copy = tmp_path / "05_payment_rules.ipynb"
    nbformat.write(notebook, copy)
    assert build._file_digest(copy) == before  # a menu rewritten by the build changes no other notebook


def test_every_notebook_records_the_build_itself_as_an_input():
    for path in course.notebook_paths():
        inputs = nbformat.read(path, as_version=4).metadata[build.INPUTS_KEY]["inputs"]
        assert "helpers/build.py" in inputs, path.name


def test_a_broken_notebook_file_is_named_not_a_traceback(tmp_path):
    broken = tmp_path / "99_broken.ipynb"
    broken.write_text("<<<<<<< HEAD\n{}\n=======\n", encoding="utf-8")
    assert build.stale_reasons(broken)[0].startswith("it cannot be read as a notebook")


@pytest.mark.slow
def test_a_build_killed_part_way_leaves_every_notebook_whole_and_the_next_build_finishes(tmp_path):
    copy = copy_repository(tmp_path / "course")
    before = {path.name: path.read_bytes() for path in (copy / "notebooks").glob("*.ipynb")}
    running = subprocess.Popen([sys.executable, "-m", "helpers.build", "--refresh", "--force", "--jobs", "2"],
                               cwd=copy, env=in_copy(copy), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    seen = ""
    while "Executing notebooks" not in seen and running.poll() is None:
        seen += running.stdout.read(1)
    time.sleep(6)  # some notebooks written, others still running
    os.killpg(running.pid, signal.SIGKILL)
    running.wait()
    whole = 0
    for path in sorted((copy / "notebooks").glob("*.ipynb")):
        nbformat.validate(nbformat.read(path, as_version=4))  # raises on a half-written file
        whole += 1
    rewritten = sum(path.read_bytes() != before[path.name] for path in (copy / "notebooks").glob("*.ipynb"))
    (copy / "notebooks" / ".04_medicare_payment.ipynb.k1ll3d.tmp").write_text("{")  # as if killed mid-write
    finished = subprocess.run([sys.executable, "-m", "helpers.build", "--refresh"], cwd=copy, env=in_copy(copy),
                              capture_output=True, text=True, timeout=900)
    leftovers = [path.name for path in (copy / "notebooks").iterdir() if not path.name.endswith(".ipynb")]
    checked = subprocess.run([sys.executable, "-m", "helpers.build", "--check"], cwd=copy, env=in_copy(copy),
                             capture_output=True, text=True, timeout=300)
    print(f"\ncount: killed build: {whole} notebooks whole after SIGKILL, {rewritten} already rewritten, "
          f"{len(leftovers)} stray files after the next build, which exited {finished.returncode}, its check {checked.returncode}")
    assert whole == len(before) and leftovers == []
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert checked.returncode == 0, checked.stderr[-2000:]
