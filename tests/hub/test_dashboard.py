"""The instructor dashboard (helpers.dashboard and deploy/instructor_dashboard.ipynb) on exports made by the course.

Exports are written by ``helpers.progress`` itself (record, then export), one progress file per learner, with the
clock set by the test so that minutes are known. Runs in ``make test`` (no hub needed).
"""

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from helpers import course, dashboard, paths, progress, quiz

NOTEBOOK = paths.repo_root() / "deploy" / "instructor_dashboard.ipynb"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
RIGHT = {question.id: question.answer_text() for question in quiz.load_bank("00_start_here").questions}

# learner -> [(minutes after START, notebook, question, response, correct)]
CLASS = {
    "ann": [(0, "00_start_here", "what-64612-is", "Phenol or alcohol", False),
            (2, "00_start_here", "what-64612-is", "Botulinum toxin injected", True),
            (5, "00_start_here", "reading-the-data", "A", True),
            (6, "00_start_here", "mue-lookup", "1 unit", True),
            (9, "00_start_here", "right-hfs-line", "64612-RT x 1", True),
            (12, "00_start_here", "visit-order", "1", True),
            (20, "01_procedure", "which-condition", "B", True)],
    "bob": [(0, "00_start_here", "what-64612-is", "Phenol or alcohol", False),
            (10, "00_start_here", "mue-lookup", "2 units", False)],
    "cy": [(3, "00_start_here", "what-64612-is", "Botulinum toxin injected", True)],
}


class _Clock:
    """Stands in for datetime in helpers.progress, so answers carry the times the test chose."""

    now_value = START

    @classmethod
    def now(cls, tz=None):
        return cls.now_value


def _export(folder, learner, answers, monkeypatch, store=None):
    """Record a learner's answers in their own progress file, export them, and return the export's path."""
    monkeypatch.setattr(progress, "datetime", _Clock)
    progress.set_location(store or folder.parent / "stores" / f"{learner}.sqlite3")
    progress.set_learner(learner)
    for minutes, notebook, question, response, correct in answers:
        _Clock.now_value = START + timedelta(minutes=minutes)
        assert progress.record(notebook, question, "objective", response, correct).saved
    folder.mkdir(exist_ok=True)
    return progress.export(folder / progress.export_name())


@pytest.fixture
def exports(tmp_path, monkeypatch):
    """A folder holding the three learners' exports."""
    folder = tmp_path / "exports"
    for learner, answers in CLASS.items():
        _export(folder, learner, answers, monkeypatch)
    progress.set_location(None)
    progress.set_learner(None)
    return folder


def test_the_board_reads_every_export_through_the_progress_report(exports):
    board = dashboard.Board(exports)
    assert board.problem is None
    assert len(board.exports.files) == 3
    assert sorted(board.exports.answers["learner"].unique()) == ["ann", "bob", "cy"]
    expected = progress.report(sorted(exports.glob("*.csv")))
    pd.testing.assert_frame_equal(board.exports.questions, expected)  # the same numbers as the command line's report
    assert "3 export file(s)" in repr(board.overview()._repr_mimebundle_()["text/plain"])


def test_right_first_time_puts_the_hardest_question_first(exports):
    table = dashboard.hardest(dashboard.Board(exports).exports.questions)
    first = table.iloc[0]
    assert (first["question"], first["learners"], first["right_first_time"]) == ("what-64612-is", 3, 0.333)
    assert first["right_eventually"] == round(2 / 3, 3)  # bob never got it right
    mue = table.set_index("question").loc["mue-lookup"]
    assert (mue["learners"], mue["right_first_time"]) == (2, 0.5)
    assert table["right_first_time"].is_monotonic_increasing


def test_common_wrong_answers_are_counted(exports):
    wrong = dashboard.wrong_answers(dashboard.Board(exports).exports.questions).set_index("question")
    assert wrong.loc["what-64612-is", "common_wrong_answers"] == "Phenol or alcohol (2)"
    assert wrong.loc["mue-lookup", "common_wrong_answers"] == "2 units (1)"
    assert "reading-the-data" not in wrong.index  # nobody got it wrong
    shown = dashboard.Board(exports).wrong_answers()
    assert "Phenol or alcohol (2)" in shown.html and "33.3%" in shown.text


def test_time_on_each_notebook_runs_from_first_to_last_answer(exports):
    minutes = dashboard.notebook_minutes(dashboard.Board(exports).exports.answers)
    spans = minutes.set_index(["learner", "notebook"])["minutes"].to_dict()
    assert spans == {("ann", "00_start_here"): 12.0, ("ann", "01_procedure"): 0.0,
                     ("bob", "00_start_here"): 10.0, ("cy", "00_start_here"): 0.0}
    summary = dashboard.time_summary(minutes).set_index("notebook")
    assert summary.loc["00_start_here"].to_dict() == {"learners": 3, "median_minutes": 10.0, "shortest": 0.0,
                                                      "longest": 12.0}
    grid = dashboard.minutes_grid(minutes).set_index("learner")
    assert grid.loc["bob", "00_start_here"] == "10" and grid.loc["bob", "01_procedure"] == ""


def test_who_has_not_finished_is_measured_against_each_quiz_bank(exports):
    banks = dashboard.bank_questions(["00_start_here", "01_procedure"])
    assert banks["00_start_here"] == tuple(RIGHT)  # the bank's questions, in order
    done = dashboard.completion(dashboard.Board(exports).exports.answers, banks, roster=["dee"])
    cell = done.set_index(["learner", "notebook"])
    assert cell.loc[("ann", "00_start_here"), "finished"]
    assert cell.loc[("ann", "01_procedure"), ["answered", "questions"]].tolist() == [1, 16]
    assert cell.loc[("bob", "00_start_here"), "missing"] == "reading-the-data, right-hfs-line, visit-order"
    assert cell.loc[("dee", "00_start_here"), "answered"] == 0  # on the roster, exported nothing
    left = dashboard.unfinished(done)
    assert ("ann", "00_start_here") not in set(zip(left["learner"], left["notebook"]))
    assert len(left) == 7
    assert left.set_index(["learner", "notebook"]).loc[("dee", "00_start_here"), "missing"] == "(not started)"
    assert len(dashboard.unfinished(done, started_only=True)) == 3  # ann 01, bob 00, cy 00
    grid = dashboard.completion_grid(done).set_index("learner")
    assert grid.loc["ann", "00_start_here"] == "5/5 ✓" and grid.loc["cy", "00_start_here"] == "1/5"


def test_every_notebook_of_the_course_is_counted_by_default(exports):
    board = dashboard.Board(exports)
    assert list(board.banks()) == [path.stem for path in course.notebook_paths()]
    assert board.banks()["00_start_here"] == tuple(RIGHT)


def test_charts_carry_their_numbers_in_a_text_alternative(exports):
    board = dashboard.Board(exports)
    bundles = [board.questions()._repr_mimebundle_(), board.time()._repr_mimebundle_(),
               board.completion()._repr_mimebundle_()]
    for bundle in bundles:
        assert bundle["text/html"].count('<img alt="') == 1 and "data:image/png;base64," in bundle["text/html"]
        assert bundle["text/plain"].startswith("[Chart] ")
    assert "what-64612-is (00): 33.3% of 3" in bundles[0]["text/plain"]
    assert "00_start_here: median 10 minutes (0 to 12, 3 learner(s))" in bundles[1]["text/plain"]
    assert "00_start_here: 1 of 3" in bundles[2]["text/plain"]
    chart = dashboard.right_first_time_chart(board.exports.questions)
    assert chart.png().startswith(b"\x89PNG")


def test_two_learners_who_share_a_name_are_kept_apart(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    _export(folder, "jovyan", CLASS["ann"], monkeypatch, store=tmp_path / "one.sqlite3")
    _export(folder, "jovyan", CLASS["bob"], monkeypatch, store=tmp_path / "two.sqlite3")
    board = dashboard.Board(folder)
    assert board.exports.answers["learner"].nunique() == 2
    assert "kept apart" in board.overview()._repr_mimebundle_()["text/plain"]


def _header_only(folder):
    (folder / "empty.csv").write_text(",".join([*progress.COLUMNS, progress.FILE_COLUMN]) + "\n")


@pytest.mark.parametrize("make, says", [
    (None, "does not exist"),
    (lambda folder: None, "holds no CSV files"),
    (lambda folder: (folder / "notes.txt").write_text("not an export"), "holds no CSV files"),
    (lambda folder: (folder / "class.csv").write_text("a,b\n1,2\n"), "class.csv: not a progress export"),
    (lambda folder: (folder / "broken.csv").write_bytes(b"learner,notebook\n\xff\xfe\x00\x01"),
     "broken.csv: not a readable CSV file"),
    (lambda folder: (folder / "bad.csv").write_text(
        "learner,notebook,question,objective,response,correct,attempt,answered_at\nann,00,q,o,r,maybe,1,x\n"),
     "'maybe' is not true or false"),
    (_header_only, "hold no answers yet"),
], ids=["missing", "empty", "no-csv", "other-csv", "undecodable", "bad-value", "header-only"])
def test_a_bad_folder_gives_a_message_not_a_traceback(tmp_path, make, says):
    folder = tmp_path / "exports"
    if make is not None:
        folder.mkdir()
        make(folder)
    board = dashboard.Board(folder)
    assert says in board.problem
    for view in (board.overview(), board.questions(), board.wrong_answers(), board.time(), board.completion()):
        assert says in view.text and 'role="alert"' in view.html
    with pytest.raises(dashboard.DashboardError, match=says.replace("(", r"\(")):
        dashboard.read(folder)


def test_an_export_that_cannot_be_opened_is_named(exports, monkeypatch):
    real = progress._read_export

    def refuse(path):
        if path.name.startswith("my-progress-bob"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(progress, "_read_export", refuse)
    board = dashboard.Board(exports)
    assert "cannot be read" in board.problem and "Permission denied" in board.problem and "my-progress-bob" in board.problem


def test_a_file_given_for_a_folder_is_named(tmp_path):
    target = tmp_path / "one.csv"
    target.write_text("x\n")
    assert "is a file, not a folder" in dashboard.Board(target).problem


def test_the_folder_comes_from_the_argument_then_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(dashboard.EXPORTS_VARIABLE, raising=False)
    assert dashboard.chosen_folder() == dashboard.Path("exports")
    monkeypatch.setenv(dashboard.EXPORTS_VARIABLE, str(tmp_path))
    assert dashboard.chosen_folder() == tmp_path
    assert dashboard.chosen_folder(tmp_path / "given") == tmp_path / "given"


def test_importing_the_dashboard_does_nothing(tmp_path):
    """No files written, nothing printed, no figure open, no folder read: only definitions."""
    code = ("import matplotlib.pyplot as plt, helpers.dashboard as d, sys; "
            "assert plt.get_fignums() == [] and 'helpers.dashboard' in sys.modules")
    here = tmp_path / "here"
    here.mkdir()
    result = subprocess.run([sys.executable, "-c", code], cwd=here, capture_output=True, text=True,
                            env={**os.environ, "MPLBACKEND": "Agg", dashboard.EXPORTS_VARIABLE: str(here / "exports")})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and list(here.iterdir()) == []


def _run_notebook(folder, monkeypatch, tmp_path):
    """Execute the dashboard notebook with $CPT64612_EXPORTS set to ``folder``; return the executed notebook."""
    monkeypatch.setenv(dashboard.EXPORTS_VARIABLE, str(folder))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                   store_widget_state=False).execute()
    return notebook


def _outputs(notebook) -> str:
    return "\n".join("".join(output.get("data", {}).get("text/plain", "")) + "".join(output.get("text", ""))
                     for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", []))


@pytest.mark.slow
def test_the_dashboard_notebook_runs_on_a_folder_of_exports(exports, monkeypatch, tmp_path):
    notebook = _run_notebook(exports, monkeypatch, tmp_path)
    errors = [output for cell in notebook.cells for output in cell.get("outputs", []) if output.output_type == "error"]
    assert errors == []
    text = _outputs(notebook)
    assert "3 export file(s)" in text and "3 learner(s)" in text
    assert "Phenol or alcohol (2)" in text
    assert "00_start_here: median 10 minutes" in text
    assert "Started, not finished: 3 learner-notebook pair(s)" in text  # ann in 01, bob and cy in 00
    assert "reading-the-data, right-hfs-line, visit-order" in text
    html = "".join("".join(output.get("data", {}).get("text/html", "")) for cell in notebook.cells
                   for output in cell.get("outputs", []))
    assert html.count('<img alt="') == 3


@pytest.mark.slow
def test_the_dashboard_notebook_explains_a_missing_folder(monkeypatch, tmp_path):
    notebook = _run_notebook(tmp_path / "nowhere", monkeypatch, tmp_path)
    errors = [output for cell in notebook.cells for output in cell.get("outputs", []) if output.output_type == "error"]
    assert errors == []
    assert "does not exist" in _outputs(notebook) and "Traceback" not in _outputs(notebook)


def test_the_notebook_is_stored_without_outputs_and_has_a_parameters_cell():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    assert "parameters" in notebook.cells[1].metadata.get("tags", [])
    assert "EXPORTS = None" in notebook.cells[1].source
