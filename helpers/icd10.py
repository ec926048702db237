"""The ICD-10-CM release the course ships (from simple-icd-10-cm), loaded only when first needed."""

import functools
import importlib.util
import re
from pathlib import Path


@functools.cache
def _library():
    """Import simple-icd-10-cm on first use: it parses the whole classification (about 1.5 s)."""
    import simple_icd_10_cm

    return simple_icd_10_cm


def _data_files() -> list[str]:
    """Return the names of the files the package ships, found without importing it (importing parses the release)."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return [path.name for path in folder.iterdir()]


@functools.cache
def release() -> str:
    """Return the name of the shipped ICD-10-CM release, e.g. 'April 1, 2026'."""
    names = _data_files()
    for name in names:
        found = re.search(r"tabular-([A-Za-z]+)-(\d{1,2})-(\d{4})\.xml$", name)
        if found:
            month, day, year = found.groups()
            return f"{month} {int(day)}, {year}"
    return "unknown release"


def exists(code: str) -> bool:
    """Return True if ``code`` is a code or category in the shipped release."""
    return bool(code) and _library().is_valid_item(code)


def billable(code: str) -> bool:
    """Return True if ``code`` is a leaf code (no children), the library's proxy for billable."""
    return exists(code) and _library().is_leaf(code)


def title(code: str) -> str:
    """Return the official title of ``code``."""
    return _library().get_description(code)


def children(code: str) -> list[str]:
    """Return the codes directly under ``code``."""
    return list(_library().get_children(code))


def missing_children(code: str, listed) -> list[str]:
    """Return the codes directly under a category that ``listed`` lacks (none for a billable code)."""
    return [child for child in children(code) if child not in set(listed)] if exists(code) else []


def problems(code: str | None, expected_title: str | None, expected_billable: bool):
    """Yield (column, message) for each way a data row disagrees with the shipped release."""
    if not code:
        return
    if not exists(code):
        yield "code", f"'{code}' is not an ICD-10-CM code in the {release()} release"
        return
    if expected_title is not None and title(code) != expected_title:
        yield "title", f"'{expected_title}' is not the official title of {code}: '{title(code)}'"
    if billable(code) != expected_billable:
        actual = "billable" if billable(code) else "a category (not billable)"
        yield "billable", f"{code} is {actual} in the {release()} release"
