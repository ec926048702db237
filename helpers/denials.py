"""When a claim goes wrong: predictable denials and the ABN, remittance codes, appeal deadlines, audits.

Every answer is read from data (liability, remittance_codes, appeal_levels, appeal_thresholds, audits,
denial_cases); the functions only select, join and count days.
"""

import re
from datetime import date, timedelta

import pandas as pd

from helpers import data, fees
from helpers.formatting import money

GROUPS = ("CO", "PR", "OA", "PI", "CR")
"""The claim adjustment group codes: contractual obligation, patient responsibility, other, payer initiated,
correction."""
_GROUP = "|".join(GROUPS)
_REMARK = r"(?:MA|N|M)\d{1,3}"
_REASON = r"[A-Z]?\d{1,3}"
REMITTANCE_CODE = re.compile(rf"^(?:(?P<group>{_GROUP})(?:-?(?P<reason>{_REASON}))?|(?P<remark>{_REMARK})"
                             rf"|(?P<alone>{_REASON}))$")
"""A code as a remittance shows it: a group with a reason (CO-96, CO96), a group alone, a remark (N362), a reason."""
REMITTANCE_IN_TEXT = re.compile(rf"\b(?:(?:{_GROUP})-{_REASON}|{_REMARK})\b")
"""Group-and-reason codes (CO-96) and remark codes (N362) as they appear in a remittance line's words."""


def liability_table() -> pd.DataFrame:
    """Return the predictable-denial situations: the kind of denial, the notice, the modifier, who may pay."""
    return data.load("liability")[["situation", "denial_kind", "notice", "modifier", "patient_may_be_billed",
                                   "source", "confidence"]]


def remittance_table(code_set: str | None = None) -> pd.DataFrame:
    """Return the group, reason and remark codes the course explains, optionally one set of them."""
    codes = data.load("remittance_codes")
    if code_set is not None:
        codes = codes[codes["code_set"] == code_set]
    return codes[["code_set", "code", "meaning", "on_64612", "fix", "source", "confidence"]].reset_index(drop=True)


def _parts(text: str) -> list[str]:
    """Split a remittance line's codes on spaces, commas and semicolons, in upper case."""
    return [part for part in re.split(r"[\s,;]+", str(text).strip().upper()) if part]


def _meaning(code_set: str, code: str) -> dict | None:
    """Return the remittance_codes row for a code, or None when the course does not explain it."""
    row = data.lookup("remittance_codes", "code_set", "code").get((code_set, code))
    return None if row is None else dict(row)


def _explained(code_set: str, code: str) -> dict:
    """Return one explained code, or a row that says the course does not hold it."""
    row = _meaning(code_set, code)
    if row is None:
        return {"code": code, "kind": code_set, "meaning": "Not in the course's list: look it up in the X12 "
                "code lists or your payer's remittance guide.", "fix": "", "source": ""}
    return {"code": code, "kind": code_set, "meaning": row["meaning"], "fix": row["fix"] if data.present(row["fix"])
            else "", "source": row["source"]}


def explain(remittance: str) -> pd.DataFrame:
    """Return each code of a remittance line (such as 'CO-96 N362') with its meaning and fix, or refuse the rest."""
    parts = _parts(remittance)
    if not parts:
        raise ValueError("Type the codes from the remittance line, such as CO-96 N362.")
    wrong = [part for part in parts if not REMITTANCE_CODE.match(part)]
    if wrong:
        raise ValueError(f"Not a remittance code: {', '.join(wrong)}. Write a group and reason as CO-96, a reason "
                         "alone as 96, and a remark as N362.")
    rows = []
    for part in parts:
        found = REMITTANCE_CODE.match(part)
        if found["group"]:
            rows.append(_explained("group", found["group"]))
        if found["reason"] or found["alone"]:
            rows.append(_explained("CARC", found["reason"] or found["alone"]))
        if found["remark"]:
            rows.append(_explained("RARC", found["remark"]))
    return pd.DataFrame(rows)


def appeal_table(year: int) -> pd.DataFrame:
    """Return the five appeal levels with their filing limits and the year's amount in controversy."""
    year = int(year)
    levels = data.load("appeal_levels")
    thresholds = data.load("appeal_thresholds")
    thresholds = thresholds[thresholds["year"] == year].set_index("level")["amount"]
    if thresholds.empty:
        held = ", ".join(map(str, sorted(data.load("appeal_thresholds")["year"].unique())))
        raise ValueError(f"The course's data has no appeal amounts for {year}; it holds {held}.")
    levels["minimum amount"] = [money(thresholds[level]) if level in thresholds.index else "none"
                                for level in levels["level"]]
    levels["file within"] = [f"{days} days of {start}" for days, start in
                             zip(levels["filing_limit_days"], levels["counted_from"])]
    return levels[["level", "name", "decided_by", "file within", "minimum amount", "source", "confidence"]]


def redetermination_deadline(notice_date) -> date:
    """Return the last day to ask for a redetermination: receipt presumed days after the notice, then the limit."""
    notice = fees.parse_date(notice_date)
    level = data.lookup("appeal_levels", "level")[1]
    if not data.present(level["receipt_presumed_after_days"]):
        raise ValueError("data/appeal_levels.csv gives no presumed receipt (receipt_presumed_after_days) for "
                         "level 1, which the deadline needs.")
    presumed = int(level["receipt_presumed_after_days"])
    return notice + timedelta(days=presumed + int(level["filing_limit_days"]))


def audit_table() -> pd.DataFrame:
    """Return the reviews of botulinum-toxin claims: who runs each, its numbers and what it does."""
    audits = data.load("audits")
    audits["figure"] = [_figure(value, unit) for value, unit in zip(audits["value"], audits["unit"])]
    return audits[["program", "run_by", "measure", "figure", "detail", "source", "confidence"]]


def _figure(value, unit) -> str:
    """Return an audit figure in words: a share as a percentage, a count with its unit, or a dash."""
    if not data.present(value):
        return "-"
    if unit == "share":
        return f"{value * 100:g}%"
    return f"{value:g} {unit}"


def cases() -> pd.DataFrame:
    """Return the denial-detective cases: payer, setting, what was billed and what came back."""
    return data.load("denial_cases")


def case(case_id: str) -> dict:
    """Return one denial case by id, or raise naming the ids."""
    found = data.lookup("denial_cases", "id").get(case_id)
    if found is None:
        raise ValueError(f"No denial case '{case_id}'. Cases: {', '.join(cases()['id'])}.")
    return dict(found)



def codes_in(text: str) -> list[str]:
    """Return the remittance codes written in a line of text, each once, in order."""
    return list(dict.fromkeys(REMITTANCE_IN_TEXT.findall(str(text))))
