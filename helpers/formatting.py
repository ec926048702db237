"""How the course writes money, numbers, percentages, claim lines, source lists and confidence: one place each.

Every helper that shows one of these uses the functions here, so the course writes them the same way
everywhere (a lesson table, a quiz answer, a chart label, a checklist line).
"""

from decimal import Decimal

import pandas as pd

from helpers.schema import CONFIDENCE, split_ids

CONFIDENCE_WORDS = dict(zip(CONFIDENCE, ("high", "medium", "low")))
"""The confidence levels in words."""
CONFIDENCE_RANK = {"L": 0, "M": 1, "H": 2}
"""The confidence levels in order, lowest first."""


COLUMN_LABELS = {
    "pe": "PE", "mp": "MP", "cf": "CF", "mue": "MUE", "mai": "MAI", "mai_means": "what the MAI means",
    "hcpcs": "HCPCS", "pos": "POS", "mac": "MAC", "mac_locality": "MAC locality", "apm_status": "APM status",
    "pfs_rate": "PFS rate", "cms_short_descriptor": "CMS short descriptor", "pe_nonfacility": "PE (non-facility)",
    "pe_facility": "PE (facility)", "office_pe": "office PE", "facility_pe": "facility PE",
    "bilat_surg": "bilateral indicator", "mult_proc": "multiple-procedure indicator", "global_days": "global days",
    "column1": "column 1 code", "column2": "column 2 code(s)", "column2_description": "column 2",
    "supports_64612": "supports 64612", "ncci_setting": "NCCI setting", "rvu_confidence": "RVU confidence",
    "cf_confidence": "CF confidence", "add_on": "add-on",
}
"""Column names whose plain-words label is more than the name with spaces (abbreviations, indicators)."""


def column_label(name) -> str:
    """Return a table column's label in words ('units_per_billing_unit' -> 'units per billing unit')."""
    text = str(name)
    return COLUMN_LABELS.get(text, text.replace("_", " "))


def money(amount) -> str:
    """Return an amount as dollars and cents, such as $1,234.50."""
    return f"${amount:,.2f}"


def signed_money(amount) -> str:
    """Return an amount as dollars and cents with its sign, such as +$7.38."""
    return f"{'-' if amount < 0 else '+'}{money(abs(amount))}"


def _missing(value) -> bool:
    """Return True for a missing cell: None, not-a-number or pandas' NA."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value, places: int | None = None) -> str:
    """Return a number without trailing zeros and with thousands separators (1000.0 -> '1,000'); '' if missing.

    With ``places``, keep at least that many decimals (a Decimal 4.2 with places=2 -> '4.20'). A Decimal is
    always shown exactly (money arithmetic is exact); a float is shown to at most four decimals.
    """
    if _missing(value):
        return ""
    if places is None and isinstance(value, Decimal):
        places = 0
    if places is not None:
        value = Decimal(str(value)).normalize()
        return format(value, f",.{places}f") if -value.as_tuple().exponent < places else format(value, ",f")
    return f"{float(value):,.4f}".rstrip("0").rstrip(".")


def percent(factor) -> str:
    """Return a factor such as 1.5 as a percentage such as 150%."""
    return f"{number(Decimal(str(factor)) * 100)}%"


def amount(value, unit: str) -> str:
    """Return a number with its unit: (120.0, 'days') -> '120 days'."""
    return f"{number(value)} {unit}"


def claim_line(code: str, modifiers=(), units: int | None = None) -> str:
    """Return a claim line such as 64612-51-RT, or 64612-50 x 1 when the units are given."""
    line = "-".join((code, *modifiers))
    return line if units is None else f"{line} x {units}"


def sources_line(cells) -> str:
    """Return 'Sources: a; b' for source cells such as ['a; b', 'b'], each id once."""
    ids = dict.fromkeys(source_id for cell in cells for source_id in split_ids(str(cell)))
    return "Sources: " + "; ".join(ids)


def lowest(levels) -> str:
    """Return the lowest confidence among H/M/L levels ('' when there are none)."""
    levels = [level for level in levels if level in CONFIDENCE_RANK]
    return min(levels, key=CONFIDENCE_RANK.get) if levels else ""


def problem_report(problems, where: str) -> str:
    """Return 'N problem(s) in <where>:' and one indented line per problem (data and quiz-bank errors share it)."""
    items = [str(problem) for problem in problems]
    head = f"{len(items)} problem{'s' if len(items) != 1 else ''} in {where}:"
    return "\n".join([head, *(f"  - {item}" for item in items)])
