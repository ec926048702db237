"""Facts stay honest: what a notebook shows traces to sourced data, and every source can be opened and dated.

- Every source id a notebook's output links to is in that notebook's references, where its address is shown.
- Every number a notebook shows that data/ also holds is held by a sourced row (one with a source id that
  resolves), never only by a table that cites nothing.
- Every source has a well-formed web address (http or https, a host name with a dot, nothing that needs
  escaping) and a date.
"""

import json
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

import pytest

from helpers import course, data

NOTEBOOKS = course.notebook_paths()
LINKED_SOURCE = re.compile(r'<a href="#ref-([a-z0-9-]+)">')
REFERENCE_ROW = re.compile(r'<tr id="ref-([a-z0-9-]+)">')
NUMBER = re.compile(r"(?<![\w.-])\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w-])")


def _outputs(path) -> list[str]:
    """Return the HTML and text of every output of a notebook."""
    shown = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            bundle = output.get("data", {})
            shown += ["".join(bundle.get(kind, "")) for kind in ("text/html", "text/plain") if kind in bundle]
    return shown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_linked_source_is_in_the_notebooks_references(path):
    shown = "\n".join(_outputs(path))
    linked, listed = set(LINKED_SOURCE.findall(shown)), set(REFERENCE_ROW.findall(shown))
    known = set(data.load("sources")["id"])
    assert linked <= listed, sorted(linked - listed)
    assert listed <= known, sorted(listed - known)


def _values(sourced: bool) -> set[Decimal]:
    """Return every number held by the sourced tables (or by the tables that cite nothing)."""
    found = set()
    for name, table in data.TABLES.items():
        if table.sourced != sourced or name == "sources":
            continue
        frame = data.load(name)
        if sourced:
            frame = frame[frame["source"].astype(str).str.strip() != ""]
        for column in frame.select_dtypes("number").columns:
            found |= {Decimal(str(value)).normalize() for value in frame[column].dropna()}
    return found


def _numbers(text: str) -> set[Decimal]:
    """Return the numbers written in a text (dollar signs and thousands separators dropped)."""
    numbers = set()
    for whole, fraction in NUMBER.findall(re.sub(r"<[^>]+>", " ", text)):
        try:
            numbers.add(Decimal(whole.replace(",", "") + fraction).normalize())
        except InvalidOperation:
            continue
    return numbers


def _dated_sources() -> set[str]:
    """Return the ids of the sources that have a web address and a date."""
    sources = data.load("sources")
    return set(sources.loc[sources["url"].str.startswith("http") & sources["date"].notna(), "id"])


def _rows_holding(value: Decimal) -> list[tuple[str, str]]:
    """Return (table, source cell) for every row of a sourced table that holds ``value`` in a number column."""
    found = []
    for name, table in data.TABLES.items():
        if not table.sourced:
            continue
        frame = data.load(name)
        for column in frame.select_dtypes("number").columns:
            matches = frame[frame[column].map(lambda cell: data.present(cell) and Decimal(str(cell)) == value)]
            found += [(name, str(cell)) for cell in matches["source"]]
    return found


def test_every_number_shown_that_data_holds_traces_to_a_row_whose_sources_resolve():
    sourced, unsourced = _values(True), _values(False)
    shown = set().union(*(_numbers(text) for path in NOTEBOOKS for text in _outputs(path)))
    traced = sorted(shown & sourced)
    dated = _dated_sources()
    untraceable = [value for value in traced
                   if not any(ids and set(re.split(r"\s*;\s*", ids)) <= dated for _, ids in _rows_holding(value))]
    orphans = sorted((shown & unsourced) - sourced)
    print(f"\ncount: facts: {len(shown)} distinct numbers shown, {len(traced)} held by data rows, each traced to a row "
          f"whose sources all have an address and a date ({len(untraceable)} not); {len(orphans)} held only by "
          "tables that cite nothing")
    assert untraceable == [] and orphans == [] and len(traced) > 100


def test_a_number_held_only_by_a_row_without_a_resolvable_source_is_caught(monkeypatch):
    value = Decimal("33.4009")
    assert _rows_holding(value)
    monkeypatch.setattr(__import__(__name__), "_rows_holding", lambda _: [("conversion_factors", "no-such-source")])
    dated = _dated_sources()
    assert not any(set(re.split(r"\s*;\s*", ids)) <= dated for _, ids in _rows_holding(value))


def test_every_source_has_a_well_formed_address_and_a_date():
    sources = data.load("sources")
    bad = []
    for row in sources.itertuples():
        parts = urlsplit(row.url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or "." not in host or re.search(r"[\s<>\"{}|\\^`]", row.url):
            bad.append(f"{row.id}: {row.url}")
        if row.date is None or str(row.date) in ("", "NaT", "None"):
            bad.append(f"{row.id}: no date")
    print(f"\ncount: sources: {len(sources)} checked, {len(bad)} with a bad address or no date")
    assert bad == [] and len(sources) > 200


def test_the_number_and_address_checks_can_fail():
    assert _numbers("<td>$1,234.50</td> and 33.4009") == {Decimal("1234.5"), Decimal("33.4009")}
    assert not _numbers("G51.31 and cms-pprrvu-2026")
    assert urlsplit("javascript:alert(1)").scheme not in ("http", "https")
