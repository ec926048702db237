"""The audits: each identifier detector finds real-looking values and stays quiet on look-alikes; the allow-list;
the course as shipped has no finding; the command line's messages and exit codes; fact currency against the CSVs.

Every identifier below is made up for these tests and written only to temporary folders.
"""

import csv
import datetime
import json
import re
import subprocess
import sys

import pytest

from helpers import audit, data, paths

TODAY = datetime.date(2026, 12, 1)
LATER = datetime.date(2027, 12, 1)
FOUND_LINE = re.compile(r"^.+:\d+: (ssn|phone|email|dob|mrn|npi|mbi): .+ \(.+\)$")


def run(*args, cwd=None):
    """Run ``python -m helpers.audit`` with arguments and return the completed process."""
    return subprocess.run([sys.executable, "-m", "helpers.audit", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or paths.repo_root())


def found_in(tmp_path, text, name="notes.txt", allowed=None):
    """Write ``text`` to a temporary file and return the scan of it (nothing allowed unless given)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return audit.scan([path], allowed or {})


def cms_npi_check_digit(first_nine: str) -> int:
    """Return the NPI check digit the way CMS describes it: double alternate digits from the right, add 24."""
    total = 24
    for position, digit in enumerate(int(character) for character in reversed(first_nine)):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled // 10 + doubled % 10
    return (10 - total % 10) % 10


# --- the detectors -------------------------------------------------------------------------------------------------

FOUND = [
    ("ssn", "Patient SSN 123-45-6789 on the intake form.", "123-45-6789"),
    ("ssn", "ssn,536-22-1487,guarantor", "536-22-1487"),
    ("phone", "Call (312) 555-2368 to reschedule.", "(312) 555-2368"),
    ("phone", "cell 312-555-2368", "312-555-2368"),
    ("phone", "fax 312.555.2368", "312.555.2368"),
    ("phone", "home +1 312-555-2368", "+1 312-555-2368"),
    ("email", "Send the records to r.quinlan@northvale-clinic.com today.", "r.quinlan@northvale-clinic.com"),
    ("dob", "DOB: 03/14/1957", "03/14/1957"),
    ("dob", "Jane Roe, date of birth 1957-03-14, seen today", "1957-03-14"),
    ("dob", "She was born on March 14, 1957.", "March 14, 1957"),
    ("dob", "NM1*IL*1*ROE*JANE~ DMG*D8*19570314*F~", "19570314"),
    ("mrn", "MRN: 00482913", "00482913"),
    ("mrn", "medical record number 4471902", "4471902"),
    ("mrn", "chart # 55231", "55231"),
    ("npi", "Rendering NPI 1987654328", "1987654328"),
    ("npi", "npi,2468013570", "2468013570"),
    ("npi", "NM1*85*2*PRACTICE*****XX*1234567893~", "1234567893"),
    ("mbi", "MBI 1EG4-TE5-MK73 (CMS's published example)", "1EG4-TE5-MK73"),
    ("mbi", "member id 1EG4TE5MK73", "1EG4TE5MK73"),
]


@pytest.mark.parametrize("kind, text, value", FOUND)
def test_each_detector_finds_a_real_looking_value_in_a_file(tmp_path, kind, text, value):
    result = found_in(tmp_path, f"first line\n{text}\n")
    assert [(f.kind, f.value, f.line) for f in result.findings] == [(kind, value, 2)]
    assert result.files == 1 and result.allowed == []


QUIET = [
    ("an SSN with area 000", "000-12-3456"),
    ("an SSN with area 666", "666-12-3456"),
    ("an SSN with area 9xx", "912-34-5678"),
    ("an SSN with group 00", "123-00-4567"),
    ("an SSN with serial 0000", "123-45-0000"),
    ("an SSN the SSA voided", "078-05-1120"),
    ("a fictional 555-01xx number", "(312) 555-0123 or 312-555-0199"),
    ("an N11 service code as area code", "911-555-2368"),
    ("an area code with a middle 9", "296-555-2368"),
    ("a phone number written with spaces only", "312 555 2368"),
    ("an address at a reserved domain", "billing@example.org, a@clinic.example, b@mail.test"),
    ("a file name with @", "icon@2x.png"),
    ("an NDC", "NDC 00023-3921-02 and 00023114501"),
    ("ICD-10 codes and CPT ranges", "G51.31, G24.5, 99211-99215"),
    ("dollar amounts", "$1,234.56 and $1234567890.00"),
    ("a date of service", "date of service 03/14/2026"),
    ("a date in a citation", "published 2019-11-01; effective 2026-01-01"),
    ("a year of birth only", "born in 1957"),
    ("an NPI that fails its check digit", "NPI 1234567890"),
    ("ten digits that start with 3", "3234567893"),
    ("a decimal number", "1987654328.5"),
    ("an MBI with a letter CMS does not use", "1SG4-TE5-MK73 and 1EG4-TO5-MK73"),
    ("an MBI with one dash", "1EG4-TE5MK73"),
    ("a placeholder MRN", "MRN 0000"),
    ("a web address with long numbers", "https://www.law.com/nationallawjournal/almID/1202590454199/"),
    ("a hash", "da06b3ac5d039060e7c4027d6e11358478807820 and 7fdadaa15394fccc"),
    ("base64 picture data", '<img src="data:image/png;base64,iVBOR+1987654328/DOBx03/14/1957+1EG4TE5MK73==">'),
    ("a bare base64 run", '"state": "AAAAQ29tbW9u+1987654328/bGluZSBvZiBiYXNlNjQ+1EG4TE5MK73+dGV4dA=="'),
]


@pytest.mark.parametrize("why, text", QUIET, ids=[why for why, _ in QUIET])
def test_look_alikes_are_not_reported(tmp_path, why, text):
    assert found_in(tmp_path, text).findings == []


def test_the_npi_check_digit_is_luhn_with_the_80840_prefix():
    assert audit.npi_check_digit_valid("1234567893")  # the standard test NPI
    for number in ("1987654328", "2468013570", "1567890128"):
        assert audit.npi_check_digit_valid(number)
        assert int(number[-1]) == cms_npi_check_digit(number[:9])
    for number in ("1234567890", "1234567894", "3234567893", "123456789", "12345678931", "12345678x3"):
        assert not audit.npi_check_digit_valid(number)


def test_a_number_after_mrn_is_reported_once_as_an_mrn():
    assert [kind for kind, _, _ in audit.identifiers_in("MRN 1234567893")] == ["mrn"]


def test_a_notebook_is_searched_by_what_a_reader_sees_not_its_pictures(tmp_path):
    picture = "iVBORw0KGgo+1987654328/AAAA"
    notebook = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Intake\n", "Call (312) 555-2368.\n"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["show()"], "outputs": [
            {"output_type": "display_data", "metadata": {},
             "data": {"image/png": picture, "text/plain": ["<Figure>\n", "r.quinlan@northvale-clinic.com"]}}]},
        {"cell_type": "markdown", "metadata": {}, "source": ["![x](attachment:x.png)"],
         "attachments": {"x.png": {"image/png": picture}}}],
        "metadata": {"course_build": {"cells": "7fdadaa15394fccc"}}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(notebook, indent=1)
    result = found_in(tmp_path, text, "lesson.ipynb")
    lines = text.split("\n")
    expected = {("phone", next(n for n, line in enumerate(lines, 1) if "555-2368" in line)),
                ("email", next(n for n, line in enumerate(lines, 1) if "northvale" in line))}
    assert {(f.kind, f.line) for f in result.findings} == expected


def test_a_notebook_that_is_not_json_is_searched_as_text(tmp_path):
    result = found_in(tmp_path, "{ not json\nSSN 123-45-6789\n", "broken.ipynb")
    assert [(f.kind, f.line) for f in result.findings] == [("ssn", 2)]


# --- the allow-list ------------------------------------------------------------------------------------------------

def test_an_allow_listed_value_is_counted_not_reported(tmp_path):
    allow = tmp_path / "allow.csv"
    allow.write_text("kind,value,why\nnpi,1987654328,made up for this test\nphone,3125552368,made up\n",
                     encoding="utf-8")
    allowed = audit.load_allowed(allow)
    result = found_in(tmp_path, "NPI 1987654328\nNPI 2468013570\ntel +1 (312) 555-2368\n", allowed=allowed)
    assert [f.value for f in result.findings] == ["2468013570"]
    assert [f.value for f in result.allowed] == ["1987654328", "+1 (312) 555-2368"]


@pytest.mark.parametrize("content, words", [
    ("value,kind,why\n", "the first line must be the header kind,value,why"),
    ("kind,value,why\nssn,123-45-6789,a test\nfax,3125552368,a test\n", "line 3: 'fax' is not a kind"),
    ("kind,value,why\nnpi,1987654328,\n", "line 2: an entry needs its value and why it is allowed"),
])
def test_a_broken_allow_list_is_named_with_its_line(tmp_path, content, words):
    allow = tmp_path / "allow.csv"
    allow.write_text(content, encoding="utf-8")
    with pytest.raises(audit.AllowListError, match=re.escape(words)):
        audit.load_allowed(allow)


def test_the_command_line_refuses_a_broken_allow_list(tmp_path, monkeypatch, capsys):
    (tmp_path / audit.ALLOW_LIST).write_text("kind,value,why\nfax,3125552368,a test\n", encoding="utf-8")
    monkeypatch.setenv(paths.DATA_DIR_VARIABLE, str(tmp_path))
    (tmp_path / "notes.txt").write_text("nothing here\n", encoding="utf-8")
    assert audit.main(["phi", str(tmp_path / "notes.txt")]) == 2
    assert "phi_allow.csv, line 2: 'fax' is not a kind" in capsys.readouterr().err


def test_every_allow_list_entry_is_a_kind_with_a_reason():
    rows = list(csv.DictReader((paths.repo_root() / "data" / audit.ALLOW_LIST).open(encoding="utf-8")))
    print(f"{len(rows)} allow-list entries")
    assert rows and all(row["kind"] in audit.KINDS and len(row["why"]) > 20 for row in rows)


# --- the course as shipped -----------------------------------------------------------------------------------------

def test_the_course_as_shipped_has_no_finding_and_uses_every_allow_list_entry():
    result = audit.scan()
    print(f"count: patient-data audit: scanned {result.files} files: {len(result.findings)} findings, {len(result.allowed)} allowed")
    assert result.findings == [], "\n".join(map(str, result.findings))
    assert result.unreadable == []
    assert result.files >= len(list(paths.notebooks_dir().glob("*.ipynb"))) + len(data.TABLES)
    used = {audit.compared(f.kind, f.value) for f in result.allowed}
    assert used == set(audit.load_allowed()), "an allow-list entry no file uses: remove it"


def test_the_default_search_covers_notebooks_data_quiz_banks_and_examples():
    searched = {paths.shown(path) for path in audit.files_to_search(audit.default_targets())}
    assert {"notebooks/00_start_here.ipynb", "data/cases.yaml", "data/quizzes/00_start_here.yaml",
            "data/sources.csv", "examples/claims/two-claims.837"} <= searched
    assert f"data/{audit.ALLOW_LIST}" not in searched
    assert not any(name.endswith((".png", ".pdf")) or "/." in name for name in searched)


def test_the_command_line_passes_on_the_course():
    result = run("phi")
    print(result.stdout.splitlines()[-1])
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"Scanned \d+ files: 0 findings, \d+ allowed by data/phi_allow.csv\.\n", result.stdout)


# --- the command line ----------------------------------------------------------------------------------------------

def test_the_command_line_exits_0_when_clean_and_1_with_findings(tmp_path):
    (tmp_path / "clean.md").write_text("Botox 100 units, J0585 x 100, NDC 00023-1145-01\n", encoding="utf-8")
    (tmp_path / "leak.csv").write_text("name,ssn\nRoe,536-22-1487\n", encoding="utf-8")
    clean = run("phi", tmp_path / "clean.md")
    assert clean.returncode == 0 and "Scanned 1 file: 0 findings" in clean.stdout
    leak = run("phi", tmp_path)
    lines = leak.stdout.splitlines()
    assert leak.returncode == 1, leak.stdout + leak.stderr
    assert lines[0].endswith("leak.csv:2: ssn: 536-22-1487 (Social Security number with an area, group and serial "
                             "the SSA issues)")
    assert all(FOUND_LINE.match(line) for line in lines[:-1])
    assert lines[-1].startswith("Scanned 2 files: 1 finding, 0 allowed")


def test_a_value_allow_listed_in_the_course_data_passes_the_command_line(tmp_path, data_copy):
    (tmp_path / "claim.txt").write_text("NPI 1987654328\n", encoding="utf-8")
    assert run("phi", tmp_path / "claim.txt").returncode == 1
    with (data_copy / audit.ALLOW_LIST).open("a", encoding="utf-8") as handle:
        handle.write("npi,1987654328,made up for this test\n")
    result = run("phi", tmp_path / "claim.txt")
    assert result.returncode == 0 and "0 findings, 1 allowed" in result.stdout


@pytest.mark.parametrize("args, words", [
    (["nope"], "invalid choice: 'nope'"),
    ([], "required"),
    (["phi", "--bogus"], "unrecognized arguments: --bogus"),
    (["phi", "no/such/file.ipynb"], "no such file or folder: no/such/file.ipynb"),
    (["currency", "--today", "2026-13-01"], "'2026-13-01' is not a date written YYYY-MM-DD"),
    (["currency", "--today", "20261201"], "'20261201' is not a date written YYYY-MM-DD"),
    (["currency", "--format", "xml"], "invalid choice: 'xml'"),
])
def test_bad_usage_exits_2_with_one_line_and_no_traceback(args, words):
    result = run(*args)
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_binary_and_non_utf8_files_get_a_message_not_a_traceback(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 menu, MRN 4471902\n".encode("latin-1"))
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    named = run("phi", tmp_path / "latin1.txt", tmp_path / "picture.png")
    assert named.returncode == 2 and "Traceback" not in named.stderr
    assert "latin1.txt: not searched: it is not UTF-8 text" in named.stderr
    assert "picture.png: not searched: it is not UTF-8 text" in named.stderr
    assert "Scanned 0 files: 0 findings, 0 allowed by data/phi_allow.csv, 2 not readable." in named.stdout
    folder = run("phi", tmp_path)  # a folder search skips pictures by their suffix
    assert "picture.png" not in folder.stderr and "latin1.txt" in folder.stderr


def test_the_search_writes_nothing(tmp_path):
    (tmp_path / "notes.md").write_text("SSN 536-22-1487\n", encoding="utf-8")
    before = sorted(path.name for path in tmp_path.rglob("*"))
    assert run("phi", tmp_path, cwd=tmp_path).returncode == 1
    assert sorted(path.name for path in tmp_path.rglob("*")) == before


# --- fact currency -------------------------------------------------------------------------------------------------

def read_csv(name):
    """Return a data file's rows as dicts, read with the csv module (independent of helpers.data)."""
    with (paths.data_dir() / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def independent_currency(today):
    """Return {table: (oldest (date, id), low-confidence rows, rows whose newest source is a year old)} from CSVs."""
    dates = {row["id"]: row["date"] for row in read_csv("sources")}
    cutoff = today.replace(year=today.year - 1).isoformat()
    found = {}
    for name, table in data.TABLES.items():
        if not table.sourced:
            continue
        rows = read_csv(name)
        cited = [sorted((dates[i.strip()], i.strip()) for i in row["source"].split(";") if i.strip()) for row in rows]
        found[name] = (min(pair for row in cited for pair in row), sum(row["confidence"] == "L" for row in rows),
                       sum(row[-1][0] < cutoff for row in cited))
    return found


def test_currency_names_a_known_oldest_source():
    report = audit.currency_report(TODAY)
    tables = {table["table"]: table for table in report["tables"]}
    assert (tables["clinical_facts"]["oldest_source"], tables["clinical_facts"]["oldest_date"]) == \
        ("pubmed-3970122", "1985-02-15")
    assert tables["clinical_facts"]["oldest_kind"] == "published"
    assert report["totals"]["oldest_source"] == "pubmed-3970122"
    assert report["older_than_a_year_means_before"] == "2025-12-01"


def test_currency_agrees_with_counts_made_from_the_csv_files():
    report = audit.currency_report(TODAY)
    expected = independent_currency(TODAY)
    print(f"{report['totals']['low_confidence']} low-confidence rows, "
          f"{report['totals']['older_than_a_year']} older than a year on {TODAY}")
    assert [table["table"] for table in report["tables"]] == list(expected)
    for table in report["tables"]:
        (oldest_date, oldest_id), low, old = expected[table["table"]]
        assert (table["oldest_date"], table["oldest_source"]) == (oldest_date, oldest_id), table["table"]
        assert (table["low_confidence"], table["older_than_a_year"]) == (low, old), table["table"]
    assert report["totals"]["low_confidence"] == sum(low for _, low, _ in expected.values()) > 0


def test_moving_today_forward_makes_more_facts_older_than_a_year():
    now, later = audit.currency_report(TODAY), audit.currency_report(LATER)
    print(f"older than a year: {now['totals']['older_than_a_year']} on {TODAY}, "
          f"{later['totals']['older_than_a_year']} on {LATER}")
    assert later["totals"]["older_than_a_year"] > now["totals"]["older_than_a_year"]
    for before, after in zip(now["tables"], later["tables"]):
        assert after["older_than_a_year"] >= before["older_than_a_year"]
        assert after["low_confidence"] == before["low_confidence"]


def test_a_fact_dated_exactly_a_year_before_today_is_not_yet_older_than_a_year():
    dates = {row["id"]: row["date"] for row in read_csv("sources")}
    newest = [max(dates[i.strip()] for i in row["source"].split(";")) for row in read_csv("icd10")]
    day = datetime.date.fromisoformat(min(newest))
    a_year_on = day.replace(year=day.year + 1)
    on_the_day = audit.table_currency("icd10", a_year_on)["older_than_a_year"]
    next_day = audit.table_currency("icd10", a_year_on + datetime.timedelta(days=1))["older_than_a_year"]
    assert next_day - on_the_day == newest.count(min(newest)) > 0


def test_the_summary_for_a_notebook_has_one_row_per_table():
    summary = audit.currency_summary(TODAY)
    assert list(summary.columns) == list(audit.SUMMARY_COLUMNS.values())
    assert list(summary["table"]) == [name for name, table in data.TABLES.items() if table.sourced]
    assert summary.set_index("table").at["clinical_facts", "oldest source"] == "pubmed-3970122"


def test_the_currency_command_prints_a_table_and_json():
    text = run("currency", "--today", TODAY)
    assert text.returncode == 0, text.stderr
    assert "Fact currency on 2026-12-01" in text.stdout and "pubmed-3970122 (1985-02-15, published)" in text.stdout
    machine = run("currency", "--today", TODAY, "--format", "json")
    assert json.loads(machine.stdout) == json.loads(json.dumps(audit.currency_report(TODAY)))


def test_currency_refuses_data_that_does_not_validate(data_copy, edit, capsys):
    edit(data_copy / "sources.csv", ",published,H,", ",published,X,")
    assert audit.main(["currency", "--today", str(TODAY)]) == 2
    assert "sources.csv" in capsys.readouterr().err


@pytest.mark.parametrize("value, expected", [
    (datetime.date(2024, 5, 6), datetime.date(2024, 5, 6)), ("2024-05-06", datetime.date(2024, 5, 6)),
    ("2024-05", datetime.date(2024, 5, 1)), ("2024", datetime.date(2024, 1, 1)), (None, None), ("n.d.", None),
    ("2024-13", None),
])
def test_partial_and_missing_source_dates(value, expected):
    assert audit.as_date(value) == expected


def test_one_year_before_a_leap_day_is_the_28th_of_february():
    assert audit.one_year_before(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)
    assert audit.one_year_before(TODAY) == datetime.date(2025, 12, 1)
