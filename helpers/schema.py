"""Building blocks for the table schemas: typed columns with plain-language error messages."""

import re

import pandera.pandas as pa

CONFIDENCE = ("H", "M", "L")
YES_NO = ("yes", "no")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
CPT_CODE = r"^(\d{5}|\d{4}[FTU])$"
HCPCS_CODE = r"^[A-V]\d{4}$"
PROCEDURE_CODE = r"^(\d{5}|\d{4}[FTU]|[A-V]\d{4})$"
_ONE_CODE = r"(\d{5}|\d{4}[FTU]|[A-V]\d{4})"
CODE_SET = rf"^{_ONE_CODE}(-{_ONE_CODE})?(; {_ONE_CODE}(-{_ONE_CODE})?)*$"


def _in(values) -> pa.Check:
    """Return a check that a value is one of ``values``, naming them in its message."""
    listed = ", ".join(str(value) for value in values)
    return pa.Check.isin(list(values), error=f"is not one of: {listed}")


def _matches(pattern: str, description: str) -> pa.Check:
    """Return a check that a text value matches ``pattern``, described in words."""
    return pa.Check.str_matches(pattern, error=f"is not {description}")


def text(*, required: bool = True, one_of=None, pattern: str | None = None, like: str = "") -> pa.Column:
    """Return a text column, optionally limited to ``one_of`` or a regular-expression ``pattern``."""
    checks = []
    if one_of is not None:
        checks.append(_in(one_of))
    if pattern is not None:
        checks.append(_matches(pattern, like or f"in the form {pattern}"))
    return pa.Column(str, checks, nullable=not required)


def number(*, required: bool = True, minimum: float = 0.0) -> pa.Column:
    """Return a decimal-number column with a lower bound."""
    check = pa.Check.ge(minimum, error=f"must be {minimum:g} or more")
    return pa.Column(float, check, nullable=not required)


def whole(*, required: bool = True, one_of=None, minimum: int | None = None) -> pa.Column:
    """Return a whole-number column, optionally limited to ``one_of`` or a lower bound."""
    checks = []
    if one_of is not None:
        checks.append(_in(one_of))
    if minimum is not None:
        checks.append(pa.Check.ge(minimum, error=f"must be {minimum} or more"))
    return pa.Column("Int64", checks, nullable=not required)


def date(*, required: bool = True) -> pa.Column:
    """Return a date column written as YYYY-MM-DD (converted to a date after validation)."""
    return text(required=required, pattern=ISO_DATE, like="a date written YYYY-MM-DD")


def flag() -> pa.Column:
    """Return a yes/no column (converted to True/False after validation)."""
    return text(one_of=YES_NO)


def code(pattern: str = PROCEDURE_CODE) -> pa.Column:
    """Return a CPT or HCPCS code column."""
    return text(pattern=pattern, like="a CPT or HCPCS code (5 characters, e.g. 64612 or J0585)")


def fact_columns() -> dict:
    """Return the columns every fact table ends with: its source ids, confidence and a note."""
    return {
        "source": text(pattern=r"^[a-z0-9][a-z0-9-]*(; ?[a-z0-9][a-z0-9-]*)*$",
                       like="one or more source ids separated by ';'"),
        "confidence": text(one_of=CONFIDENCE),
        "note": text(required=False),
    }


def split_ids(cell: str) -> list[str]:
    """Split a ``source`` cell such as ``"a; b"`` into its ids."""
    return [part.strip() for part in re.split(r";", cell or "") if part.strip()]
