"""Load the course's data tables, each validated against its schema on every load.

``load(name)`` returns a pandas DataFrame; ``TABLES`` lists the tables; ``check()`` validates them
all. Bad data raises ``DataError`` naming file, row and column for every problem found in one pass.
Run ``python -m helpers.data check`` to validate everything from the command line.
"""

import csv
import functools
import hashlib
import io
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Mapping
from urllib.parse import urlsplit

import pandas as pd
import platformdirs

from helpers import paths
from helpers.formatting import CONFIDENCE_RANK, problem_report
from helpers.schema import split_ids
from helpers.tables import TABLES, Table, line_number

__all__ = ["TABLES", "DataError", "Problem", "load", "lookup", "check", "source", "currency", "last_read", "present",
           "cell_text"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a data file: where it is and what is wrong."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"row {self.line - 1} (line {self.line})")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(ValueError):
    """Raised when data files break their schema; the message lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.column or "", p.message))
        super().__init__(problem_report(self.problems, "the course data"))


class _Unreadable(Exception):
    """A CSV file that cannot be turned into a table; carries the problems found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("unreadable CSV")
        self.problems = problems


HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""Characters a data cell never needs and a reader cannot see: control characters, zero-width marks, direction
overrides, a byte-order mark inside the text. They come in with pasted text or a binary file."""


def _csv_text(path: Path, file: str) -> str:
    """Return a CSV file's text (a leading byte-order mark dropped), or raise _Unreadable saying why it has none."""
    if path.is_dir():
        raise _Unreadable([Problem(file, None, None, "is a folder, not a CSV file")])
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise _Unreadable([Problem(file, None, None, f"cannot be read ({error.strerror or error})")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise _Unreadable([Problem(file, None, None, f"is not saved as UTF-8 text (line {line} has the byte "
                                   f"0x{raw[error.start]:02X}): save it as UTF-8")]) from None


def _csv_rows(path: Path, file: str) -> list[list[str]]:
    """Return a CSV file's rows as read, or raise _Unreadable saying why they cannot be read."""
    reader = csv.reader(io.StringIO(_csv_text(path, file), newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        raise _Unreadable([Problem(file, reader.line_num, None, f"cannot be read as CSV: {error} "
                                   "(an unclosed quote?)")]) from None
    if not any(cell.strip() for row in rows for cell in row):
        raise _Unreadable([Problem(file, None, None, "is empty (it needs at least a header line)")])
    return rows


def _hidden_problems(rows: list[list[str]], header: list[str], file: str) -> list[Problem]:
    """Report the first cell that holds a character a reader cannot see (see HIDDEN)."""
    for number, row in enumerate(rows, start=1):
        for position, cell in enumerate(row):
            found = HIDDEN.search(cell)
            if found:
                character = found.group()
                column = header[position] if number > 1 and position < len(header) else None
                name = unicodedata.name(character, "a control character")
                return [Problem(file, number, column, f"holds the invisible character U+{ord(character):04X} "
                                f"({name}): delete it (it comes with pasted text or a binary file)")]
    return []


def _header_problems(header: list[str], file: str) -> list[Problem]:
    """Report header cells that are blank or repeat another column's name."""
    problems = [Problem(file, None, None, f"the header's column {position} has no name")
                for position, name in enumerate(header, start=1) if not name]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    return problems + [Problem(file, None, name, "appears more than once in the header") for name in repeated]


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV file as text (empty cells become missing), checking every row has the header's width."""
    file = paths.shown(path)
    rows = _csv_rows(path, file)
    header, body = [name.strip() for name in rows[0]], [row for row in rows[1:] if row]
    problems = _header_problems(header, file) + _hidden_problems(rows, header, file)
    problems += [Problem(file, number, None, f"has {len(row)} cell{'s' if len(row) != 1 else ''} but the header has "
                         f"{len(header)} "
                         "(a stray comma or an unclosed quote?)")
                 for number, row in enumerate(rows[1:], start=2) if row and len(row) != len(header)]
    if not body:
        problems.append(Problem(file, None, None, "has a header line but no rows"))
    if problems:
        raise _Unreadable(problems)
    frame = pd.DataFrame(body, columns=header, dtype=str)
    frame = frame.apply(lambda column: column.str.strip())
    return frame.mask(frame == "", None)


def _empty_message(frame: pd.DataFrame, index, column) -> str:
    """Return why a required cell has no value: it is empty, or it spells out a missing number ('nan')."""
    text = frame.at[index, column] if column in frame.columns and index in frame.index else None
    return f"'{text}' is not a number" if present(text) else "is empty but a value is required"


def _schema_problems(error, file: str, frame: pd.DataFrame) -> list[Problem]:
    """Translate pandera's failure cases into plain-language problems."""
    cases = error.failure_cases.to_dict("records")
    uncoerced = {case["column"] for case in cases if str(case["check"]).startswith("coerce_dtype")}
    problems = []
    for case in cases:
        check, column, value, index = str(case["check"]), case["column"], case["failure_case"], case["index"]
        column = None if pd.isna(column) else column
        if check == "column_in_dataframe":
            problems.append(Problem(file, None, str(value), "this column is missing"))
        elif check == "column_in_schema":
            problems.append(Problem(file, None, str(value), "unexpected column (check its spelling)"))
        elif check.startswith("coerce_dtype"):
            kind = "a whole number" if "Int" in check else "a number"
            problems.append(Problem(file, line_number(index), column, f"'{value}' is not {kind}"))
        elif check.startswith("dtype(") or index is None or column in uncoerced:
            continue  # consequences of a value that could not be converted, already reported
        elif check == "not_nullable":
            problems.append(Problem(file, line_number(index), column, _empty_message(frame, index, column)))
        else:
            problems.append(Problem(file, line_number(index), column, f"'{value}' {check}"))
    return problems


def _duplicate_problems(frame: pd.DataFrame, table: Table, file: str) -> list[Problem]:
    """Report rows that share a key with an earlier row."""
    key = [column for column in table.key if column in frame.columns]
    if len(key) != len(table.key):
        return []
    repeated = frame[frame.duplicated(key, keep="first")]
    problems = []
    for index, row in repeated.iterrows():
        first = frame.index[(frame[key] == row[key]).all(axis=1)][0]
        shown = ", ".join(f"{column}={row[column]}" for column in key)
        problems.append(Problem(file, line_number(index), key[0],
                                f"duplicate key ({shown}); first used on line {line_number(first)}"))
    return problems


def _source_problems(frame: pd.DataFrame, known: set[str], file: str) -> list[Problem]:
    """Report source ids that are not in the sources table."""
    problems = []
    if "source" not in frame.columns:
        return problems
    for index, cell in frame["source"].items():
        for source_id in split_ids(cell or ""):
            if source_id not in known:
                problems.append(Problem(file, line_number(index), "source",
                                        f"source id '{source_id}' is not in data/sources.csv"))
    return problems


def url_host(url: str) -> str:
    """Return the host of a web address, lower-case ('' if there is none)."""
    try:
        return (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""


def host_listed(host: str, hosts) -> str | None:
    """Return the listed host that ``host`` is, or is a subdomain of, or None."""
    return next((listed for listed in hosts if host == listed or host.endswith("." + listed)), None)


def _rubric_problems(raw: dict) -> list[Problem]:
    """Report sources on sites that are never a source, and H ratings for publishers that are not primary."""
    columns = {"sources": {"url", "confidence"}, "primary_hosts": {"host"}, "blocked_hosts": {"host", "kind"}}
    if not all(name in raw and needed <= set(raw[name].columns) for name, needed in columns.items()):
        return []  # a missing or broken table is reported on its own
    file = paths.shown(paths.data_dir() / TABLES["sources"].file)
    primary = set(raw["primary_hosts"]["host"].dropna())
    blocked = dict(zip(raw["blocked_hosts"]["host"], raw["blocked_hosts"]["kind"]))
    problems = []
    for index, row in raw["sources"].iterrows():
        host = url_host(row.get("url"))
        hit = host_listed(host, blocked)
        if hit:
            problems.append(Problem(file, line_number(index), "url",
                                    f"{host} is listed in data/blocked_hosts.csv ({blocked[hit]}) and is never a "
                                    "source: cite the original document, or drop the fact"))
        elif row.get("confidence") == "H" and not host_listed(host, primary):
            problems.append(Problem(file, line_number(index), "confidence",
                                    f"'H' is for primary sources, and {host} is not a primary publisher in "
                                    "data/primary_hosts.csv: rate a copy or a secondary source M, a single "
                                    "third-party page L"))
    return problems


def _support_problems(frame: pd.DataFrame, ratings: dict, file: str) -> list[Problem]:
    """Report rows rated more sure than the best source they cite."""
    if not {"source", "confidence"} <= set(frame.columns):
        return []
    problems = []
    for index, row in frame.iterrows():
        cited = {source_id: ratings[source_id] for source_id in split_ids(row["source"] or "") if source_id in ratings}
        if not cited or row["confidence"] not in CONFIDENCE_RANK:
            continue
        best = max(CONFIDENCE_RANK.get(rating, 0) for rating in cited.values())
        if CONFIDENCE_RANK[row["confidence"]] > best:
            shown = ", ".join(f"{source_id} ({rating})" for source_id, rating in cited.items())
            problems.append(Problem(file, line_number(index), "confidence",
                                    f"'{row['confidence']}' is more sure than the best source the row cites "
                                    f"({shown}): a row is only as sure as its best source"))
    return problems


def _reference_problems(name: str, frame: pd.DataFrame, raw: dict, file: str) -> list[Problem]:
    """Report values that must name a row of another table (e.g. an RVU row's code) but do not."""
    problems = []
    for column, targets in TABLES[name].references:
        if column not in frame.columns or not all(t in raw and c in raw[t] for t, c in targets):
            continue  # a missing or unreadable target table is reported on its own
        known = {value for t, c in targets for value in raw[t][c].dropna()}
        names = " or ".join(f"data/{target}.csv" for target, _ in targets)
        for index, value in frame[column].items():
            if value is not None and value not in known:
                problems.append(Problem(file, line_number(index), column, f"'{value}' is not listed in {names}"))
    return problems


def _validate(table: Table, frame: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one table's frame against its schema and return the typed frame and problems."""
    import pandera.pandas as pa  # slow to import, and needed only when data has changed since it was last validated

    columns = {name: column.check() for name, column in table.all_columns().items()}
    schema = pa.DataFrameSchema(columns, strict=True, coerce=True, ordered=False)
    try:
        typed = schema.validate(frame, lazy=True)
        problems = []
    except pa.errors.SchemaErrors as error:
        typed, problems = frame, _schema_problems(error, file, frame)
    problems += _duplicate_problems(frame, table, file)
    return typed, problems


def _finish(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Convert yes/no columns to booleans and date columns to dates after validation."""
    frame = frame.copy()
    for column in table.flag_columns:
        frame[column] = frame[column] == "yes"
    for column in table.date_columns:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").dt.date
    return frame


NOT_A_NUMBER = r"[+-]?(nan|inf|infinity)"
"""What pandas reads as a number but is none: a spelled-out missing or infinite value."""


def _spelled_problems(name: str, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Report number cells that spell out a missing or infinite value ('nan', 'inf'), which pandas would accept."""
    problems = []
    for column, rule in TABLES[name].all_columns().items():
        if rule.kind == "number" and column in frame.columns:
            spelled = frame[column].fillna("").str.fullmatch(NOT_A_NUMBER, case=False)
            problems += [Problem(file, line_number(index), column, f"'{frame.at[index, column]}' is not a number")
                         for index in frame.index[spelled]]
    return problems


def _table_problems(name: str, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Run the checks that look beyond one cell's type: real dates, ICD-10-CM codes, date ranges."""
    problems = _spelled_problems(name, frame, file)
    for column in TABLES[name].date_columns:
        if column not in frame.columns:
            continue
        parsed = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        iso = frame[column].fillna("").str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        for index in frame.index[iso & parsed.isna()]:
            problems.append(Problem(file, line_number(index), column,
                                    f"'{frame.at[index, column]}' is not a real calendar date"))
    for check in TABLES[name].checks:
        problems += [Problem(file, line_number(index), column, message) for index, column, message in check(frame)]
    return problems


CACHE_VARIABLE = "CPT64612_CACHE_DIR"
_VALIDATED: dict[str, dict[str, pd.DataFrame]] = {}
_RULES = ("data.py", "tables.py", "schema.py", "icd10.py", "formatting.py")
"""The helper files whose code decides whether a table is valid: a change to any of them re-validates."""


def _stat_key() -> tuple:
    """Return a cheap key that changes whenever a data file is written (folder, then name, size, mtime per file).

    It is checked on every load, so it stats the files and nothing else. The rules' code cannot change inside a
    process (it is already imported), so only the content key, which outlives the process, reads it.
    """
    folder = str(paths.data_dir())
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".csv"):
                    stat = entry.stat()
                    found.append((entry.name, stat.st_size, stat.st_mtime_ns))
    except OSError as error:
        raise DataError([Problem(paths.shown(Path(folder)), None, None, "is not a folder of data tables "
                                 f"({error.strerror or error}); check ${paths.DATA_DIR_VARIABLE}")]) from None
    return folder, tuple(sorted(found))


@functools.lru_cache(maxsize=8)
def _content_key_for(_stat: tuple) -> str:
    """Return the content hash for one state of the files (the argument only keys the memo)."""
    return _content_key()


def _content_key() -> str:
    """Return a hash of everything validation depends on: every data file's bytes, the rules' code, the versions."""
    digest = hashlib.sha256()
    for path in sorted(paths.data_dir().glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + _bytes(path) + b"\0")
    for name in _RULES:
        digest.update((Path(__file__).parent / name).read_bytes())
    for package in ("pandas", "pandera", "simple-icd-10-cm"):
        digest.update(metadata.version(package).encode())
    return digest.hexdigest()[:32]


def _bytes(path: Path) -> bytes:
    """Return a file's bytes for the content key; a folder or unreadable file gives a marker (validation names it)."""
    try:
        return path.read_bytes()
    except OSError:
        return b"\0unreadable"


def _cache_file(key: str) -> Path:
    """Return where the validated tables for ``key`` are kept between processes."""
    folder = os.environ.get(CACHE_VARIABLE) or platformdirs.user_cache_dir("cpt64612-course", appauthor=False)
    return Path(folder) / f"tables-{key}.pickle"


def _from_cache(key: str) -> dict[str, pd.DataFrame] | None:
    """Return the tables validated in an earlier process with the same content, or None."""
    try:
        with _cache_file(key).open("rb") as handle:
            frames = pickle.load(handle)
    except Exception:  # a missing, partial or foreign cache file only means validating again
        return None
    return frames if isinstance(frames, dict) and set(frames) == set(TABLES) else None


def _to_cache(key: str, frames: dict[str, pd.DataFrame]) -> None:
    """Keep validated tables for the next process, written atomically; a folder that cannot be written is skipped."""
    target = _cache_file(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False, suffix=".part") as handle:
            pickle.dump(frames, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(handle.name, 0o644)  # others may read a cache an administrator filled (a hub's), never write it
        os.replace(handle.name, target)
    except OSError:
        return


def _read_tables() -> tuple[dict, dict, list[Problem]]:
    """Read and validate each table on its own; return the raw frames, the typed frames and the problems."""
    problems, raw, typed = [], {}, {}
    for name, table in TABLES.items():
        path = paths.data_dir() / table.file
        file = paths.shown(path)
        if not path.exists():
            problems.append(Problem(file, None, None, "file is missing"))
            continue
        try:
            raw[name] = _read_csv(path)
        except _Unreadable as unreadable:
            problems += unreadable.problems
            continue
        typed[name], found = _validate(table, raw[name], file)
        problems += found + _table_problems(name, raw[name], file)
    return raw, typed, problems


def _cross_problems(raw: dict) -> list[Problem]:
    """Return the problems that span tables: unknown sources, broken references, ratings above their sources."""
    known = set(raw["sources"]["id"].dropna()) if "sources" in raw and "id" in raw["sources"] else set()
    readable = "sources" in raw and {"id", "confidence"} <= set(raw["sources"].columns)
    ratings = dict(zip(raw["sources"]["id"], raw["sources"]["confidence"])) if readable else {}
    problems = []
    for name, frame in raw.items():
        file = paths.shown(paths.data_dir() / TABLES[name].file)
        problems += _source_problems(frame, known, file) + _reference_problems(name, frame, raw, file)
        if TABLES[name].sourced:
            problems += _support_problems(frame, ratings, file)
    return problems + _rubric_problems(raw) + _year_problems(raw)


def _years(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return the year of each row from a year or date column (NaN where it cannot be read)."""
    if column == "year":
        years = pd.to_numeric(frame[column], errors="coerce")
        return years.where((years % 1 == 0) & years.between(1000, 9999))  # a broken year is reported on its own
    return pd.to_datetime(frame[column], errors="coerce").dt.year


def _year_problems(raw: dict) -> list[Problem]:
    """Return problems where a fee-schedule year is incomplete (a conversion factor without RVUs or GPCIs, or back)."""
    if not all(name in raw for name in ("conversion_factors", "pfs_rvu", "gpci")):
        return []
    cf, rvu, gpci = raw["conversion_factors"], raw["pfs_rvu"], raw["gpci"]
    if not ({"start"} <= set(cf) and {"year", "code"} <= set(rvu) and {"year", "locality"} <= set(gpci)):
        return []
    cf_years, rvu_years = set(_years(cf, "start").dropna().astype(int)), set(_years(rvu, "year").dropna().astype(int))
    codes = {year: set(rvu.loc[_years(rvu, "year") == year, "code"]) for year in rvu_years}
    file = {name: paths.shown(paths.data_dir() / TABLES[name].file) for name in ("pfs_rvu", "gpci")}
    problems = [Problem(file["pfs_rvu"], None, "year", f"{year} has RVUs but no conversion-factor period")
                for year in sorted(rvu_years - cf_years)]
    for year in sorted(cf_years):
        missing = sorted(codes.get(year - 1, set()) - codes.get(year, set())) if year - 1 in cf_years else []
        if missing:
            problems.append(Problem(file["pfs_rvu"], None, "year", f"{year} has a conversion factor but no RVUs for "
                                    f"{', '.join(missing)} (priced in {year - 1}): add the year's rows"))
    gpci_years = set(_years(gpci, "year").dropna().astype(int))
    newest = max(cf_years, default=None)
    if gpci_years and newest is not None and newest > max(gpci_years):
        problems.append(Problem(file["gpci"], None, "year", f"{newest} has a conversion factor but no GPCIs (the "
                                f"newest are for {max(gpci_years)}): add the year's rows for every locality"))
    return problems


def _validated() -> dict[str, pd.DataFrame]:
    """Read and validate every table, raising DataError with all problems found."""
    raw, typed, problems = _read_tables()
    problems += _cross_problems(raw)
    if problems:
        raise DataError(problems)
    return {name: _finish(TABLES[name], frame) for name, frame in typed.items()}


def _read_all() -> dict[str, pd.DataFrame]:
    """Return every validated table: from memory, from the cache of an earlier process, or validated now.

    Validation runs once per content (data files, validation code, package versions): a changed CSV file is
    always validated again, and broken data is never cached.
    """
    key = _content_key_for(_stat_key())
    if key not in _VALIDATED:
        frames = _from_cache(key)
        if frames is None:
            frames = _validated()
            _to_cache(key, frames)
        _VALIDATED.clear()
        _VALIDATED[key] = frames
    return _VALIDATED[key]


_LOOKUPS: dict[tuple, tuple[pd.DataFrame, Mapping]] = {}
_USED: set[str] = set()
"""The tables this process has asked for (load or lookup): the build records them as a notebook's inputs."""


def used_tables() -> list[str]:
    """Return the names of the tables this process has loaded or looked up, sorted."""
    return sorted(_USED)


def lookup(name: str, *columns: str) -> Mapping:
    """Return a table's rows keyed by one column (or a tuple of several), read-only; the first row wins a tie.

    Built once per validated version of the table, so a repeated look-up (a rule, a code) is a dict access.
    """
    if name not in TABLES:
        raise KeyError(f"There is no data table called '{name}'. Tables: {', '.join(TABLES)}.")
    if not columns or any(column not in TABLES[name].all_columns() for column in columns):
        raise ValueError(f"Look up {name} by one or more of its columns: {', '.join(TABLES[name].all_columns())}.")
    frame = _read_all()[name]
    _USED.add(name)
    built = _LOOKUPS.get((name, columns))
    if built is None or built[0] is not frame:
        rows = {}
        for record in frame.to_dict("records"):
            key = tuple(record[column] for column in columns) if len(columns) > 1 else record[columns[0]]
            rows.setdefault(key, MappingProxyType(record))
        built = _LOOKUPS[(name, columns)] = (frame, MappingProxyType(rows))
    return built[1]


def load(name: str) -> pd.DataFrame:
    """Return the named table as a validated DataFrame (a fresh copy each call)."""
    if name not in TABLES:
        raise KeyError(f"There is no data table called '{name}'. Tables: {', '.join(TABLES)}.")
    _USED.add(name)
    return _read_all()[name].copy()


def check() -> list[Problem]:
    """Validate every table and return the problems found (an empty list when all is well)."""
    try:
        _read_all()
    except DataError as error:
        return error.problems
    return []


def source(source_id: str) -> dict:
    """Return one source's row (title, publisher, url, date, confidence) as a dict."""
    sources = load("sources").set_index("id")
    if source_id not in sources.index:
        raise KeyError(f"Unknown source id '{source_id}'.")
    row = sources.loc[source_id].to_dict()
    return {"id": source_id, **{key: None if present(value) is False else value for key, value in row.items()}}


def cell_text(value) -> str:
    """Return a cell as text, or an empty string for a missing cell."""
    return str(value) if present(value) else ""


def present(value) -> bool:
    """Return True unless ``value`` is a missing cell (None, NaN or pandas' NA)."""
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are present
        return True


def currency() -> pd.DataFrame:
    """Return, per table: rows, the newest dated source its rows cite, and how many cited sources are undated."""
    sources = load("sources").set_index("id")
    rows = []
    for name, table in TABLES.items():
        if not table.sourced:
            continue
        frame = load(name)
        cited = sources.loc[sorted({sid for cell in frame["source"] for sid in split_ids(cell)})]
        dated = cited[cited["date_kind"] != "as of"]
        rows.append({"table": name, "rows": len(frame),
                     "newest dated source": max(dated["date"]) if len(dated) else None,
                     "undated sources": int((cited["date_kind"] == "as of").sum()), "holds": table.purpose})
    return pd.DataFrame(rows)


def last_read():
    """Return the newest date on which the course read a page that gave no date of its own ('as of' in sources.csv).

    Dates of archived copies and of versions have their own kinds ('archived', 'version'), so every 'as of'
    date is a reading date; pages read earlier carry their own, earlier 'as of' date.
    """
    sources = load("sources")
    return max(sources.loc[sources["date_kind"] == "as of", "date"])


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.data check`` validates every table."""
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["check"]:
        given = f" (got: {' '.join(argv)})" if argv else ""
        print(f"usage: python -m helpers.data check{given}", file=sys.stderr)
        return 2
    problems = check()
    if problems:
        print(DataError(problems), file=sys.stderr)
        return 1
    print(f"All {len(TABLES)} data tables are valid ({paths.data_dir().name}/).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
