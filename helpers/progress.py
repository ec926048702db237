"""A learner's quiz progress, kept in a local SQLite file that survives restarts.

Every check is one row: learner, notebook, question, objective, response, correct, attempt number and time.
The file lives in a per-user data folder (not in the repository); ``$CPT64612_PROGRESS_DB`` or
``set_location()`` moves it. It also keeps the name the learner gave (``save_name``) and a random id of the
file itself, which exports carry so that a class report never merges two people who share a name. Writes are
transactions in WAL mode with a busy timeout and retries, so two notebooks open at once can both save. A
damaged file is moved aside and a fresh one started; a folder that cannot be written falls back to a
temporary folder. Saving never crashes a lesson.

Command line: ``python -m helpers.progress report FILE...`` combines learners' exported CSV files.
"""

import argparse
import contextlib
import errno
import getpass
import os
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import platformdirs

DB_VARIABLE = "CPT64612_PROGRESS_DB"
LEARNER_VARIABLE = "CPT64612_LEARNER"
HUB_USER_VARIABLE = "JUPYTERHUB_USER"
COLUMNS = ("learner", "notebook", "question", "objective", "response", "correct", "attempt", "answered_at")
FILE_COLUMN = "progress_file"
"""The export column that names the progress file an answer came from (its random id)."""
BUSY_MILLISECONDS = 10_000
RETRIES = 6
SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    notebook TEXT NOT NULL,
    question TEXT NOT NULL,
    objective TEXT NOT NULL,
    response TEXT NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    attempt INTEGER NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_question ON attempts (learner, notebook, question);
CREATE TABLE IF NOT EXISTS profile (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_settings = {"location": None, "learner": None}
_checked: set[Path] = set()


class ProgressUnavailable(RuntimeError):
    """Raised when no location at all can hold the progress file."""


class DiskFull(ProgressUnavailable):
    """Raised when the disk holding the progress file is full; the message names the folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        super().__init__(f"the disk holding {folder} is full")


@dataclass(frozen=True)
class Attempt:
    """One saved check, as a quiz shows it again: the answer given, whether it was right, and when."""

    response: str
    correct: bool
    attempt: int
    answered_at: str


@dataclass(frozen=True)
class Saved:
    """The outcome of saving one check: whether it was saved, its attempt number, and any notice."""

    saved: bool
    attempt: int | None
    notice: str = ""


def set_location(path: str | Path | None) -> None:
    """Keep progress in ``path`` from now on (None returns to the default location)."""
    _settings["location"] = Path(path).expanduser() if path else None


def default_location() -> Path:
    """Return the per-user file used when nothing else is set."""
    return Path(platformdirs.user_data_dir("cpt64612-course", appauthor=False)) / "progress.sqlite3"


def location() -> Path:
    """Return where progress is kept: set_location(), then $CPT64612_PROGRESS_DB, then the default."""
    chosen = _settings["location"] or os.environ.get(DB_VARIABLE)
    return Path(chosen).expanduser() if chosen else default_location()


def fallback_location() -> Path:
    """Return the temporary-folder file used when the chosen location cannot be written."""
    return Path(tempfile.gettempdir()) / f"cpt64612-course-{safe_name(_system_name())}" / "progress.sqlite3"


def set_learner(name: str | None) -> None:
    """Record checks under ``name`` from now on (None returns to the default)."""
    _settings["learner"] = name.strip() if name and name.strip() else None


def learner() -> str:
    """Return the learner's name: set_learner(), $CPT64612_LEARNER, the saved name, $JUPYTERHUB_USER, the OS user."""
    return _settings["learner"] or os.environ.get(LEARNER_VARIABLE) or saved_name() or _system_name()


def _system_name() -> str:
    """Return the name the system gives: $JUPYTERHUB_USER on a hub, else the operating-system user."""
    return os.environ.get(HUB_USER_VARIABLE) or _os_user()


def _os_user() -> str:
    """Return the operating-system user ('learner' when it cannot be found)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"


def name_override() -> str | None:
    """Return the name that outranks a saved one in this session (set_learner, $CPT64612_LEARNER), or None."""
    return _settings["learner"] or os.environ.get(LEARNER_VARIABLE) or None


def _profile(key: str) -> str | None:
    """Return one value the progress file keeps about its learner (None if unset or unreadable)."""
    try:
        with _session() as (connection, _):
            row = connection.execute("SELECT value FROM profile WHERE key = ?", (key,)).fetchone()
    except Exception:  # reading a name must never break a lesson
        return None
    return row[0] if row else None


def _set_profile(key: str, value: str) -> None:
    """Keep one value about the learner in the progress file."""
    with _session() as (connection, _):
        _retrying(lambda: connection.execute(
            "INSERT INTO profile (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value)))


def saved_name() -> str | None:
    """Return the name the learner gave the course on this computer, if any."""
    return _profile("name")


@dataclass(frozen=True)
class NameSaved:
    """The outcome of saving a name: the name as kept, the name saved before (if any), and answers carried over."""

    name: str
    previous: str | None
    moved: int


def save_name(name: str) -> NameSaved:
    """Record answers under ``name`` from now on, on this computer.

    Answers given before any name was saved (under the system's user name) move to the new name, so nothing
    answered earlier is hidden. Answers saved under an earlier saved name stay under it: on a shared computer
    that name may be someone else's. Raises ValueError for an empty name, or one longer than 60 characters.
    """
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise ValueError("Type your name (or a nickname your instructor will recognise) first.")
    if len(cleaned) > 60:
        raise ValueError("That name is longer than 60 characters; please use a shorter one.")
    previous = saved_name()
    _set_profile("name", cleaned)
    moved = 0 if previous else _claim_unnamed(cleaned)
    return NameSaved(cleaned, previous if previous != cleaned else None, moved)


def _claim_unnamed(name: str) -> int:
    """Move the answers saved under the system's user names (before a name was given) to ``name``."""
    unnamed = tuple(dict.fromkeys(n for n in (os.environ.get(HUB_USER_VARIABLE), _os_user()) if n and n != name))
    if not unnamed:
        return 0
    marks = ", ".join("?" for _ in unnamed)
    with _session() as (connection, _):
        cursor = _retrying(lambda: connection.execute(
            f"UPDATE attempts SET learner = ? WHERE learner IN ({marks})", (name, *unnamed)))
        return cursor.rowcount


def file_id() -> str:
    """Return this progress file's random id (made on first use), which exports carry."""
    existing = _profile("file_id")
    if existing:
        return existing
    made = secrets.token_hex(4)
    with _session() as (connection, _):
        _retrying(lambda: connection.execute("INSERT OR IGNORE INTO profile (key, value) VALUES ('file_id', ?)",
                                             (made,)))
        return connection.execute("SELECT value FROM profile WHERE key = 'file_id'").fetchone()[0]


def safe_name(text: str) -> str:
    """Return ``text`` reduced to characters that are safe in a file name."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:40] or "learner"


def _connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the progress file at ``path`` in WAL mode with a busy timeout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=BUSY_MILLISECONDS / 1000, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_MILLISECONDS}")
        _retrying(lambda: connection.execute("PRAGMA journal_mode = WAL"))
        if path not in _checked:
            rows = connection.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:
                raise sqlite3.DatabaseError(f"integrity check failed: {rows[:3]}")
        _retrying(lambda: connection.executescript(SCHEMA))
    except BaseException:
        connection.close()
        raise
    _checked.add(path)
    return connection


def _move_aside(path: Path) -> Path:
    """Move a damaged progress file (and its WAL files) aside and return its new name."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(target.with_name(target.name + suffix))
    path.replace(target)
    return target


def _open_at(path: Path) -> tuple[sqlite3.Connection, list[str]]:
    """Open the file at ``path``, starting afresh if it is damaged; return it with any notices."""
    try:
        return _connect(path), []
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError) or not path.exists():
            raise
        moved = _move_aside(path)
        _checked.discard(path)
        notice = (f"Your progress file could not be read ({error}). It was moved to {moved} and a fresh "
                  f"one was started at {path}.")
        return _connect(path), [notice]


@contextlib.contextmanager
def _session():
    """Yield an open connection and any notices, falling back to a temporary folder if need be."""
    chosen = location()
    try:
        connection, notices = _open_at(chosen)
    except (OSError, sqlite3.Error) as error:
        if disk_full(chosen.parent):  # saving elsewhere would hide these answers once space is freed
            raise DiskFull(chosen.parent) from error
        spare = fallback_location()
        if spare == chosen:
            raise ProgressUnavailable(f"cannot write progress at {chosen}: {error}") from error
        try:
            connection, notices = _open_at(spare)
        except (OSError, sqlite3.Error) as second:
            raise ProgressUnavailable(f"cannot write progress at {chosen} ({error}) or {spare} ({second})") from second
        notices = [f"Progress cannot be saved at {chosen} ({error}); it is being saved at {spare} instead.", *notices]
    try:
        yield connection, notices
    finally:
        connection.close()


FULL_BELOW = 64 * 1024
"""Free bytes under which a filesystem counts as full (SQLite needs room for its journal pages)."""


def disk_full(folder: Path) -> bool:
    """Return True when the filesystem holding ``folder`` (or its nearest existing parent) has almost no room."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW
    except OSError:
        return False


def _retrying(action):
    """Run ``action``, retrying with a growing pause while another process holds the file."""
    for attempt in range(RETRIES):
        try:
            return action()
        except sqlite3.OperationalError as error:
            text = str(error).lower()
            if ("locked" not in text and "busy" not in text) or attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * 2 ** attempt)


def _insert(connection, row: dict) -> int:
    """Insert one check in a transaction and return its attempt number for that question."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        (attempt,) = connection.execute(
            "SELECT COALESCE(MAX(attempt), 0) + 1 FROM attempts WHERE learner = ? AND notebook = ? AND question = ?",
            (row["learner"], row["notebook"], row["question"])).fetchone()
        connection.execute(
            "INSERT INTO attempts (learner, notebook, question, objective, response, correct, attempt, answered_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row["learner"], row["notebook"], row["question"], row["objective"], row["response"],
             int(bool(row["correct"])), attempt, row["answered_at"]))
        connection.execute("COMMIT")
        return attempt
    except BaseException:
        if connection.in_transaction:  # SQLite has already rolled back after some errors, such as a full disk
            connection.execute("ROLLBACK")
        raise


def record(notebook: str, question: str, objective: str, response: str, correct: bool) -> Saved:
    """Save one check; never raises: if saving fails the result says so and the lesson carries on."""
    row = {"learner": learner(), "notebook": notebook, "question": question, "objective": objective,
           "response": str(response)[:500], "correct": correct,
           "answered_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    try:
        with _session() as (connection, notices):
            attempt = _retrying(lambda: _insert(connection, row))
        return Saved(True, attempt, " ".join(notices))
    except Exception as error:  # saving progress must never break the lesson
        return Saved(False, None, _not_saved(error))


def _is_full(error: Exception) -> bool:
    """Return True when an error says the disk is full (ours, SQLite's SQLITE_FULL, or the system's ENOSPC)."""
    return (isinstance(error, DiskFull) or getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            or getattr(error, "errno", None) == errno.ENOSPC)


def _not_saved(error: Exception) -> str:
    """Return what a learner reads when a check could not be saved, with what to do about a full disk."""
    if _is_full(error):
        folder = getattr(error, "folder", location().parent)
        return (f"Your answer was checked, but the disk holding your progress ({folder}) is full, so "
                "this check was not saved. The answers saved before are safe: free some space and check again.")
    return f"Your answer was checked, but your progress could not be saved ({error})."


def attempts(everyone: bool = False) -> pd.DataFrame:
    """Return every saved check for this learner (or for everyone), oldest first."""
    query = f"SELECT {', '.join(COLUMNS)} FROM attempts"
    query += " ORDER BY id" if everyone else " WHERE learner = ? ORDER BY id"
    with _session() as (connection, _):
        frame = pd.read_sql_query(query, connection, params=() if everyone else (learner(),))
    frame["correct"] = frame["correct"].astype(bool)
    return frame


def last_answers(notebook: str) -> dict[str, Attempt]:
    """Return this learner's latest saved check of each question of a notebook ({} if none, or unreadable)."""
    query = ("SELECT question, response, correct, attempt, answered_at FROM attempts WHERE id IN "
             "(SELECT MAX(id) FROM attempts WHERE learner = ? AND notebook = ? GROUP BY question)")
    try:
        with _session() as (connection, _):
            rows = connection.execute(query, (learner(), notebook)).fetchall()
    except Exception:  # a quiz without its history still works
        return {}
    return {question: Attempt(response, bool(correct), attempt, answered_at)
            for question, response, correct, attempt, answered_at in rows}


def _question_stats(frame: pd.DataFrame) -> pd.DataFrame:
    """Return one row per question: attempts, whether the first try was right, whether any try was."""
    if frame.empty:
        return pd.DataFrame(columns=["notebook", "objective", "question", "attempts", "first_try", "ever"])
    ordered = frame.sort_values("attempt")
    grouped = ordered.groupby(["notebook", "objective", "question"], sort=True)
    return grouped.agg(attempts=("attempt", "size"), first_try=("correct", "first"),
                       ever=("correct", "any")).reset_index()


def summary(notebook: str | None = None) -> pd.DataFrame:
    """Return, per notebook and objective: questions answered, right first time, right so far, attempts."""
    stats = _question_stats(attempts())
    if notebook is not None:
        stats = stats[stats["notebook"] == notebook]
    table = stats.groupby(["notebook", "objective"], sort=True).agg(
        answered=("question", "size"), right_first_time=("first_try", "sum"),
        right_so_far=("ever", "sum"), attempts=("attempts", "sum")).reset_index()
    return table.astype({column: int for column in ("answered", "right_first_time", "right_so_far", "attempts")})


def reset(notebook: str | None = None) -> int:
    """Erase this learner's checks for one notebook (or all) and return how many were erased."""
    with _session() as (connection, _):
        if notebook is None:
            cursor = _retrying(lambda: connection.execute("DELETE FROM attempts WHERE learner = ?", (learner(),)))
        else:
            cursor = _retrying(lambda: connection.execute(
                "DELETE FROM attempts WHERE learner = ? AND notebook = ?", (learner(), notebook)))
        return cursor.rowcount


def export_name() -> str:
    """Return the file name an export of this learner's answers gets: my-progress-<name>-<file id>.csv."""
    return f"my-progress-{safe_name(learner())}-{file_id()}.csv"


def export(path: str | Path) -> Path:
    """Write this learner's checks, with this progress file's id, to a CSV file an instructor can combine."""
    path = Path(path)
    if path.is_dir():
        raise ReportError(f"{path}: is a folder; name the file to write, such as {path / 'my-progress.csv'}")
    if not path.parent.is_dir():
        raise ReportError(f"{path}: the folder {path.parent} does not exist")
    frame = attempts().assign(**{FILE_COLUMN: file_id()})  # one query: a consistent snapshot while others write
    partial = path.with_name(f".{path.name}.partial")
    try:
        spreadsheet_safe(frame).to_csv(partial, index=False, columns=[*COLUMNS, FILE_COLUMN])
        partial.replace(path)  # a reader never sees half an export
    finally:
        partial.unlink(missing_ok=True)
    return path


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
"""What a spreadsheet reads as the start of a formula (and the quote itself, so quoting reads back exactly): a
cell beginning so is written with a leading quote."""


def _formula_quoted(value):
    """Return a text cell with a leading quote when a spreadsheet would read it as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as spreadsheet formulas (a leading ' before =, +, -, @)."""
    return frame.apply(lambda column: column.map(_formula_quoted)
                       if column.dtype == object or pd.api.types.is_string_dtype(column) else column)


def _unquoted(text: str) -> str:
    """Return a cell as the learner typed it, without the quote ``spreadsheet_safe`` put before a formula start."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


class ReportError(ValueError):
    """Raised when an exported progress file cannot be read; the message names the file and the problem."""


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV file as text, or raise ReportError naming the file and what went wrong."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a folder, not a CSV file") from None
    except OSError as error:
        raise ReportError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ReportError(f"{path}: not a readable CSV file ({error})") from None


def _read_export(path: Path) -> pd.DataFrame:
    """Read one exported CSV file, checking it has the expected columns."""
    frame = _read_csv(path)
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise ReportError(f"{path}: not a progress export; missing column(s) {', '.join(missing)}")
    bad = frame.index[~frame["correct"].str.lower().isin(["true", "false", "1", "0"])]
    if len(bad):
        value = frame.at[bad[0], "correct"]
        raise ReportError(f"{path}, line {bad[0] + 2}, column 'correct': '{value}' is not true or false")
    frame["correct"] = frame["correct"].str.lower().isin(["true", "1"])
    for column in ("learner", "notebook", "question", "objective", "response"):
        frame[column] = frame[column].map(_unquoted)
    frame["attempt"] = pd.to_numeric(frame["attempt"], errors="coerce").fillna(1).astype(int)
    if FILE_COLUMN not in frame.columns:  # an export from before files had ids: the file stands for one
        frame[FILE_COLUMN] = f"file:{path.name}"
    return frame


def _kept_apart(combined: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Give each (name, progress file) its own learner; say where one name came from several files."""
    files = combined.groupby("learner")[FILE_COLUMN].nunique()
    shared = sorted(files[files > 1].index)
    notes = [f"Exports from {files[name]} different progress files all say learner '{name}': they are kept apart "
             f"as {name}#<file id>. They may be different people who share a name (ask each to save their own "
             "name in the progress panel), or one person on two computers (combine their rows yourself)."
             for name in shared]
    clash = combined["learner"].isin(shared)
    combined.loc[clash, "learner"] = combined.loc[clash, "learner"] + "#" + combined.loc[clash, FILE_COLUMN]
    return combined, notes


def _common_wrong(responses: pd.Series, limit: int = 3) -> str:
    """Return the most frequent wrong responses as 'response (count)' text."""
    counts = responses.value_counts()
    return "; ".join(f"{response} ({count})" for response, count in counts.head(limit).items())


def read_exports(files, notes: list | None = None) -> pd.DataFrame:
    """Return the rows of learners' exports combined, once each; two people who share a name are kept apart.

    ``notes`` (a list) receives a sentence for each name that came from more than one progress file.
    """
    frames = [_read_export(Path(file)) for file in files]
    if not frames:
        raise ReportError("no files given")
    combined, found = _kept_apart(pd.concat(frames, ignore_index=True).drop_duplicates())
    if notes is not None:
        notes.extend(found)
    return combined


def report(files, notes: list | None = None) -> pd.DataFrame:
    """Combine learners' exports into per-question statistics (see ``read_exports`` for ``notes``)."""
    combined = read_exports(files, notes)
    rows = []
    for (notebook, question), group in combined.groupby(["notebook", "question"], sort=True):
        first = group.sort_values("attempt").groupby("learner").head(1)
        rows.append({"notebook": notebook, "question": question, "objective": group["objective"].iloc[0],
                     "learners": group["learner"].nunique(), "attempts": len(group),
                     "right_first_time": round(first["correct"].mean(), 3),
                     "right_eventually": round(group.groupby("learner")["correct"].any().mean(), 3),
                     "common_wrong_answers": _common_wrong(group.loc[~group["correct"], "response"])})
    return pd.DataFrame(rows)


def _parser() -> argparse.ArgumentParser:
    """Return the command line's parser: report, export, summary, where."""
    parser = argparse.ArgumentParser(prog="python -m helpers.progress", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    report_command = commands.add_parser("report", help="per-question statistics from learners' exported CSV files")
    report_command.add_argument("files", nargs="+")
    report_command.add_argument("--out", help="also write the statistics to this CSV file")
    commands.add_parser("export", help="write this learner's checks to a CSV file").add_argument("file")
    commands.add_parser("summary", help="this learner's progress per notebook and objective")
    commands.add_parser("where", help="print where progress is kept")
    return parser


def _run(args) -> None:
    """Carry out one command."""
    if args.command == "report":
        notes: list[str] = []
        table = report(args.files, notes)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        print(table.to_string(index=False))
        if args.out:
            spreadsheet_safe(table).to_csv(args.out, index=False)
    elif args.command == "export":
        print(f"Wrote {export(args.file)}")
    elif args.command == "summary":
        print(summary().to_string(index=False))
    else:
        print(location())


def main(argv: list[str] | None = None) -> int:
    """Command line for instructors and learners: report, export, summary, where."""
    args = _parser().parse_args(argv)
    try:
        _run(args)
    except (ReportError, ProgressUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a file that cannot be written, or read past the checks above
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
