"""The next-year drill: rolling the course to a new year is a data-only change.

A copy of the repository gains a 2027 conversion factor (both APM statuses), 2027 RVUs and 2027 GPCIs, all
made-up values marked as a drill. `python -m helpers.build --refresh --outputs` runs in the copy, and then the
lessons, the quizzes, the handout and the site must show 2027 as the fee-schedule year with amounts the copy's
calculator computes, no statement drawn from the fee-schedule year may still say 2026, and nbval must pass on
the rebuilt notebooks. Tables the drill does not roll (drug limits, deductibles, appeal amounts) keep their
newest year, and the lessons say so through their own dates.
"""

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from course_support import copy_repository, in_copy

pytestmark = pytest.mark.slow

DRILL_SOURCE = {"id": "drill-2027", "title": "Next-year drill: made-up 2027 values (tests/test_next_year.py)",
                "publisher": "The course's tests", "url": "https://example.org/drill-2027", "date": "2026-12-01",
                "date_kind": "published", "confidence": "L", "note": "Not a fact: values invented for the drill."}
DRILL_FACTORS = {"non-QP": "34.1234", "QP": "34.2901"}


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    """Return a CSV file's header and rows."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def _append(path: Path, rows: list[dict]) -> None:
    """Append rows to a CSV file in its own column order."""
    header, _ = _rows(path)
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, header, lineterminator="\n").writerows(rows)


def _roll(data: Path) -> None:
    """Add the drill's 2027 conversion factors, RVUs and GPCIs (copies of 2026 with made-up changes)."""
    _append(data / "sources.csv", [DRILL_SOURCE])
    _append(data / "conversion_factors.csv", [
        {"start": "2027-01-01", "end": "2027-12-31", "apm_status": status, "cf": factor, "source": "drill-2027",
         "confidence": "L", "note": "Drill: a made-up factor."} for status, factor in DRILL_FACTORS.items()])
    _, rvus = _rows(data / "pfs_rvu.csv")
    _append(data / "pfs_rvu.csv", [
        {**row, "year": "2027", "release": "Drill 2027 (made up)", "work": f"{float(row['work']) + 0.05:.2f}",
         "source": "drill-2027", "confidence": "L", "note": "Drill: 2026 values with 0.05 added to work."}
        for row in rvus if row["year"] == "2026"])
    _, gpcis = _rows(data / "gpci.csv")
    _append(data / "gpci.csv", [{**row, "year": "2027", "source": "drill-2027", "confidence": "L",
                                 "note": "Drill: the 2026 indices again."} for row in gpcis if row["year"] == "2026"])


def _run(copy: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run Python in the copy, with the copy's helpers first on the path (not the checkout's editable install)."""
    return subprocess.run([sys.executable, *args], cwd=copy, env=in_copy(copy), capture_output=True, text=True,
                          timeout=timeout)


def _computed(copy: Path) -> dict:
    """Return what the copy's own helpers say: the current year, the example date and the amounts they give."""
    script = ("import json; from helpers import current, fees, formatting as f\n"
              "day = current.session_date()\n"
              "print(json.dumps({'year': current.fee_year(), 'day': str(day), 'reference': str(fees.reference_date()),"
              " 'office': f.money(fees.medicare_payment('64612', day, '11', ['RT']).allowed),"
              " 'facility': f.money(fees.medicare_payment('64612', day, '22', ['RT']).fee_schedule_amount),"
              " 'bilateral': f.money(fees.medicare_payment('64612', fees.reference_date(), '11', ['50']).allowed),"
              " 'helpers': __import__('helpers').__file__}))")
    result = _run(copy, "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def drilled(tmp_path_factory):
    """Copy the repository, roll it to the drill year, build everything, and return the copy."""
    copy = copy_repository(tmp_path_factory.mktemp("drill") / "course")
    _roll(copy / "data")
    result = _run(copy, "-m", "helpers.build", "--refresh", "--outputs", "--jobs", "2")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return copy


def _cells(copy: Path, name: str) -> list[dict]:
    """Return a rebuilt notebook's cells."""
    return json.loads((copy / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]


def _shown(cell: dict) -> str:
    """Return what a cell shows: its source and the text and HTML of its outputs."""
    parts = ["".join(cell["source"])]
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        parts += ["".join(data.get(kind, "")) for kind in ("text/plain", "text/html", "text/markdown")]
        parts.append("".join(output.get("text", "")))
    return "\n".join(parts)


def test_the_copy_runs_its_own_helpers_and_rolls_to_the_drill_year(drilled):
    found = _computed(drilled)
    assert Path(found["helpers"]).resolve().is_relative_to(drilled.resolve())
    assert found["year"] == 2027 and found["day"].startswith("2027-") and found["reference"] == "2027-01-01"


def test_the_lessons_show_the_drill_year_with_recomputed_amounts(drilled):
    found = _computed(drilled)
    lesson_04 = "\n".join(_shown(cell) for cell in _cells(drilled, "04_medicare_payment"))
    assert "64612's RVUs in 2027 (national)" in lesson_04 and "Drill 2027 (made up)" in lesson_04
    assert found["office"] in lesson_04 and found["day"] in lesson_04
    lesson_02 = "\n".join(_shown(cell) for cell in _cells(drilled, "02_coding_the_procedure"))
    assert "CY2027 fee schedule" in lesson_02 and "CY2027 indicators" in lesson_02
    lesson_05 = "\n".join(_shown(cell) for cell in _cells(drilled, "05_payment_rules"))
    assert "The family in 2027" in lesson_05 and "64612 in the office, 2027, non-QP" in lesson_05


CASE_STUDIES = "09_case_studies"
"""Case studies are dated claims (data/cases.yaml): their dates are part of each story, like a remittance's."""


STATEMENTS_OF_THE_FEE_YEAR = re.compile(r"RVUs in 2026|CY2026 (fee schedule|indicators)|indicators in 2026|"
                                        r"The family in 2026|office, 2026, non-QP|\(2026, non-QP\)|"
                                        r"RVU table and the steps|in 2026 \(national\)")


def test_no_statement_drawn_from_the_fee_year_still_says_2026(drilled):
    stale = []
    lessons = [path for path in sorted((drilled / "notebooks").glob("*.ipynb")) if path.stem != CASE_STUDIES]
    for path in lessons:
        for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if "history" in cell["metadata"].get("tags", []):
                continue
            shown = _shown(cell)
            stale += [f"{path.name} cell {number}: {match.group(0)}"
                      for match in STATEMENTS_OF_THE_FEE_YEAR.finditer(shown) if "2026" in match.group(0)]
            stale += [f"{path.name} cell {number}: the 2026 example date" for _ in re.finditer(r"2026-03-02", shown)]
    assert stale == []


def test_the_quizzes_answer_keys_handout_and_site_follow(drilled):
    found = _computed(drilled)
    key_04 = (drilled / "build" / "instructor" / "answer-keys" / "04_medicare_payment.md").read_text(encoding="utf-8")
    assert "From the 2027 RVU table" in key_04 and f"**Answer:** {found['facility']}" in key_04
    assert "drill-2027" in key_04  # the computed answer cites the rows it was computed from
    handout = (drilled / "build" / "handouts" / "quick-reference.html").read_text(encoding="utf-8")
    assert "from 2027-01-01" in handout and found["bilateral"] in handout and "from 2026-01-01" not in handout
    site_05 = (drilled / "build" / "site" / "05_payment_rules.html").read_text(encoding="utf-8")
    assert "The family in 2027" in site_05 and "The family in 2026" not in site_05


def test_nbval_passes_on_the_rolled_course(drilled):
    result = _run(drilled, "-m", "pytest", "-p", "no:cacheprovider", "-q", "notebooks", "--nbval",
                  "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval-sanitize.cfg", timeout=1200)
    assert result.returncode == 0, result.stdout[-4000:]
    assert re.search(r"\d+ passed", result.stdout)
