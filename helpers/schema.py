"""Building blocks for the table schemas: typed columns with plain-language error messages.

A column is plain data (its type, whether it is required, its allowed values or pattern, its lower bound);
``Column.check()`` turns it into a pandera column only when a table is validated, so loading tables that
were already validated never imports pandera.
"""

import re
from dataclasses import dataclass

CONFIDENCE = ("H", "M", "L")
YES_NO = ("yes", "no")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
CPT_CODE = r"^(\d{5}|\d{4}[FTU])$"
HCPCS_CODE = r"^[A-V]\d{4}$"
PROCEDURE_CODE = r"^(\d{5}|\d{4}[FTU]|[A-V]\d{4})$"
_ONE_CODE = r"(\d{5}|\d{4}[FTU]|[A-V]\d{4})"
CODE_SET = rf"^{_ONE_CODE}(-{_ONE_CODE})?(; {_ONE_CODE}(-{_ONE_CODE})?)*$"


@dataclass(frozen=True)
class Column:
    """One column's rules: its type ('text', 'number' or 'whole'), and what values it allows."""

    kind: str
    required: bool = True
    one_of: tuple = ()
    pattern: str | None = None
    like: str = ""
    minimum: float | None = None

    def check(self):
        """Return the pandera column that enforces these rules (pandera is imported only to validate)."""
        import pandera.pandas as pa  # slow to import, and needed only when a table is validated

        checks = []
        if self.one_of:
            listed = ", ".join(str(value) for value in self.one_of)
            checks.append(pa.Check.isin(list(self.one_of), error=f"is not one of: {listed}"))
        if self.pattern is not None:
            described = self.like or f"in the form {self.pattern}"
            checks.append(pa.Check.str_matches(self.pattern, error=f"is not {described}"))
        if self.minimum is not None:
            bound = f"{self.minimum:g}" if self.kind == "number" else f"{int(self.minimum)}"
            checks.append(pa.Check.ge(self.minimum, error=f"must be {bound} or more"))
        dtype = {"text": str, "number": float, "whole": "Int64"}[self.kind]
        return pa.Column(dtype, checks, nullable=not self.required)


def text(*, required: bool = True, one_of=None, pattern: str | None = None, like: str = "") -> Column:
    """Return a text column, optionally limited to ``one_of`` or a regular-expression ``pattern``."""
    return Column("text", required, tuple(one_of or ()), pattern, like)


def number(*, required: bool = True, minimum: float = 0.0) -> Column:
    """Return a decimal-number column with a lower bound."""
    return Column("number", required, minimum=minimum)


def whole(*, required: bool = True, one_of=None, minimum: int | None = None) -> Column:
    """Return a whole-number column, optionally limited to ``one_of`` or a lower bound."""
    return Column("whole", required, tuple(one_of or ()), minimum=minimum)


def date(*, required: bool = True) -> Column:
    """Return a date column written as YYYY-MM-DD (converted to a date after validation)."""
    return text(required=required, pattern=ISO_DATE, like="a date written YYYY-MM-DD")


def flag() -> Column:
    """Return a yes/no column (converted to True/False after validation)."""
    return text(one_of=YES_NO)


def code(pattern: str = PROCEDURE_CODE) -> Column:
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
