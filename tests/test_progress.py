"""Progress that survives: transactions, many writers, damaged files, unwritable folders, a full disk, exports
taken while others write; and learners kept apart. The fault tests print how many rows were written and survived."""

import contextlib
import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest

from helpers import progress


def test_record_numbers_attempts_per_question():
    assert progress.record("00_start_here", "q1", "terminology", "B", False).attempt == 1
    assert progress.record("00_start_here", "q1", "terminology", "A", True).attempt == 2
    assert progress.record("00_start_here", "q2", "sources", "1 units", True).attempt == 1
    saved = progress.attempts()
    assert list(saved.columns) == list(progress.COLUMNS)
    assert saved["learner"].unique().tolist() == ["test-learner"]


def test_location_and_learner_can_be_set(tmp_path):
    progress.set_location(tmp_path / "elsewhere.sqlite3")
    progress.set_learner("Dana")
    progress.record("00_start_here", "q1", "terminology", "A", True)
    assert (tmp_path / "elsewhere.sqlite3").exists()
    assert progress.attempts()["learner"].tolist() == ["Dana"]


def test_default_location_is_a_per_user_folder_outside_the_repository(monkeypatch):
    monkeypatch.delenv(progress.DB_VARIABLE)
    from helpers import paths

    assert paths.repo_root() not in progress.location().parents
    assert progress.location().name == "progress.sqlite3"


def test_summary_per_notebook_and_objective():
    progress.record("01_procedure", "a", "mechanism", "x", False)
    progress.record("01_procedure", "a", "mechanism", "y", True)
    progress.record("01_procedure", "b", "mechanism", "z", True)
    progress.record("01_procedure", "c", "risks", "z", False)
    table = progress.summary("01_procedure").set_index("objective")
    assert table.loc["mechanism"].to_dict() == {"notebook": "01_procedure", "answered": 2, "right_first_time": 1,
                                                "right_so_far": 2, "attempts": 3}
    assert table.loc["risks", "right_so_far"] == 0




def test_reset_one_notebook_or_all():
    progress.record("00_start_here", "q", "o", "x", True)
    progress.record("01_procedure", "q", "o", "x", True)
    assert progress.reset("00_start_here") == 1
    assert progress.attempts()["notebook"].tolist() == ["01_procedure"]
    assert progress.reset() == 1 and progress.attempts().empty


def _write_many(args):
    database, worker, count = args
    os.environ[progress.DB_VARIABLE] = database
    os.environ[progress.LEARNER_VARIABLE] = f"learner-{worker % 2}"
    results = [progress.record("00_start_here", f"q{i % 3}", "o", f"w{worker}-{i}", i % 2 == 0) for i in range(count)]
    return [result.saved for result in results]


def test_many_processes_writing_at_once_lose_no_row(isolated_progress):
    workers, each = 6, 40
    with ProcessPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(_write_many, [(str(isolated_progress), w, each) for w in range(workers)]))
    assert all(all(saved) for saved in outcomes)
    saved = progress.attempts(everyone=True)
    assert len(saved) == workers * each
    for _, group in saved.groupby(["learner", "question"]):
        assert sorted(group["attempt"]) == list(range(1, len(group) + 1))  # no attempt number twice


WRITER = """
import sys
from helpers import progress
for i in range(100000):
    progress.record("00_start_here", f"q{i % 5}", "o", "answer", True)
    if i == 20:
        print("writing", flush=True)
"""


def test_a_killed_kernel_leaves_the_file_intact(isolated_progress):
    child = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, progress.DB_VARIABLE: str(isolated_progress)})
    assert child.stdout.readline().strip() == "writing"
    time.sleep(0.3)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with sqlite3.connect(isolated_progress) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    saved = progress.attempts(everyone=True)
    assert len(saved) > 20
    assert progress.record("00_start_here", "q0", "o", "after", True).saved


def test_a_damaged_file_is_moved_aside_and_a_fresh_one_started(isolated_progress):
    isolated_progress.parent.mkdir(parents=True)
    isolated_progress.write_bytes(b"this is not a database" * 100)
    result = progress.record("00_start_here", "q", "o", "A", True)
    assert result.saved and result.attempt == 1
    moved = [path for path in isolated_progress.parent.iterdir() if ".damaged-" in path.name]
    assert len(moved) == 1 and moved[0].read_bytes().startswith(b"this is not a database")
    assert str(moved[0]) in result.notice and "fresh one was started" in result.notice
    assert len(progress.attempts()) == 1


def test_an_unwritable_location_falls_back_with_a_message(tmp_path):
    blocker = tmp_path / "plain-file"
    blocker.write_text("a file where a folder should be")
    progress.set_location(blocker / "progress.sqlite3")
    result = progress.record("00_start_here", "q", "o", "A", True)
    assert result.saved
    assert f"Progress cannot be saved at {blocker / 'progress.sqlite3'}" in result.notice
    assert str(progress.fallback_location()) in result.notice
    assert progress.fallback_location().exists()


def test_when_nothing_can_be_written_the_lesson_carries_on(tmp_path, monkeypatch):
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    progress.set_location(blocker / "progress.sqlite3")
    monkeypatch.setattr(progress, "fallback_location", lambda: blocker / "also" / "progress.sqlite3")
    result = progress.record("00_start_here", "q", "o", "A", True)
    assert not result.saved and result.attempt is None
    assert result.notice.startswith("Your answer was checked, but your progress could not be saved")


def test_export_and_report_combine_learners(tmp_path):
    files = []
    for name, answers in {"ana": ["B", "A"], "ben": ["A"], "cy": ["C", "B", "A"]}.items():
        progress.set_learner(name)
        for response in answers:
            progress.record("00_start_here", "what-64612-is", "terminology", response, response == "A")
        files.append(progress.export(tmp_path / f"{name}.csv"))
    table = progress.report(files)
    row = table.set_index("question").loc["what-64612-is"]
    assert row["learners"] == 3 and row["attempts"] == 6
    assert row["right_first_time"] == round(1 / 3, 3) and row["right_eventually"] == 1.0
    assert row["common_wrong_answers"] == "B (2); C (1)"


def test_report_names_a_bad_file(tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("name,score\nana,3\n")
    with pytest.raises(progress.ReportError, match=r"notes.csv: not a progress export; missing column\(s\) learner"):
        progress.report([bad])
    with pytest.raises(progress.ReportError, match="no such file"):
        progress.report([tmp_path / "missing.csv"])


def test_report_command_line(tmp_path):
    progress.record("00_start_here", "q", "o", "A", True)
    export = progress.export(tmp_path / "me.csv")
    result = subprocess.run([sys.executable, "-m", "helpers.progress", "report", str(export), "--out",
                             str(tmp_path / "stats.csv")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "right_first_time" in result.stdout and pd.read_csv(tmp_path / "stats.csv")["learners"].tolist() == [1]
    bad = subprocess.run([sys.executable, "-m", "helpers.progress", "report", str(tmp_path / "nope.csv")],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "no such file" in bad.stderr and "Traceback" not in bad.stderr




def test_a_saved_name_is_used_and_outranks_the_hub_and_system_names(monkeypatch):
    monkeypatch.delenv(progress.LEARNER_VARIABLE)
    monkeypatch.setenv(progress.HUB_USER_VARIABLE, "jovyan-7")
    assert progress.learner() == "jovyan-7"  # on a hub, the hub's user name until the learner gives one
    assert progress.save_name("  Ana   Lima ").name == "Ana Lima"
    assert progress.learner() == "Ana Lima"
    progress.record("00_start_here", "q", "o", "A", True)
    assert progress.attempts()["learner"].tolist() == ["Ana Lima"]
    for bad in ("", "   ", "x" * 61):
        with pytest.raises(ValueError):
            progress.save_name(bad)
    assert progress.learner() == "Ana Lima"


def test_the_progress_file_has_one_stable_id_and_exports_carry_it(tmp_path):
    first = progress.file_id()
    assert first == progress.file_id() and len(first) == 8
    progress.record("00_start_here", "q", "o", "A", True)
    exported = pd.read_csv(progress.export(tmp_path / "me.csv"), dtype=str)
    assert exported[progress.FILE_COLUMN].tolist() == [first]
    assert progress.export_name() == f"my-progress-test-learner-{first}.csv"


def test_last_answers_gives_the_latest_check_of_each_question():
    progress.record("02_coding_the_procedure", "q1", "o", "B", False)
    progress.record("02_coding_the_procedure", "q1", "o", "A", True)
    progress.record("02_coding_the_procedure", "q2", "o", "64612 x 2", False)
    progress.record("04_medicare_payment", "q1", "o", "C", False)
    last = progress.last_answers("02_coding_the_procedure")
    assert set(last) == {"q1", "q2"}
    assert (last["q1"].response, last["q1"].correct, last["q1"].attempt) == ("A", True, 2)
    progress.set_learner("someone else")
    assert progress.last_answers("02_coding_the_procedure") == {}


def test_two_people_who_share_a_name_are_kept_apart_in_the_report(tmp_path, monkeypatch):
    files = []
    for index, response in enumerate(["A", "B"]):
        progress.set_location(tmp_path / f"laptop-{index}" / "progress.sqlite3")
        progress.set_learner("jovyan")
        progress.record("00_start_here", "what-64612-is", "terminology", response, response == "A")
        files.append(progress.export(tmp_path / f"export-{index}.csv"))
    notes = []
    row = progress.report(files, notes).set_index("question").loc["what-64612-is"]
    assert row["learners"] == 2 and row["right_first_time"] == 0.5
    assert len(notes) == 1 and "all say learner 'jovyan'" in notes[0]
    same_file_twice = progress.report([files[0], files[0]]).set_index("question").loc["what-64612-is"]
    assert same_file_twice["learners"] == 1 and same_file_twice["attempts"] == 1


def test_an_export_from_before_file_ids_still_reports(tmp_path):
    progress.record("00_start_here", "q", "o", "A", True)
    old = tmp_path / "old.csv"
    pd.read_csv(progress.export(tmp_path / "new.csv")).drop(columns=[progress.FILE_COLUMN]).to_csv(old, index=False)
    assert progress.report([old])["learners"].tolist() == [1]


def test_answers_given_before_naming_follow_the_new_name_and_a_second_name_hides_none(monkeypatch):
    monkeypatch.delenv(progress.LEARNER_VARIABLE)
    monkeypatch.setenv(progress.HUB_USER_VARIABLE, "jovyan")
    progress.record("00_start_here", "q1", "o", "A", True)  # saved as jovyan, before any name
    saved = progress.save_name("Ana")
    assert (saved.moved, saved.previous) == (1, None)
    assert progress.attempts()["learner"].tolist() == ["Ana"] and progress.last_answers("00_start_here")
    progress.record("00_start_here", "q2", "o", "B", False)
    second = progress.save_name("Ben")  # a second learner on a shared computer
    assert (second.moved, second.previous) == (0, "Ana")
    assert progress.attempts().empty  # Ben sees none of Ana's answers...
    assert set(progress.attempts(everyone=True)["learner"]) == {"Ana"}  # ...and none is lost
    progress.save_name("Ana")
    assert len(progress.attempts()) == 2


@contextlib.contextmanager
def _small_disk(folder, wanted: bool):
    """Yield whether ``folder`` is on a real 512 KiB tmpfs (when wanted and mounting is allowed, as root)."""
    folder.mkdir()
    mounted = wanted and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)],
                                        capture_output=True).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill(folder) -> None:
    """Write a filler file until the filesystem says it is full."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC


@pytest.mark.parametrize("how", ["tmpfs", "sqlite-full"])
def test_a_full_disk_gives_a_clear_message_the_lesson_carries_on_and_nothing_saved_is_lost(tmp_path, how):
    folder = tmp_path / "small"
    with _small_disk(folder, how == "tmpfs") as mounted:
        assert mounted or how != "tmpfs" or os.geteuid() != 0  # as root (CI) the real full disk is the one tested
        progress.set_location(folder / "progress.sqlite3")
        before = [progress.record("00_start_here", f"q{i % 4}", "o", f"before-{i}", True) for i in range(20)]
        with pytest.MonkeyPatch.context() as patch:
            if mounted:
                _fill(folder)
            else:  # no right to mount, or the other variant: SQLite's own 'disk full' (SQLITE_FULL) from a page limit
                opened = progress._connect
                patch.setattr(progress, "_connect", lambda path: _capped(opened(path)))
            during = [progress.record("00_start_here", f"q{i % 4}", "o", f"during-{i}-" + "x" * 400, True)
                      for i in range(30)]
            if mounted:
                (folder / "filler").unlink()
        after = [progress.record("00_start_here", f"q{i % 4}", "o", f"after-{i}", True) for i in range(10)]
        refused = [result for result in during if not result.saved]
        survived = progress.attempts()
        with sqlite3.connect(folder / "progress.sqlite3") as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    written = sum(result.saved for result in before + during + after)
    print(f"\ncount: full disk ({'a full tmpfs' if mounted else 'SQLITE_FULL from a page limit'}): {len(before + during + after)} checks, "
          f"{written} written, {len(refused)} refused while full, {len(survived)} survived")
    assert all(result.saved for result in before + after) and len(refused) >= 20
    assert all("is full, so this check was not saved" in result.notice and "free some space" in result.notice
               for result in refused)
    assert len(survived) == written and set(survived["response"]) >= {f"before-{i}" for i in range(20)}


def _capped(connection):
    """Return a connection whose file may not grow any further (SQLite then reports 'database or disk is full')."""
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    connection.execute(f"PRAGMA max_page_count = {pages}")
    return connection


def _same_learner(args):
    database, worker, count = args
    os.environ[progress.DB_VARIABLE] = database
    os.environ[progress.LEARNER_VARIABLE] = "one-learner"
    return sum(progress.record("04_medicare_payment", "formula", "formula", f"k{worker}-{i}", i % 3 == 0).saved
               for i in range(count))


def test_two_kernels_of_one_learner_answering_at_once_lose_nothing(isolated_progress):
    each = 150
    with ProcessPoolExecutor(max_workers=2) as pool:
        written = sum(pool.map(_same_learner, [(str(isolated_progress), kernel, each) for kernel in (1, 2)]))
    progress.set_learner("one-learner")
    survived = progress.attempts()
    print(f"\ncount: two kernels, one learner: {2 * each} checks, {written} written, {len(survived)} survived")
    assert written == len(survived) == 2 * each
    assert sorted(survived["attempt"]) == list(range(1, 2 * each + 1))  # one question: every attempt number once
    assert {response.split("-")[0] for response in survived["response"]} == {"k1", "k2"}


def test_an_export_taken_while_another_process_writes_is_consistent(isolated_progress, tmp_path):
    child = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, progress.DB_VARIABLE: str(isolated_progress),
                                  progress.LEARNER_VARIABLE: "test-learner"})
    try:
        assert child.stdout.readline().strip() == "writing"
        sizes = []
        for number in range(15):
            exported = pd.read_csv(progress.export(tmp_path / f"export-{number}.csv"))
            for _, group in exported.groupby("question"):  # a snapshot: no attempt missing or repeated
                assert sorted(group["attempt"]) == list(range(1, len(group) + 1))
            assert set(exported["learner"]) == {"test-learner"}
            sizes.append(len(exported))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    print(f"\ncount: exports while writing: {len(sizes)} exports of {sizes[0]} to {sizes[-1]} rows, each consistent")
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    assert not list(tmp_path.glob(".*.partial"))


def test_one_learner_never_sees_another_learners_progress_on_the_same_computer(tmp_path):
    progress.set_learner("ana")
    progress.record("04_medicare_payment", "formula", "formula", "ana's answer", True)
    progress.set_learner("ben")
    assert progress.attempts().empty and progress.last_answers("04_medicare_payment") == {}
    assert progress.summary("04_medicare_payment").empty
    progress.record("04_medicare_payment", "formula", "formula", "ben's answer", False)
    exported = pd.read_csv(progress.export(tmp_path / "ben.csv"))
    assert list(exported["learner"]) == ["ben"] and "ana's answer" not in exported.to_string()


def test_the_report_reads_only_the_files_it_is_given(tmp_path):
    for name in ("ana", "ben"):
        progress.set_learner(name)
        progress.record("04_medicare_payment", "formula", "formula", "A", True)
        progress.export(tmp_path / f"{name}.csv")
    report = progress.report([tmp_path / "ana.csv"])
    assert report["learners"].tolist() == [1]
    result = subprocess.run([sys.executable, "-m", "helpers.progress", "report", str(tmp_path / "ben.csv"),
                             "--out", str(tmp_path / "class.csv")], capture_output=True, text=True)
    assert result.returncode == 0 and pd.read_csv(tmp_path / "class.csv")["learners"].tolist() == [1]


def test_an_answer_that_looks_like_a_formula_cannot_run_in_a_spreadsheet_and_reports_as_typed(tmp_path):
    for typed in ("=HYPERLINK(\"http://x\",\"y\")", "-5", "+1", "@SUM(A1)"):
        progress.record("04_medicare_payment", "formula", "formula", typed, False)
    exported = tmp_path / "me.csv"
    progress.export(exported)
    cells = pd.read_csv(exported, dtype=str)["response"].tolist()
    assert all(cell.startswith("'") for cell in cells)
    report = progress.report([exported])
    wrong = report["common_wrong_answers"].iloc[0]
    assert "=HYPERLINK" in wrong and "'=" not in wrong and "-5" in wrong and "'-5" not in wrong
    cells = pd.DataFrame({"cell": ["=1+1", "ok", "-2", "@A1", 3]})
    assert progress.spreadsheet_safe(cells)["cell"].tolist() == ["'=1+1", "ok", "'-2", "'@A1", 3]
