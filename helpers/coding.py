"""Coding decisions drawn from the data: which code, which diagnosis, which lines, which edits apply."""

from dataclasses import dataclass

import pandas as pd

from helpers import data, drugs
from helpers.tables import SIDES_TREATED
PAYER_TYPES = {"Medicare": "Medicare (physician claim)", "facility": "Ambulatory surgery center (facility claim)",
               "commercial": "Commercial payer that wants side modifiers"}


def _expand(spec: str) -> list[tuple[str, str]]:
    """Return the (first, last) pairs of a code-set cell such as '99211-99215; G0463'."""
    pairs = []
    for part in spec.split(";"):
        first, _, last = part.strip().partition("-")
        pairs.append((first, last or first))
    return pairs


def in_code_set(code: str, spec: str) -> bool:
    """Return True if ``code`` falls in a code-set cell (ranges compare codes of the same shape)."""
    code = code.strip().upper()
    for first, last in _expand(spec):
        if len(code) == len(first) and code[:1].isdigit() == first[:1].isdigit() and first <= code <= last:
            return True
    return False


def _span(spec: str) -> int:
    """Return how many numeric codes a code-set cell covers (smaller means more specific)."""
    return sum(int(last) - int(first) + 1 if first.isdigit() and last.isdigit() else 1
               for first, last in _expand(spec))


def ptp_edits(code_a: str, code_b: str, ncci_setting: str = "practitioner") -> pd.DataFrame:
    """Return the NCCI PTP rows that pair two codes in either order, the most specific row first."""
    ptp = data.load("ptp")
    rows = ptp[(ptp["ncci_setting"] == ncci_setting) & (
        ((ptp["column1"] == code_a) & ptp["column2"].map(lambda spec: in_code_set(code_b, spec))) |
        ((ptp["column1"] == code_b) & ptp["column2"].map(lambda spec: in_code_set(code_a, spec))))]
    order = rows["column2"].map(_span).sort_values(kind="stable").index
    return rows.loc[order].reset_index(drop=True)


def ptp_pairs(pairs, ncci_setting: str = "practitioner") -> pd.DataFrame:
    """Return the most specific PTP row of each (code, code) pair, labelled 'a + b' (a pair with no row is left out)."""
    found = [ptp_edits(a, b, ncci_setting).head(1).assign(pair=f"{a} + {b}") for a, b in pairs]
    columns = ["pair", "column2_description", "modifier_indicator", "effective", "note"]
    return pd.concat(found, ignore_index=True)[columns] if found else pd.DataFrame(columns=columns)


def mue_table(ncci_setting: str | None = None, code: str | None = None) -> pd.DataFrame:
    """Return the MUE rows (optionally one NCCI setting's or one code's), each with what its MAI means."""
    mue = data.load("mue")
    if ncci_setting is not None:
        mue = mue[mue["ncci_setting"] == ncci_setting]
    if code is not None:
        mue = mue[mue["code"] == code]
    meanings = [indicator("mai", value)["meaning"] if data.present(value) and indicator("mai", value) else "-"
                for value in mue["mai"]]
    return mue.assign(mai_means=meanings).reset_index(drop=True)


def diagnosis(condition: str, side: str) -> pd.Series | None:
    """Return the ICD-10-CM row for a condition and side (None when the data has no code for it)."""
    icd = data.load("icd10")
    rows = icd[(icd["condition"] == condition) & icd["billable"]]
    if rows.empty:
        return None
    wanted = {"right": "right", "left": "left", "both": "bilateral"}.get(side, "unspecified")
    sided = rows[rows["laterality"] == wanted]
    return (sided if not sided.empty else rows).iloc[0]


def subcodes(category: str) -> pd.DataFrame:
    """Return the diagnosis codes under a category (validation checks the table holds all the release's children)."""
    icd = data.load("icd10")
    return icd[icd["code"].str.startswith(category) & (icd["code"] != category)].reset_index(drop=True)


@dataclass(frozen=True)
class Advice:
    """The chooser's answer: the code, the claim lines, the diagnosis and why, with sources."""

    code: str
    lines: tuple[str, ...]
    diagnosis: str
    diagnosis_code: str | None
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    format_note: str = ""
    """The data's note on the two-sided claim format, e.g. what is unverified about an ASC's two lines."""


def _lines(code_row, side: str, payer_type: str) -> tuple[tuple[str, ...], list[str], list[str], str]:
    """Return the claim lines for a code, side and payer type, with reasons, sources and any note on the format."""
    code = code_row["code"]
    if code_row["laterality"] == "both sides":
        reason = f"{code} already describes both sides: report it once per session, without 50."
        return (f"{code} x 1",), [reason], [], ""
    if code_row["laterality"] != "one side":
        return (f"{code} x 1",), ["See the code family table for how this code counts units."], [], ""
    if side in ("right", "left"):
        modifier = "RT" if side == "right" else "LT"
        reason = f"One side treated: {code} once, with {modifier} for the {side} side."
        return (f"{code}-{modifier} x 1",), [reason], [], ""
    formats = data.load("bilateral_formats")
    row = formats[(formats["payer_type"] == payer_type) & formats["preferred"]].iloc[0]
    lines = tuple(line.strip().replace("64612", code) for line in row["lines"].split(";"))
    format_note = data.cell_text(row["note"])
    reason = f"Both sides, {PAYER_TYPES[payer_type]}: {row['claim_lines']}."
    return lines, [reason, format_note], [row["source"]], format_note


def choose(condition: str, side: str, payer_type: str = "Medicare") -> Advice:
    """Return the code, lines and diagnosis for a condition, a side and a payer type, with reasons."""
    conditions = data.load("conditions").set_index("condition")
    if condition not in conditions.index:
        raise ValueError(f"Unknown condition '{condition}'. Choose one of: {', '.join(conditions.index)}.")
    if side not in SIDES_TREATED or payer_type not in PAYER_TYPES:
        raise ValueError(f"Side must be one of {', '.join(SIDES_TREATED)}; payer type one of {', '.join(PAYER_TYPES)}.")
    chosen = conditions.loc[condition]
    code_row = data.load("codes").set_index("code").loc[chosen["code"]]
    code_row = code_row.to_dict() | {"code": chosen["code"]}
    lines, reasons, sources, format_note = _lines(code_row, side, payer_type)
    reasons = [f"{condition.capitalize()} affects {chosen['site']}: {chosen['code']} ({code_row['paraphrase']}).",
               *reasons, data.cell_text(chosen["note"])]
    if chosen["code"] == "64615":
        edit = ptp_edits("64615", "64612").iloc[0]
        reasons.append(f"NCCI pairs 64615 with 64612 with modifier indicator {edit['modifier_indicator']}: "
                       "no modifier unbundles them, so 64612 is never added.")
        sources.append(edit["source"])
    found = diagnosis(condition, side)
    dx = f"{found['code']} ({found['title']})" if found is not None else "See the payer's billing article."
    if found is not None:
        sources.append(found["source"])
    return Advice(chosen["code"], lines, dx, None if found is None else found["code"], tuple(r for r in reasons if r),
                  tuple(dict.fromkeys([chosen["source"], code_row["source"], *sources])), format_note)


INDICATOR_FIELDS = ("status", "global_days", "mult_proc", "bilat_surg", "asst_surg", "co_surg", "team_surg", "pctc")


def indicator(field: str, value) -> dict | None:
    """Return the meaning and source of one indicator value from data/indicators.csv (None if absent)."""
    row = data.lookup("indicators", "field", "value").get((field, str(value)))
    return {"meaning": row["meaning"], "source": row["source"]} if row else None


def indicators(code: str, year: int) -> pd.DataFrame:
    """Return a code's payment indicators for a year, each with its meaning and sources."""
    rvu = data.load("pfs_rvu").set_index(["code", "year"])
    if (code, year) not in rvu.index:
        raise ValueError(f"No fee-schedule row for {code} in {year}.")
    row = rvu.loc[(code, year)]
    rows = []
    for field in INDICATOR_FIELDS:
        value = data.cell_text(row[field])
        known = indicator(field, value)
        rows.append({"indicator": field, "value": value or "-",
                     "meaning": known["meaning"] if known else "not in the data",
                     "source": f"{row['source']}; {known['source']}" if known else row["source"]})
    return pd.DataFrame(rows)


def family(year: int) -> pd.DataFrame:
    """Return the chemodenervation family and guidance add-ons with their site, sides and year's indicators."""
    codes = data.load("codes")
    codes = codes[codes["group"].isin(["chemodenervation", "guidance add-on"]) & codes["active"]]
    rvu = data.load("pfs_rvu")
    rvu = rvu[rvu["year"] == year][["code", "global_days", "bilat_surg", "mult_proc"]]
    table = codes.merge(rvu, on="code", how="left")
    return table[["code", "paraphrase", "cms_short_descriptor", "laterality", "add_on", "global_days", "bilat_surg",
                  "mult_proc", "source"]]


def claim(condition: str, side: str, payer_type: str, product: str, dose, vial) -> pd.DataFrame:
    """Return the claim lines of one session: the procedure line(s) with the diagnosis, then the drug lines."""
    advice = choose(condition, side, payer_type)
    units = drugs.billing_units(product, dose, vial)
    dx = advice.diagnosis_code or "-"
    rows = [_claim_row(line, dx, "procedure") for line in advice.lines]
    rows += [_claim_row(line, dx, "drug") for line in units.lines]
    return pd.DataFrame(rows)


def _claim_row(line: str, diagnosis: str, kind: str) -> dict:
    """Split 'CODE-MOD-MOD x N' into the columns of a claim line."""
    service, _, units = line.partition(" x ")
    code, *modifiers = service.split("-")
    return {"line": kind, "code": code, "modifiers": " ".join(modifiers) or "-", "units": int(units),
            "diagnosis": diagnosis}


def laterality_check(icd_code: str, modifiers) -> str:
    """Return whether a diagnosis's side agrees with the modifiers: agree, conflict, or a warning."""
    icd = data.load("icd10").set_index("code")
    if icd_code not in icd.index:
        raise ValueError(f"{icd_code} is not among the diagnosis codes in the data.")
    side = icd.loc[icd_code, "laterality"]
    claimed = {"RT": "right", "LT": "left", "50": "bilateral"}
    sides = {claimed[m] for m in (str(m).upper() for m in modifiers) if m in claimed}
    if sides == {"right", "left"}:
        sides = {"bilateral"}
    if side == "not coded":
        return "agree (the code carries no side)"
    if side == "unspecified":
        return "weak: the side is unspecified; use the side-specific code the note supports"
    return "agree" if sides == {side} else f"conflict: the code says {side}"


def laterality_checks(checks) -> pd.DataFrame:
    """Return a table of laterality checks, one row per (diagnosis, modifiers) pair."""
    return pd.DataFrame([{"diagnosis": code, "modifiers": " ".join(modifiers),
                          "check": laterality_check(code, modifiers)} for code, modifiers in checks])


def muscle_table() -> pd.DataFrame:
    """Return the muscle groups, their nerve, the codes they lead to and how settled that is."""
    return data.load("muscles")[["muscle_group", "muscles", "nerve", "codes", "agreement", "reading", "source",
                                 "confidence"]]


def drug_source_table() -> pd.DataFrame:
    """Return where the toxin can come from and what each source puts on the physician's claim."""
    return data.load("drug_sources")[["drug_source", "who_buys", "drug_on_physician_claim", "jw_jz", "detail",
                                      "source", "confidence"]]


def claim_fields(form: str) -> pd.DataFrame:
    """Return where the drug's NDC, the revenue codes or the authorization number go on one claim form."""
    fields = data.load("claim_fields")
    if form not in set(fields["form"]):
        raise ValueError(f"No claim form '{form}' in the data. Forms: {', '.join(fields['form'].unique())}.")
    return fields.loc[fields["form"] == form, ["item", "location", "content", "example", "source", "confidence"]]
