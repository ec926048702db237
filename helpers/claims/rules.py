"""The checker's rules: each reads the claim and the course's data and yields findings with their sources.

A rule never invents a payer's rule: where the data says nothing, it says "check with the payer" as info.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from helpers import checklist, coding, data, icd10, payers
from helpers.claims.model import DRUG_SOURCE_KEYS, PAYER_KEYS, Claim, Line
from helpers.schema import split_ids
from helpers.tables import CARE_SETTINGS

SEVERITIES = ("error", "warning", "info")
PROCEDURE = "64612"
SIDES = {"RT", "LT"}
BILATERAL = "50"
WASTE = {"JW", "JZ"}
DISTINCT = {"59", "XE", "XP", "XS", "XU"}
VISIT_BYPASS = {"25"}


@dataclass(frozen=True)
class Finding:
    """One thing the checker found: a stable rule id, how serious, which line (None: the claim), what and why."""

    rule: str
    severity: str
    line: int | None
    message: str
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Return the finding as plain data for JSON."""
        return {"rule": self.rule, "severity": self.severity, "line": self.line, "message": self.message,
                "sources": list(self.sources)}


def _ids(*cells) -> tuple[str, ...]:
    """Return the source ids of one or more source cells, each once."""
    return tuple(dict.fromkeys(i for cell in cells if data.present(cell) for i in split_ids(str(cell))))


def _toxins() -> dict:
    """Return the toxin drug rows by HCPCS code."""
    return data.lookup("drugs", "hcpcs")


def _procedure_lines(claim: Claim) -> list[Line]:
    """Return the 64612 lines of a claim."""
    return [line for line in claim.lines if line.code == PROCEDURE]


def _drug_lines(claim: Claim) -> list[Line]:
    """Return the toxin lines of a claim."""
    return [line for line in claim.lines if line.code in _toxins()]


# ---- codes and diagnoses ----------------------------------------------------------------------

def code_unknown(claim: Claim):
    """Yield CODE_UNKNOWN for a code the course has no data for."""
    known = set(data.load("codes")["code"]) | set(_toxins())
    named = list(data.load("ptp")["column2"])
    for line in claim.lines:
        if line.code not in known and not any(coding.in_code_set(line.code, spec) for spec in named):
            yield Finding("CODE_UNKNOWN", "warning", line.number,
                          f"{line.code} is not a code the course has data for, so its edits and rules were not "
                          "checked. Check it against the current CPT/HCPCS and NCCI files.")


def diagnosis_codes(claim: Claim):
    """Yield DX_INVALID for a code not in ICD-10-CM and DX_NOT_BILLABLE for a category with children."""
    for number, code in enumerate(claim.diagnoses, start=1):
        if not icd10.exists(code):
            yield Finding("DX_INVALID", "error", None,
                          f"Diagnosis {number}, {code}, is not an ICD-10-CM code in the {icd10.release()} release. "
                          "Check the code in the tabular list.", ("cms-icd10cm-2026",))
        elif not icd10.billable(code):
            children = ", ".join(icd10.children(code))
            yield Finding("DX_NOT_BILLABLE", "error", None,
                          f"Diagnosis {number}, {code}, is a category, not a billable code: use the most specific "
                          f"code the note supports ({children}).", ("cms-icd10cm-2026",))


def diagnosis_support(claim: Claim):
    """Yield DX_NOT_SUPPORTED when no diagnosis a 64612 line points to supports it."""
    table = data.lookup("icd10", "code")
    for line in _procedure_lines(claim):
        pointed = [claim.diagnoses[p - 1] for p in line.diagnosis_pointers] or list(claim.diagnoses[:1])
        support = {code: table[code]["supports_64612"] for code in pointed if code in table}
        if "yes" in support.values():
            continue
        if "payer-specific" in support.values():
            yield Finding("DX_PAYER_SPECIFIC", "info", line.number,
                          f"{', '.join(pointed)} supports 64612 only in some payers' lists: check the payer's "
                          "billing article or policy.", _ids(*(table[c]["source"] for c in support)))
            continue
        yield Finding("DX_NOT_SUPPORTED", "error", line.number,
                      f"No diagnosis this line points to ({', '.join(pointed) or 'none'}) supports 64612. Point it "
                      "to the condition treated, such as G51.31 (right hemifacial spasm) or G24.5 "
                      "(blepharospasm).", ("cms-icd10cm-2026", "aapc-159008"))


# ---- sides and modifiers ----------------------------------------------------------------------

def laterality(claim: Claim):
    """Yield LATERALITY_MISSING, MODIFIER_CONFLICT and LATERALITY_MISMATCH for the 64612 lines."""
    table = data.lookup("icd10", "code")
    for line in _procedure_lines(claim):
        mods = set(line.modifiers)
        if not mods & (SIDES | {BILATERAL}):
            yield Finding("LATERALITY_MISSING", "error", line.number,
                          f"{line.label} names no side: add RT or LT for one side, or 50 for both (Medicare).",
                          ("aapc-neuro-bilateral-botox", "fcso-modifier-50"))
            continue
        if BILATERAL in mods and mods & SIDES or SIDES <= mods:
            yield Finding("MODIFIER_CONFLICT", "error", line.number,
                          f"{line.label} mixes modifiers that cannot stand together (50 already means both sides; "
                          "RT and LT on one line contradict each other).", ("fcso-modifier-50",))
            continue
        for pointer in line.diagnosis_pointers or (1,):
            code = claim.diagnoses[pointer - 1] if pointer <= len(claim.diagnoses) else None
            if code in table and coding.laterality_check(code, line.modifiers).startswith("conflict"):
                side = table[code]["laterality"]
                side = "for both sides" if side == "bilateral" else f"the {side} side"
                yield Finding("LATERALITY_MISMATCH", "error", line.number,
                              f"{line.label} contradicts {code}, which is {side}. Read the note and "
                              "correct the modifier or the diagnosis so they agree.", _ids(table[code]["source"]))


def bilateral_format(claim: Claim):
    """Yield BILATERAL_FORMAT when a both-sides session is not in the payer's format."""
    lines = _procedure_lines(claim)
    sides = {m for line in lines for m in line.modifiers if m in SIDES}
    two_lines = len(lines) > 1 and sides == SIDES
    two_units = any(line.units > 1 for line in lines)
    if claim.payer == "medicare" and (two_lines or two_units):
        yield Finding("BILATERAL_FORMAT", "error", lines[0].number,
                      "Medicare wants a both-sides session as one line, 64612-50 x 1 (paid at the bilateral share); "
                      "an RT and an LT line, or two units, run into the MUE.",
                      ("fcso-modifier-50", "fcso-botox-medical-review", "cms-ncci-mue-2026q2"))
    elif claim.payer != "medicare" and (two_lines or any(BILATERAL in line.modifiers for line in lines)):
        yield Finding("BILATERAL_FORMAT", "info", lines[0].number,
                      "Payers differ on a both-sides session (one line with 50, or RT and LT lines): check this "
                      "payer's manual.", ("aapc-neuro-bilateral-rules",))


def units_and_mue(claim: Claim):
    """Yield UNITS_EXCEED_MUE when a code's units on the date pass its practitioner MUE."""
    mue = data.load("mue")
    mue = mue[mue["ncci_setting"] == "practitioner"]
    totals: dict[str, int] = {}
    for line in claim.lines:
        totals[line.code] = totals.get(line.code, 0) + line.units
    for code, units in totals.items():
        row = mue[mue["code"] == code]
        if row.empty or not data.present(row.iloc[0]["mue"]):
            continue
        limit = int(row.iloc[0]["mue"])
        if units > limit:
            first = next(line.number for line in claim.lines if line.code == code)
            medicare = claim.payer == "medicare"
            whose = "" if medicare else (" The MUEs are Medicare's (NCCI); many other payers apply them, others "
                                         "their own edits: check this payer's.")
            yield Finding("UNITS_EXCEED_MUE", "error" if medicare else "warning", first,
                          f"{code} has {units} units on the date of service, above its practitioner MUE of {limit} "
                          f"(MAI {row.iloc[0]['mai']}): the edit counts every line of the code on the date.{whose}",
                          _ids(row.iloc[0]["source"]))


def ptp(claim: Claim):
    """Yield PTP_NO_BYPASS and PTP_MODIFIER_NEEDED for pairs of codes on the claim."""
    for first in claim.lines:
        for second in claim.lines:
            if first.number >= second.number or first.code == second.code or _visit(first) or _visit(second):
                continue
            edits = coding.ptp_edits(first.code, second.code)
            if edits.empty or not data.present(edits.iloc[0]["modifier_indicator"]):
                continue
            yield from _ptp_finding(first, second, edits.iloc[0])


def _ptp_finding(first: Line, second: Line, edit):
    """Yield the finding for one edited pair of lines."""
    column2 = second if coding.in_code_set(second.code, edit["column2"]) else first
    sources = _ids(edit["source"])
    if int(edit["modifier_indicator"]) == 0:
        yield Finding("PTP_NO_BYPASS", "error", column2.number,
                      f"{first.code} and {second.code} are never paid together (NCCI modifier indicator 0): remove "
                      f"{column2.code} or choose the one code that describes the session.", sources)
        return
    visit = column2.code.startswith("99")
    allowed = VISIT_BYPASS if visit else DISTINCT
    if not set(column2.modifiers) & allowed:
        need = "25 on the visit, if it was significant and separately identifiable" if visit else \
            "59 or an X modifier, only if the services were truly distinct"
        yield Finding("PTP_MODIFIER_NEEDED", "error", column2.number,
                      f"{column2.code} is bundled into {first.code if column2 is second else second.code} "
                      f"(NCCI modifier indicator 1): it is paid only with {need}.", sources)


VISIT_CODES = "99202-99215"
"""The office visit codes the visit rules read."""
SPASM_CODES = ("G51.3", "G24.5", "G24.4")


def _visit(line: Line) -> bool:
    """Return True for an office visit line."""
    return coding.in_code_set(line.code, VISIT_CODES)


def _global_days() -> int:
    """Return 64612's global period in days, from the newest year of the fee schedule data."""
    rvus = data.load("pfs_rvu")
    rows = rvus[(rvus["code"] == PROCEDURE) & rvus["global_days"].map(data.present)].sort_values("year")
    return int(rows.iloc[-1]["global_days"])


def visits(claim: Claim):
    """Yield VISIT_SAME_DAY and GLOBAL_PERIOD_VISIT for office visits on or after a 64612 session."""
    sources = ("fcso-modifier-25", "ngs-global-surgery")
    days = _global_days()
    earlier = [day for day, code in claim.prior_treatments
               if code == PROCEDURE and 0 < (claim.date_of_service - day).days <= days]
    for line in filter(_visit, claim.lines):
        mods = set(line.modifiers)
        if _procedure_lines(claim) and not mods & {"25", "57"}:
            yield Finding("VISIT_SAME_DAY", "error", line.number,
                          f"{line.label} is on the day of 64612: the decision to inject is part of the procedure, so "
                          "a visit is paid only when it is significant and separately identifiable, with 25.",
                          sources)
        elif earlier and not _procedure_lines(claim) and "24" not in mods:
            yield Finding("GLOBAL_PERIOD_VISIT", "error", line.number,
                          f"{line.label} falls inside the global period of the 64612 on {max(earlier):%Y-%m-%d}: "
                          "routine follow-up is included; an unrelated visit takes 24.", sources)
        elif earlier and "24" in mods and _points_to_spasm(claim, line):
            yield Finding("GLOBAL_PERIOD_VISIT", "warning", line.number,
                          f"{line.label} carries 24 (unrelated visit) but points to the condition that was injected: "
                          "follow-up of the injection is included in 64612.", sources)


def _points_to_spasm(claim: Claim, line: Line) -> bool:
    """Return True when a line points only to the conditions 64612 treats."""
    pointed = [claim.diagnoses[p - 1] for p in line.diagnosis_pointers or (1,) if p <= len(claim.diagnoses)]
    return bool(pointed) and all(code.startswith(SPASM_CODES) for code in pointed)


def decision_for_surgery(claim: Claim):
    """Yield MODIFIER_57_MINOR when a visit with 64612 carries 57 instead of 25."""
    if not _procedure_lines(claim):
        return
    for line in claim.lines:
        if "57" in line.modifiers:
            yield Finding("MODIFIER_57_MINOR", "error", line.number,
                          "57 is for the decision on major surgery; 64612 is a minor procedure whose decision is "
                          "part of it. A significant, separate visit takes 25.",
                          ("palmetto-rr-modifier-57", "horizon-nj-modifier-57", "fcso-modifier-25"))


def multiple_procedures(claim: Claim):
    """Yield MULTIPLE_PROCEDURE_51 when 51 is added by hand on a Medicare claim with several procedures."""
    for line in claim.lines:
        if "51" in line.modifiers and claim.payer == "medicare":
            yield Finding("MULTIPLE_PROCEDURE_51", "warning", line.number,
                          "Medicare contractors apply the multiple-procedure reduction themselves and ask you not to "
                          "add 51; some commercial payers want it.", ("novitas-multiple-surgery", "aapc-modifier-51"))


def liability_modifiers(claim: Claim):
    """Yield LIABILITY_GZ for a line Medicare will deny automatically with the practice liable."""
    for line in claim.lines:
        if "GZ" in line.modifiers:
            yield Finding("LIABILITY_GZ", "warning", line.number,
                          f"{line.label} says a denial is expected and no ABN was signed: it will be denied "
                          "automatically and the practice is liable. If the patient signed an ABN, use GA.",
                          ("cgs-jc-abn-modifiers", "palmetto-gz-auto-denial"))


# ---- the drug ---------------------------------------------------------------------------------

SOURCE_WORDS = {"practice": "the practice", "specialty_pharmacy": "a specialty pharmacy",
                "no_cost": "a free supply or the patient", "facility": "the facility"}


def drug_source_unknown(claim: Claim):
    """Yield DRUG_SOURCE_UNKNOWN for a claim that does not say where the toxin came from (an 837P cannot)."""
    if claim.drug_source == "unknown" and _procedure_lines(claim):
        yield Finding("DRUG_SOURCE_UNKNOWN", "info", None,
                      "The claim does not say where the toxin came from (an 837P cannot carry it), so the checker "
                      "did not judge whether a J-code belongs on it.", ("ngs-patient-supplied-drugs",))


def _source_row(claim: Claim) -> dict:
    """Return the drug_sources row of the claim's drug source."""
    return dict(data.lookup("drug_sources", "drug_source")[DRUG_SOURCE_KEYS[claim.drug_source]])


def drug_presence(claim: Claim):
    """Yield DRUG_MISSING, DRUG_SOURCE_NOTE or DRUG_NOT_BILLABLE from the drug source and the toxin lines."""
    if not _procedure_lines(claim) or claim.drug_source == "unknown":
        return
    row, toxins = _source_row(claim), _drug_lines(claim)
    sources = _ids(row["source"])
    if claim.drug_source == "practice" and not toxins:
        yield Finding("DRUG_MISSING", "error", None,
                      "The practice supplied the toxin but the claim has no toxin line: add the J-code for the "
                      "units given, and its JW line or JZ (Medicare wants the drug on the same claim).", sources)
    elif claim.drug_source != "practice" and not toxins:
        yield Finding("DRUG_SOURCE_NOTE", "info", None,
                      f"The toxin came from {SOURCE_WORDS[claim.drug_source]}, so no J-code billed at its price is "
                      f"right here. On the physician's claim: {row['drug_on_physician_claim']}", sources)
    elif claim.drug_source in ("facility", "specialty_pharmacy", "no_cost"):
        for line in toxins:
            if line.charge is None or line.charge > 0.01:
                yield Finding("DRUG_NOT_BILLABLE", "error", line.number,
                              f"{line.label}: the toxin was not the practice's ({row['who_buys']}). "
                              f"{row['drug_on_physician_claim']}", sources)


def facility_drug(claim: Claim):
    """Yield FACILITY_DRUG when a practice bills the toxin for a session in a hospital department or an ASC."""
    setting = _care_setting(claim)
    if setting in ("hospital outpatient", "ambulatory surgical center") and claim.drug_source == "practice":
        for line in _drug_lines(claim):
            yield Finding("FACILITY_DRUG", "warning", line.number,
                          f"Place of service {claim.place_of_service} is a {setting} setting: the facility normally "
                          "supplies the toxin and bills it on its own claim. Bill it here only if the practice "
                          "bought it.",
                          ("ngs-patient-supplied-drugs",))


def _jz_required_from():
    """Return the date from which single-dose drug lines need JW or JZ, from the timeline."""
    timeline = data.load("timeline")
    row = timeline[timeline["event"].str.startswith("Modifier JZ becomes required")].iloc[0]
    return row["date"], _ids(row["source"])


def waste_modifiers(claim: Claim):
    """Yield WASTE_MODIFIER_MISSING and WASTE_MODIFIER_CONFLICT for the toxin lines the practice bills."""
    if claim.drug_source not in ("practice", "unknown"):
        return
    required, sources = _jz_required_from()
    severity = "error" if claim.payer == "medicare" else "info"
    whose = "" if claim.payer == "medicare" else " This is Medicare's rule; check whether this payer asks for it."
    for code in dict.fromkeys(line.code for line in _drug_lines(claim)):
        lines = [line for line in claim.lines if line.code == code]
        waste = [line for line in lines if "JW" in line.modifiers]
        given = [line for line in lines if "JW" not in line.modifiers]
        for line in given:
            if waste and "JZ" in line.modifiers:
                yield Finding("WASTE_MODIFIER_CONFLICT", "error", line.number,
                              f"{line.label} says nothing was discarded (JZ), but the claim has a JW line for "
                              f"{code}: remove JZ, or the JW line.", sources)
            elif not waste and "JZ" not in line.modifiers and claim.date_of_service >= required:
                yield Finding("WASTE_MODIFIER_MISSING", severity, line.number,
                              f"{line.label}: from {required:%Y-%m-%d} a single-dose drug line needs JZ when nothing "
                              f"was discarded, or a separate JW line for the units discarded.{whose}", sources)
        if waste and not given:
            yield Finding("WASTE_WITHOUT_DOSE", "warning", waste[0].number,
                          f"{code} has a JW line for discarded units but no line for the units given.", sources)


def _makeable(total: int, sizes: list[int]) -> bool:
    """Return True when a number of toxin units is a sum of whole vials of the given sizes."""
    reachable = {0}
    for amount in range(1, total + 1):
        if any(amount - size in reachable for size in sizes):
            reachable.add(amount)
    return total in reachable


def vial_arithmetic(claim: Claim):
    """Yield VIAL_MISMATCH when given plus discarded units of a one-unit-billed toxin fill no set of its vials."""
    vials = data.load("vials")
    for code in dict.fromkeys(line.code for line in _drug_lines(claim)):
        drug = _toxins()[code]
        lines = [line for line in claim.lines if line.code == code]
        if int(drug["units_per_billing_unit"]) != 1 or not any("JW" in line.modifiers for line in lines):
            continue
        total = sum(line.units for line in lines)
        sizes = sorted(int(size) for size in vials.loc[vials["hcpcs"] == code, "vial_units"])
        if total <= 50_000 and not _makeable(total, sizes):
            yield Finding("VIAL_MISMATCH", "info", lines[0].number,
                          f"{code}: {total} units given and discarded fill no set of {drug['product']} vials "
                          f"({', '.join(map(str, sizes))} units): check the dose and the waste.", _ids(drug["source"]))


def drug_units(claim: Claim):
    """Yield DRUG_UNITS_MISMATCH when billed units do not match the dose given in the product's billing unit."""
    for line in _drug_lines(claim):
        if line.dose_administered is None or "JW" in line.modifiers:
            continue
        drug = _toxins()[line.code]
        per = int(drug["units_per_billing_unit"])
        expected = math.ceil(line.dose_administered / per)
        if line.units != expected:
            yield Finding("DRUG_UNITS_MISMATCH", "error", line.number,
                          f"{line.label}: {line.dose_administered:g} units of {drug['product']} given is "
                          f"{line.dose_administered:g} / {per} = {expected} billing units of {line.code} "
                          "(rounded up), not the units billed.", _ids(drug["source"]))


def _sides(claim: Claim) -> int:
    """Return how many sides the 64612 lines treat (2 with 50 or with RT and LT lines, else 1)."""
    mods = {m for line in _procedure_lines(claim) for m in line.modifiers}
    return 2 if BILATERAL in mods or SIDES <= mods else 1


def _dose_rules(claim: Claim, product: str):
    """Yield (limit, per side, policy, measure, sources, named) for the payer's dose limits that fit the claim."""
    payer = PAYER_KEYS[claim.payer]
    rows = payers.limits("dose limit")
    for row in rows[rows["payer"] == payer].itertuples():
        named = payers.product_of(row.policy)
        if named not in (None, product) or row.applies_to not in ("all", _diagnosis_word(claim)):
            continue
        if named is None and product != "Botox":
            continue  # a cap in toxin units without a product is read as Botox units; units never convert
        per_side = "per eye" in row.measure or "side" in row.measure
        draft = "draft" in f"{row.policy} {row.measure}".lower()
        yield float(row.value), per_side, payers.policy_label(row.plan, row.policy), row.measure, \
            _ids(row.source), named is not None and not draft


def dose_limits(claim: Claim):
    """Yield DOSE_OVER_LIMIT when the dose given is above a payer's dose limit for the product and diagnosis."""
    for line in _drug_lines(claim):
        if line.dose_administered is None or "JW" in line.modifiers:
            continue
        product = _toxins()[line.code]["product"]
        for limit, per_side, policy, measure, sources, named in _dose_rules(claim, product):
            allowed = limit * (_sides(claim) if per_side else 1)
            if line.dose_administered <= allowed:
                continue
            if named:
                advice = " Document why, or expect a denial."
            else:
                advice = " It is a draft or names no product, not a rule in force: read the final policy."
            yield Finding("DOSE_OVER_LIMIT", "warning" if named else "info", line.number,
                          f"{line.dose_administered:g} units of {product} is above {policy}'s {measure} "
                          f"({allowed:g} units for this session).{advice}", sources)
            break


# ---- payers: frequency and prior authorization ------------------------------------------------

def _care_setting(claim: Claim) -> str | None:
    """Return the care setting of the claim's place of service, or None for another place."""
    return next((name for name, codes in CARE_SETTINGS.items() if claim.place_of_service in codes), None)


def _intervals(claim: Claim):
    """Return the payer's minimum-interval rules for the claim's product and diagnosis as (days, policy, sources)."""
    payer = PAYER_KEYS[claim.payer]
    if payer is None:
        return []
    rows = payers.intervals()
    rows = rows[(rows["payer"] == payer) & rows["applies_to"].isin(["all", _diagnosis_word(claim)])]
    fitting = [row for row in rows.itertuples() if payers.product_of(row.policy) in (None, _product(claim))]
    return sorted((float(row.weeks) * 7, row.policy, _ids(row.source)) for row in fitting)


def frequency(claim: Claim):
    """Yield FREQUENCY_TOO_SOON when a prior 64612 session is closer than the payer's minimum interval."""
    lines = _procedure_lines(claim)
    earlier = [day for day, code in claim.prior_treatments if code == PROCEDURE and day < claim.date_of_service]
    if not lines or not earlier:
        return
    rules, last = _intervals(claim), max(earlier)
    if not rules:
        yield Finding("FREQUENCY_CHECK_PAYER", "info", lines[0].number,
                      "The course's data has no minimum interval for this payer: check with the payer.")
        return
    days, policy, sources = rules[0]
    gap = (claim.date_of_service - last).days
    if gap >= days:
        return
    if claim.payer == "medicare" and "GA" in lines[0].modifiers:
        yield Finding("FREQUENCY_TOO_SOON", "info", lines[0].number,
                      f"{gap} days since the last session ({last:%Y-%m-%d}), sooner than {policy} allows; GA says "
                      "an ABN is on file, so the patient may be billed if Medicare denies.",
                      sources + ("cgs-jc-abn-modifiers",))
        return
    advice = (" For an early session Medicare may deny, the patient signs an ABN before it and the lines carry GA; "
              "without a signed ABN the practice is liable.") if claim.payer == "medicare" else ""
    yield Finding("FREQUENCY_TOO_SOON", "warning", lines[0].number,
                  f"{gap} days since the last session ({last:%Y-%m-%d}): {policy} expects at least "
                  f"{timedelta(days=days).days} days between treatments, so the claim may be denied.{advice}",
                  sources + (("cgs-jc-abn-modifiers",) if advice else ()))


def _diagnosis_word(claim: Claim) -> str:
    """Return the checklist diagnosis the claim's codes describe."""
    return "hemifacial spasm" if any(code.startswith("G51.3") for code in claim.diagnoses) else "blepharospasm"


def _product(claim: Claim) -> str:
    """Return the product of the claim's first toxin line (Botox when none is billed)."""
    toxins = _drug_lines(claim)
    return _toxins()[toxins[0].code]["product"] if toxins else "Botox"


def prior_authorization(claim: Claim):
    """Yield PRIOR_AUTH_REQUIRED when the payer and setting need prior authorization and the claim shows none."""
    lines, setting, payer = _procedure_lines(claim), _care_setting(claim), PAYER_KEYS[claim.payer]
    if not lines or setting is None or claim.prior_authorization:
        return
    if payer is None:
        yield Finding("PRIOR_AUTH_CHECK_PAYER", "info", lines[0].number,
                      "The course has no data for this payer: check whether it needs prior authorization.")
        return
    found = [checklist.checklist(payer, plan, setting, _product(claim), _diagnosis_word(claim))
             .finding("Prior authorization") for plan in payers.plans(payer)]
    if all(item.status == "not in this setting" for item in found):
        return
    sources = tuple(dict.fromkeys(source for item in found for source in item.sources))
    if not all(item.status == "stated" and not item.text.lower().startswith("may") for item in found):
        yield Finding("PRIOR_AUTH_CHECK_PAYER", "info", lines[0].number,
                      f"Whether {payer} needs prior authorization here depends on the plan or is not in the "
                      "course's data: check with the payer.", sources)
        return
    if setting == "hospital outpatient" and payer == "Medicare":
        yield Finding("PRIOR_AUTH_REQUIRED", "warning", lines[0].number,
                      "Medicare's prior-authorization program covers the hospital's claim for this session: confirm "
                      "the hospital's request was affirmed, because without it this claim is not paid either. The "
                      "tracking number goes on the hospital's claim, not on this one.", sources)
        return
    yield Finding("PRIOR_AUTH_REQUIRED", "error", lines[0].number,
                  f"{payer} requires prior authorization for this session ({found[0].text.split('. ')[0]}), and the "
                  "claim shows none.", sources)


RULES = (code_unknown, diagnosis_codes, diagnosis_support, laterality, bilateral_format, units_and_mue, ptp,
         visits, decision_for_surgery, multiple_procedures, liability_modifiers, drug_source_unknown, drug_presence,
         facility_drug, waste_modifiers, vial_arithmetic, drug_units, dose_limits, frequency, prior_authorization)
"""Every rule, in the order findings are reported."""
