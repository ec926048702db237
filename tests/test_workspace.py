"""The learner's working copies: created once, refreshed when the course changes, never losing an edit."""

import json
import shutil

import pytest

from helpers import course, paths, workspace


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    """Point the course at a copy of its notebooks, so a test can change 'the course' and sync again."""
    folder = tmp_path / "course-notebooks"
    shutil.copytree(paths.notebooks_dir(), folder)
    monkeypatch.setattr(course, "notebook_paths", lambda: sorted(folder.glob("[0-9][0-9]_*.ipynb")))
    return folder


def _edit_cell(path, old: str, new: str) -> None:
    """Change the first cell whose source holds ``old`` (the way a learner or a course update would)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(cell for cell in notebook["cells"] if old in "".join(cell["source"]))
    cell["source"] = "".join(cell["source"]).replace(old, new)
    path.write_text(json.dumps(notebook), encoding="utf-8")


def _run_outputs(path) -> None:
    """Change only outputs and execution counts, as running and saving a notebook does."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [{"output_type": "stream", "name": "stdout", "text": "ran"}], 7
    path.write_text(json.dumps(notebook), encoding="utf-8")


def test_the_first_sync_copies_every_notebook_and_touches_no_course_file():
    before = {path.name: path.read_bytes() for path in paths.notebooks_dir().glob("*.ipynb")}
    report = workspace.sync()
    folder = paths.workspace_dir()
    assert sorted(report.created) == sorted(before)
    assert {path.name: path.read_bytes() for path in folder.glob("*.ipynb")} == before
    assert {path.name: path.read_bytes() for path in paths.notebooks_dir().glob("*.ipynb")} == before
    assert "new: 00_start_here.ipynb" in str(report)
    assert str(workspace.sync()).endswith("up to date")


def test_a_notebook_the_learner_only_ran_follows_the_course(course_copy):
    workspace.sync()
    mine = paths.workspace_dir() / "04_medicare_payment.ipynb"
    _run_outputs(mine)
    _edit_cell(course_copy / "04_medicare_payment.ipynb", "## Recap", "## Recap (revised)")
    report = workspace.sync()
    assert report.updated == ["04_medicare_payment.ipynb"] and not report.kept
    assert mine.read_bytes() == (course_copy / "04_medicare_payment.ipynb").read_bytes()


def test_a_notebook_the_learner_edited_is_kept_and_the_update_goes_beside_it(course_copy):
    workspace.sync()
    mine = paths.workspace_dir() / "04_medicare_payment.ipynb"
    _edit_cell(mine, "## Recap", "## Recap, with my notes")
    _edit_cell(course_copy / "04_medicare_payment.ipynb", "## Recap", "## Recap (revised)")
    report = workspace.sync()
    [(name, beside)] = report.kept
    assert name == "04_medicare_payment.ipynb" and beside.startswith("04_medicare_payment (course update ")
    assert "with my notes" in mine.read_text(encoding="utf-8")
    assert "(revised)" in (paths.workspace_dir() / beside).read_text(encoding="utf-8")
    assert "kept your edited 04_medicare_payment.ipynb" in str(report)
    assert str(workspace.sync()).endswith("up to date")  # the update is recorded: no second copy next time


def test_an_edit_with_no_course_change_is_simply_kept(course_copy):
    workspace.sync()
    mine = paths.workspace_dir() / "01_procedure.ipynb"
    _edit_cell(mine, "## Recap", "## Recap, mine")
    report = workspace.sync()
    assert not report.kept and not report.updated and "mine" in mine.read_text(encoding="utf-8")


def test_a_lost_manifest_never_overwrites_an_edit(course_copy):
    workspace.sync()
    mine = paths.workspace_dir() / "02_coding_the_procedure.ipynb"
    _edit_cell(mine, "## Recap", "## Recap, mine")
    (paths.workspace_dir() / workspace.MANIFEST).write_text("not json", encoding="utf-8")
    _edit_cell(course_copy / "02_coding_the_procedure.ipynb", "## Recap", "## Recap (revised)")
    report = workspace.sync()
    assert [name for name, _ in report.kept] == ["02_coding_the_procedure.ipynb"]
    assert "mine" in mine.read_text(encoding="utf-8")


def test_outputs_do_not_count_as_edits():
    source = paths.notebooks_dir() / "00_start_here.ipynb"
    copy = paths.workspace_dir() / "copy.ipynb"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(source, copy)
    _run_outputs(copy)
    assert workspace.cells_digest(copy) == workspace.cells_digest(source)


def test_sync_from_the_command_line(capsys):
    assert workspace.main([]) == 0
    assert "Your workspace:" in capsys.readouterr().out
    assert (paths.workspace_dir() / "00_start_here.ipynb").exists()


def test_a_notebook_that_leaves_the_course_is_moved_aside_not_deleted(course_copy):
    workspace.sync()
    old = paths.workspace_dir() / "05_payment_rules.ipynb"
    _edit_cell(old, "## Recap", "## Recap, my notes")
    (course_copy / "05_payment_rules.ipynb").rename(course_copy / "05_renamed_lesson.ipynb")
    report = workspace.sync()
    assert report.retired == ["05_payment_rules.ipynb"] and report.created == ["05_renamed_lesson.ipynb"]
    moved = paths.workspace_dir() / workspace.RETIRED / "05_payment_rules.ipynb"
    assert "my notes" in moved.read_text(encoding="utf-8") and not old.exists()
    assert "moved to retired/" in str(report)
    assert str(workspace.sync()).endswith("up to date")


def test_an_untouched_copy_follows_a_change_of_outputs_only(course_copy):
    workspace.sync()
    course_notebook = course_copy / "04_medicare_payment.ipynb"
    _run_outputs(course_notebook)  # a year roll, say: new stored outputs, the same cells
    assert workspace.sync().updated == ["04_medicare_payment.ipynb"]
    assert (paths.workspace_dir() / "04_medicare_payment.ipynb").read_bytes() == course_notebook.read_bytes()


def test_a_damaged_copy_is_moved_aside_and_a_fresh_one_takes_its_place(course_copy):
    workspace.sync()
    mine = paths.workspace_dir() / "01_procedure.ipynb"
    mine.write_text('{"cells": [', encoding="utf-8")  # cut off by a crash
    report = workspace.sync()
    [(name, damaged)] = report.replaced
    assert name == "01_procedure.ipynb" and damaged.startswith("01_procedure (damaged ")
    assert (paths.workspace_dir() / damaged).read_text(encoding="utf-8") == '{"cells": ['
    assert mine.read_bytes() == (course_copy / "01_procedure.ipynb").read_bytes()
    assert "could not be read" in str(report) and workspace.main([]) == 0
