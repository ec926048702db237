"""Audit the course's own files: ``python -m helpers.audit phi [PATH ...]`` and ``python -m helpers.audit currency``.

``phi`` searches the notebooks (cells, metadata and the text of outputs, never their pictures), the data and quiz
banks, the examples and the build outputs for text that looks like a real person's identifier: a Social Security
number, a phone number, an email address, a date of birth, a medical record number, an NPI that passes its check
digit, a Medicare Beneficiary Identifier. A value that cannot belong to anyone (an SSN the SSA never issues, a
555-0100 to 555-0199 number, an address at a domain reserved for examples) is skipped; a fictional value the
course uses on purpose is listed, with the reason, in data/phi_allow.csv. Everything else is a finding. It writes
nothing.

``currency`` reports how current each data table's facts are, from the sources its rows cite: the oldest source,
the rows rated low confidence, and the rows whose newest source is more than a year old. ``currency_summary()``
gives the same, one row per table, for a notebook.

Exit status: 0 when nothing is found, 1 when something is, 2 when the command is used wrongly, a file cannot be
read (so the search is incomplete), or the allow-list or the data is broken. Each problem is one line.
"""

import argparse
import csv
import datetime
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from helpers import data, paths
from helpers.schema import split_ids

ALLOW_LIST = "phi_allow.csv"
"""The allow-list's file in the data folder: one deliberate fictional value a row (kind, value, why)."""
ALLOW_COLUMNS = ("kind", "value", "why")
TEXT_SUFFIXES = frozenset({".ipynb", ".csv", ".yaml", ".yml", ".json", ".jsonl", ".md", ".txt", ".html", ".htm",
                           ".837", ".x12", ".edi"})
"""The files a folder search reads; others (pictures, PDFs, fonts) are skipped. A file named on its own is read."""
NON_TEXT_OUTPUTS = ("image/", "audio/", "video/", "application/pdf")
"""Notebook output data that is not text (base64 pictures and documents): never searched."""

# Text that is never about a person, blanked before searching: its numbers only look like identifiers.
MASKED = re.compile(
    r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+"   # pictures embedded in HTML
    r"|\b(?:https?|ftp)://[^\s\"'<>]+"          # web addresses (ids and dates of documents)
    r"|[A-Za-z0-9+/=_-]{40,}"                   # base64 and long hashes
    r"|\b[0-9a-fA-F]{16,}\b")                   # hex digests in notebook metadata

VOID_SSNS = frozenset({"078051120", "219099999"})
"""SSNs the SSA voided after they were printed in advertising (a wallet insert, an SSA pamphlet)."""
RESERVED_DOMAINS = ("example.com", "example.net", "example.org", "example", "test", "invalid", "localhost")
"""Domains reserved for examples and testing (RFC 2606): no one receives mail there."""
FILE_ENDINGS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "html", "json", "py", "ipynb"})
"""Endings that make 'name@2x.png' a file name, not an address."""

_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_YEAR, _MONTH, _DAY = r"(?:19|20)\d\d", r"(?:0?[1-9]|1[0-2])", r"(?:0?[1-9]|[12]\d|3[01])"
_COMPACT_DATE = r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_DATE = (rf"{_MONTH}[/-]{_DAY}[/-](?:{_YEAR}|\d\d)|{_YEAR}-{_MONTH}-{_DAY}|{_COMPACT_DATE}"
         rf"|{_MONTH_NAME} {_DAY}(?:st|nd|rd|th)?,? {_YEAR}|{_DAY} {_MONTH_NAME},? {_YEAR}|{_MONTH_NAME},? {_YEAR}")
DIGIT_PAIR = re.compile(r"\d\d")
_MBI_LETTER = "AC-HJKMNP-RT-Y"
"""The letters CMS uses in an MBI: A to Z without S, L, O, I, B and Z."""


def npi_check_digit_valid(number: str) -> bool:
    """Return True if ``number`` is 10 digits starting 1 or 2 whose last digit is the NPI check digit.

    CMS defines it as the Luhn check digit of the NPI prefixed with 80840 (the card issuer prefix for US health).
    """
    if not re.fullmatch(r"[12]\d{9}", number):
        return False
    total = 0
    for position, digit in enumerate(int(character) for character in reversed("80840" + number)):
        doubled = digit * 2 if position % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _ssn_reason(match: re.Match) -> str | None:
    """Return why an NNN-NN-NNNN number looks real, or None for one the SSA never issues."""
    area, group, serial = match["area"], match["group"], match["serial"]
    if area in ("000", "666") or area.startswith("9") or group == "00" or serial == "0000":
        return None
    if area + group + serial in VOID_SSNS:
        return None
    return "Social Security number with an area, group and serial the SSA issues"


def _phone_reason(match: re.Match) -> str | None:
    """Return why a phone number looks real, or None for a service code, a reserved code or a fictional 555-01xx."""
    area, exchange, line = match["area"] or match["bare_area"], match["exchange"], match["line"]
    if area[1:] == "11" or area[1] == "9" or exchange[1:] == "11":
        return None
    if exchange == "555" and "0100" <= line <= "0199":
        return None
    return "North American number with a valid area code and exchange"


def _email_reason(match: re.Match) -> str | None:
    """Return why an email address looks real, or None at a reserved domain or for a file name like icon@2x.png."""
    domain = match["domain"].lower()
    if any(domain == reserved or domain.endswith("." + reserved) for reserved in RESERVED_DOMAINS):
        return None
    if domain.rsplit(".", 1)[-1] in FILE_ENDINGS:
        return None
    return "email address at a domain that can receive mail"


def _mrn_reason(match: re.Match) -> str | None:
    """Return why a number after 'MRN' or 'chart #' looks real, or None for a placeholder such as 0000."""
    digits = re.sub(r"\D", "", match["value"])
    if len(digits) < 4 or set(digits) == {"0"}:
        return None
    return f"number after '{match['keyword']}'"


@dataclass(frozen=True)
class Detector:
    """One kind of identifier: the pattern that finds candidates (group 'value') and why a match looks real."""

    kind: str
    pattern: re.Pattern
    reason: Callable[[re.Match], str | None]
    """Return why a match looks real, or None when it cannot belong to anyone."""
    needs: tuple[str, ...] = ()
    """Lower-case text one of which every match holds: a line with none is not searched (speed only)."""


DETECTORS = (
    Detector("dob", re.compile(rf"\b(?P<keyword>DOB|D\.O\.B\.?|date of birth|birth ?date|born(?: on)?)(?![a-z])"
                               rf"[^\n\d]{{0,24}}?(?P<value>{_DATE})(?!\d)", re.IGNORECASE),
             lambda match: f"date beside '{match['keyword']}'", needs=("dob", "d.o.b", "birth", "born")),
    Detector("dob", re.compile(rf"\bDMG\*D8\*(?P<value>{_COMPACT_DATE})(?!\d)"),
             lambda _match: "an X12 DMG segment gives a patient's date of birth", needs=("dmg*",)),
    Detector("mrn", re.compile(r"\b(?P<keyword>MRN|medical record (?:number|no\.?|#)|chart ?(?:number|no\.?|#))"
                               r"(?![a-z])[\s:#=.]*(?:is\s+)?(?P<value>[A-Z]{0,3}-?\d[\d-]{2,}\d)\b", re.IGNORECASE),
             _mrn_reason, needs=("mrn", "record", "chart")),
    Detector("ssn", re.compile(r"(?<![\w-])(?P<value>(?P<area>\d{3})-(?P<group>\d{2})-(?P<serial>\d{4}))(?![\w-])"),
             _ssn_reason),
    Detector("phone", re.compile(r"(?<![\w.+-])(?P<value>(?:\+?1[-. ]?)?(?:\((?P<area>[2-9]\d\d)\) ?"
                                 r"|(?P<bare_area>[2-9]\d\d)(?P<separator>[-.]))(?P<exchange>[2-9]\d\d)"
                                 r"(?(separator)(?P=separator)|[-.])(?P<line>\d{4}))(?![\w-]|\.\d)"),
             _phone_reason),
    Detector("email", re.compile(r"(?<![\w.%+-])(?P<value>[A-Za-z0-9][\w.%+-]*@"
                                 r"(?P<domain>(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}))(?![\w-])"),
             _email_reason, needs=("@",)),
    Detector("npi", re.compile(r"(?<![\w.-])(?P<value>[12]\d{9})(?![\w-]|[.,]\d)"),
             lambda match: "10 digits that pass the NPI check digit (Luhn with the 80840 prefix)"
             if npi_check_digit_valid(match["value"]) else None),
    Detector("mbi", re.compile(rf"(?<![\w-])(?P<value>[1-9][{_MBI_LETTER}][{_MBI_LETTER}\d]\d(?P<dash>-?)"
                               rf"[{_MBI_LETTER}][{_MBI_LETTER}\d]\d(?P=dash)[{_MBI_LETTER}]{{2}}\d\d)(?![\w-])"),
             lambda _match: "Medicare Beneficiary Identifier format (CMS: 11 characters, no S, L, O, I, B or Z)"),
)
"""The detectors in the order they claim a value (a number after 'MRN' is an MRN even if it also passes the NPI
check)."""
KINDS = tuple(dict.fromkeys(detector.kind for detector in DETECTORS))


@dataclass(frozen=True)
class Finding:
    """One value that looks like a real identifier: where it is, its kind, the value and why it looks real."""

    path: str
    line: int
    kind: str
    value: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.value} ({self.why})"


@dataclass
class Scan:
    """What a search found: the files read, the findings, the allow-listed matches and the files it could not read."""

    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    allowed: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


class AllowListError(ValueError):
    """The allow-list cannot be used; the message names the file and the line."""


def identifiers_in(text: str) -> Iterator[tuple[str, str, str]]:
    """Yield (kind, value, why) for each real-looking identifier in one line of text, each value once."""
    if "@" not in text and not DIGIT_PAIR.search(text):
        return  # every identifier but an email address holds two digits in a row: most lines are done here
    visible = MASKED.sub(" ", text)
    lowered, seen = visible.lower(), set()
    for detector in DETECTORS:
        if detector.needs and not any(clue in lowered for clue in detector.needs):
            continue
        for match in detector.pattern.finditer(visible):
            why = detector.reason(match)
            if why and match["value"] not in seen:
                seen.add(match["value"])
                yield detector.kind, match["value"], why


def _json_strings(node) -> Iterator[str]:
    """Yield every string value of a notebook's JSON in file order, leaving out pictures and attachments."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _json_strings(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "attachments" and not key.startswith(NON_TEXT_OUTPUTS):
                yield from _json_strings(value)


def _position(text: str, string: str, start: int) -> int:
    """Return where a JSON string's quoted form starts in the file at or after ``start`` (``start`` if not found)."""
    for ascii_only in (False, True):
        found = text.find(json.dumps(string, ensure_ascii=ascii_only), start)
        if found >= 0:
            return found
    return start


def notebook_lines(text: str) -> list[tuple[int, str]]:
    """Return (line, text) for what a reader of a notebook sees; the line is where the string sits in the file."""
    found, cursor, line = [], 0, 1
    for string in _json_strings(json.loads(text)):
        position = _position(text, string, cursor)
        line += text.count("\n", cursor, position)
        cursor = position
        found += [(line, part) for part in string.split("\n") if part.strip()]
    return found


def file_lines(path: Path) -> list[tuple[int, str]]:
    """Return a file's (line number, text) pairs to search; a notebook that is not valid JSON is read as text."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".ipynb":
        try:
            return notebook_lines(text)
        except (ValueError, RecursionError):
            pass
    return list(enumerate(text.split("\n"), start=1))


def allow_list_path() -> Path:
    """Return the allow-list file: data/phi_allow.csv in the course's data folder."""
    return paths.data_dir() / ALLOW_LIST


def compared(kind: str, value: str) -> tuple[str, str]:
    """Return how a value is matched with the allow-list: an address in lower case, others by letters and digits."""
    if kind == "email":
        return kind, value.strip().lower()
    characters = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    if kind == "phone" and len(characters) == 11:
        characters = characters[1:]  # the country code 1
    return kind, characters


def _allow_rows(path: Path) -> list[list[str]]:
    """Return the allow-list's rows as read (header first), or raise AllowListError saying why it cannot be read."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [[cell.strip() for cell in row] for row in csv.reader(handle)]
    except UnicodeDecodeError:
        raise AllowListError(f"{paths.shown(path)}: is not UTF-8 text") from None
    except (OSError, csv.Error) as error:
        raise AllowListError(f"{paths.shown(path)}: cannot be read ({error})") from None


def load_allowed(path: Path | None = None) -> dict[tuple[str, str], str]:
    """Return the allow-list as {(kind, value as compared): why}; a missing file allows nothing."""
    path = path or allow_list_path()
    if not path.exists():
        return {}
    rows, shown = _allow_rows(path), paths.shown(path)
    if not rows or tuple(rows[0][:3]) != ALLOW_COLUMNS:
        raise AllowListError(f"{shown}: the first line must be the header {','.join(ALLOW_COLUMNS)}")
    allowed = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        kind, value, why = (row + ["", "", ""])[:3]
        if kind not in KINDS:
            raise AllowListError(f"{shown}, line {number}: '{kind}' is not a kind the audit finds ({', '.join(KINDS)})")
        if not value or not why:
            raise AllowListError(f"{shown}, line {number}: an entry needs its value and why it is allowed")
        allowed[compared(kind, value)] = why
    return allowed


def default_targets() -> list[Path]:
    """Return what ``phi`` searches by default: the notebooks, the data, the examples and build/ if it exists."""
    root = paths.repo_root()
    return [folder for folder in (paths.notebooks_dir(), paths.data_dir(), root / "examples", root / "build")
            if folder.exists()]


def _searched(path: Path, folder: Path, allow_list: Path) -> bool:
    """Return True for a file a folder search reads: a text file, not hidden, not the allow-list itself."""
    relative = path.relative_to(folder)
    return (path.is_file() and path.suffix.lower() in TEXT_SUFFIXES and path.resolve() != allow_list
            and not any(part.startswith(".") for part in relative.parts))


def files_to_search(targets: list[Path]) -> list[Path]:
    """Return the files to search: each file named, and the text files under each folder named."""
    allow_list = allow_list_path().resolve()
    found = []
    for target in targets:
        if target.is_dir():
            found += sorted(path for path in target.rglob("*") if _searched(path, target, allow_list))
        else:
            found.append(target)
    return list(dict.fromkeys(found))


def _search_file(path: Path, allowed: dict, result: Scan) -> None:
    """Search one file into ``result``: findings, allowed matches, or a message if it cannot be read."""
    shown = paths.shown(path)
    try:
        lines = file_lines(path)
    except UnicodeDecodeError:
        result.unreadable.append(f"{shown}: not searched: it is not UTF-8 text (a binary file?)")
        return
    except OSError as error:
        result.unreadable.append(f"{shown}: not searched: it cannot be read ({error.strerror or error})")
        return
    result.files += 1
    for number, text in lines:
        for kind, value, why in identifiers_in(text):
            found = Finding(shown, number, kind, value, why)
            (result.allowed if compared(kind, value) in allowed else result.findings).append(found)


def scan(targets: list[Path] | None = None, allowed: dict | None = None) -> Scan:
    """Search files and folders (the course's by default) and sort what looks real into findings and allowed."""
    allowed = load_allowed() if allowed is None else allowed
    result = Scan()
    for path in files_to_search(targets or default_targets()):
        _search_file(path, allowed, result)
    return result


def _plural(count: int, word: str) -> str:
    """Return '1 finding' or '2 findings'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def phi_report(result: Scan) -> str:
    """Return one line per finding, then the summary line with the counts."""
    summary = (f"Scanned {_plural(result.files, 'file')}: {_plural(len(result.findings), 'finding')}, "
               f"{len(result.allowed)} allowed by data/{ALLOW_LIST}")
    if result.unreadable:
        summary += f", {len(result.unreadable)} not readable"
    if result.findings:
        summary += (". Remove each finding or replace it with a value that cannot be real; list a deliberate "
                    f"fictional value with its reason in data/{ALLOW_LIST}")
    return "\n".join([*(str(finding) for finding in result.findings), summary + "."])


def phi_status(result: Scan) -> int:
    """Return the exit status: 2 if some file could not be read, 1 if something was found, else 0."""
    if result.unreadable:
        return 2
    return 1 if result.findings else 0


def one_year_before(day: datetime.date) -> datetime.date:
    """Return the same day one year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def as_date(value) -> datetime.date | None:
    """Return a source's date as a date: a full date as it is, a year or a year and month as its first day."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    found = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(value).strip()) if data.present(value) else None
    try:
        return datetime.date(int(found[1]), int(found[2] or 1), int(found[3] or 1)) if found else None
    except ValueError:
        return None


def source_dates() -> dict[str, tuple[datetime.date, str]]:
    """Return each source's date and date kind by id, from data/sources.csv (sources without a date left out)."""
    dated = {}
    for row in data.load("sources").itertuples(index=False):
        day = as_date(row.date)
        if day is not None:
            dated[row.id] = (day, row.date_kind)
    return dated


def table_currency(name: str, today: datetime.date, dated: dict | None = None) -> dict:
    """Return one table's currency: its oldest cited source, low-confidence rows and rows older than a year.

    A row's fact is as recent as the newest source it cites; it is older than a year when that source is dated
    before the same day a year before ``today``.
    """
    dated = source_dates() if dated is None else dated
    frame = data.load(name)
    cited = [sorted((dated[sid][0], sid) for sid in split_ids(cell) if sid in dated) for cell in frame["source"]]
    oldest_day, oldest_id = min((pair for row in cited for pair in row), default=(None, None))
    newest = [row[-1][0] for row in cited if row]
    cutoff = one_year_before(today)
    return {"table": name, "rows": len(frame), "oldest_source": oldest_id,
            "oldest_date": oldest_day.isoformat() if oldest_day else None,
            "oldest_kind": dated[oldest_id][1] if oldest_id else None,
            "low_confidence": int((frame["confidence"] == "L").sum()) if "confidence" in frame else None,
            "older_than_a_year": sum(day < cutoff for day in newest), "undated_rows": len(frame) - len(newest)}


def _totals(tables: list[dict]) -> dict:
    """Return the headline numbers across tables: rows, the oldest cited source, low-confidence and old rows."""
    oldest = min((table for table in tables if table["oldest_date"]),
                 key=lambda table: (table["oldest_date"], table["oldest_source"]), default=None)
    return {"tables": len(tables), "rows": sum(table["rows"] for table in tables),
            "low_confidence": sum(table["low_confidence"] or 0 for table in tables),
            "older_than_a_year": sum(table["older_than_a_year"] for table in tables),
            "oldest_source": oldest and oldest["oldest_source"], "oldest_date": oldest and oldest["oldest_date"],
            "oldest_kind": oldest and oldest["oldest_kind"], "oldest_table": oldest and oldest["table"]}


def currency_report(today: datetime.date | None = None) -> dict:
    """Return the currency of every table whose rows cite sources, and the totals (what --format json prints)."""
    today = today or datetime.date.today()
    dated = source_dates()
    tables = [table_currency(name, today, dated) for name, table in data.TABLES.items() if table.sourced]
    return {"today": today.isoformat(), "older_than_a_year_means_before": one_year_before(today).isoformat(),
            "tables": tables, "totals": _totals(tables)}


SUMMARY_COLUMNS = {"table": "table", "rows": "rows", "oldest_source": "oldest source", "oldest_date": "oldest date",
                   "oldest_kind": "date kind", "low_confidence": "low confidence",
                   "older_than_a_year": "older than a year"}
"""The report's fields a summary shows, with their labels."""


def _summary_frame(report: dict) -> pd.DataFrame:
    """Return a report's tables as a DataFrame with labelled columns."""
    return pd.DataFrame(report["tables"])[list(SUMMARY_COLUMNS)].rename(columns=SUMMARY_COLUMNS)


def currency_summary(today: datetime.date | None = None) -> pd.DataFrame:
    """Return one row per table: its rows, oldest source and date, low-confidence rows and rows older than a year.

    Pass a fixed ``today`` where the result is stored (a notebook's output), so it does not change by the day.
    """
    return _summary_frame(currency_report(today))


def currency_headline(report: dict) -> str:
    """Return the report's totals as one sentence."""
    totals = report["totals"]
    return (f"{_plural(totals['tables'], 'table')}, {_plural(totals['rows'], 'row')}: the oldest source cited is "
            f"{totals['oldest_source']} ({totals['oldest_date']}, {totals['oldest_kind']}) in "
            f"{totals['oldest_table']}; "
            f"{totals['low_confidence']} rated low confidence; {totals['older_than_a_year']} whose newest source is "
            f"dated before {report['older_than_a_year_means_before']}.")


def currency_text(report: dict) -> str:
    """Return the report as a readable table with a heading and the totals."""
    heading = (f"Fact currency on {report['today']}: a row is older than a year when the newest source it cites is "
               f"dated before {report['older_than_a_year_means_before']}.")
    return "\n".join([heading, "", _summary_frame(report).to_string(index=False), "", currency_headline(report)])


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, with exit status 2."""

    def error(self, message):
        """Print the problem on one line and exit with status 2."""
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _day(text: str) -> datetime.date:
    """Return a YYYY-MM-DD argument as a date (argparse reports anything else as a usage error)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD")


def _parser() -> argparse.ArgumentParser:
    """Return the command line's parser: the phi and currency subcommands."""
    parser = _Parser(prog="python -m helpers.audit",
                     description="Audit the course's files: identifiers that look real, and how current facts are.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{phi,currency}")
    phi = commands.add_parser("phi", help="find text that looks like a real person's identifier",
                              description=f"Find identifiers that look real; deliberate fictional values are listed "
                                          f"in data/{ALLOW_LIST}. Writes nothing.")
    phi.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                     help="files or folders to search (default: notebooks, data, examples and build/)")
    currency = commands.add_parser("currency", help="report how current each data table's facts are")
    currency.add_argument("--today", type=_day, default=None, metavar="YYYY-MM-DD",
                          help="the day to measure age from (default: today)")
    currency.add_argument("--format", choices=("table", "json"), default="table", help="how to print (table)")
    return parser


def _run_phi(paths_named: list[Path]) -> int:
    """Run ``phi`` on the paths named (the course's files if none) and return its exit status."""
    missing = [path for path in paths_named if not path.exists()]
    if missing:
        print(f"python -m helpers.audit phi: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    try:
        allowed = load_allowed()
    except AllowListError as error:
        print(error, file=sys.stderr)
        return 2
    result = scan(paths_named or None, allowed)
    for message in result.unreadable:
        print(message, file=sys.stderr)
    print(phi_report(result))
    return phi_status(result)


def _run_currency(today: datetime.date | None, form: str) -> int:
    """Run ``currency`` and return its exit status (2 if the data does not validate)."""
    try:
        report = currency_report(today)
    except data.DataError as error:
        print(error, file=sys.stderr)
        return 2
    print(json.dumps(report, indent=1) if form == "json" else currency_text(report))
    return 0


def main(argv=None) -> int:
    """Run the command line and return its exit status."""
    args = _parser().parse_args(argv)
    if args.command == "phi":
        return _run_phi(args.paths)
    return _run_currency(args.today, args.format)


if __name__ == "__main__":
    sys.exit(main())
