"""The Medicare physician fee schedule calculator: one code, one date of service, one place.

``medicare_payment(code, date_of_service, place)`` returns a ``Payment`` that shows every step and cites every
source; ``place`` is a fee-schedule rate ('non-facility', 'facility') or a place-of-service code ('11').
``history``, ``compare``, ``change`` and the ``*_table`` functions build the tables the lessons show.
Every number comes from ``helpers.data``: the only constants here are the national GPCI of 1.000
and rounding to cents, halves up. That rounding, and rounding the fee schedule amount before a
percentage is applied, are the course's convention: the cited sources show amounts rounded to cents
but do not state CMS's rule or order. Amounts are ``decimal.Decimal`` (use ``.astype(float)`` before
``DataFrame.plot``).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from helpers import coding, data
from helpers.formatting import claim_line, money, number, percent, signed_money
from helpers.schema import ISO_DATE, split_ids
from helpers.tables import PFS_RATES, SIDE_MODIFIERS

__all__ = ["Payment", "Change", "medicare_payment", "history", "history_table", "compare", "family_table",
           "by_locality", "change", "rvu_change", "work_change", "session", "sessions_where", "rounding_orders",
           "rate_gap", "reference_date", "mid_year_changes", "parse_date"]

CENT = Decimal("0.01")
NATIONAL = "national"
NATIONAL_GPCI = Decimal("1.000")
COMPONENTS = {"work": "work", "pe": "PE", "mp": "MP"}
RVU_PLACES, GPCI_PLACES = 2, 3  # how CMS prints them: RVUs to 2 decimals, GPCIs to 3
DISTINCT = ("59", "XS", "XU")
NO_PAYMENT_EFFECT = (*SIDE_MODIFIERS, *DISTINCT, "79")
SUPPORTED_MODIFIERS = ("50", "51", "25") + NO_PAYMENT_EFFECT
EM_GROUP = "evaluation and management"
ROUNDING_SOURCE = "cgs-mpfs-calculation"
BOTH_SIDES = 2  # bilateral indicator 3: each of the two sides is paid at its full amount
NO_EFFECT_WORDS = {
    SIDE_MODIFIERS: "the side treated; needed for laterality and for claim edits, not for the amount",
    DISTINCT: "a distinct service, so that a procedure-to-procedure edit that allows a modifier can be bypassed "
              "when the documentation supports it; it does not change the amount",
    ("79",): "an unrelated procedure during another procedure's global period, which starts a new global period; "
             "it does not change the amount",
}


@dataclass(frozen=True)
class Payment:
    """A priced claim line: the inputs, the numbers used, the amounts, the steps and the sources."""

    code: str
    date_of_service: date
    year: int
    rate: str
    place_of_service: str | None
    modifiers: tuple
    locality: str
    qp: bool
    conversion_factor: Decimal
    rvus: dict
    gpcis: dict
    fee_schedule_amount: Decimal
    allowed: Decimal
    medicare_pays: Decimal
    patient_pays: Decimal
    steps: tuple
    sources: tuple
    indicators: dict = field(default_factory=dict)
    drug_note: str | None = None

    @property
    def global_period_end(self) -> date | None:
        """Return the last day of the global period (None when the code has no 0-, 10- or 90-day period)."""
        days = str(self.indicators.get("global_days") or "")
        return self.date_of_service + timedelta(days=int(days)) if days.isdigit() else None


@dataclass(frozen=True)
class Change:
    """How one code's national fee schedule amount changed between two dates of service."""

    code: str
    rate: str
    from_date: date
    to_date: date
    from_amount: Decimal
    to_amount: Decimal
    dollars: Decimal
    percent: Decimal
    before: Payment
    after: Payment

    @property
    def summary(self) -> str:
        """Return the change as one readable sentence."""
        return (f"{self.code} ({self.rate}): {money(self.from_amount)} on {self.from_date} -> "
                f"{money(self.to_amount)} on {self.to_date}, {signed_money(self.dollars)} "
                f"({self.percent:+}%).")


@dataclass
class _Trail:
    """The steps a calculation has explained so far and the sources it has used."""

    steps: list = field(default_factory=list)
    sources: list = field(default_factory=list)

    def add(self, step: str, cell: str | None = None) -> None:
        """Record one step and the source ids in a row's ``source`` cell."""
        self.steps.append(step)
        self.cite(cell)

    def cite(self, cell: str | None) -> None:
        """Record the source ids in a ``source`` cell, each once."""
        for source_id in split_ids(cell or ""):
            if source_id not in self.sources:
                self.sources.append(source_id)


# ---- small formatting and arithmetic helpers -------------------------------------------------

def exact(value) -> Decimal:
    """Return a data value as an exact Decimal (floats go through their shortest text form)."""
    return Decimal(str(value))


def cents(amount: Decimal) -> Decimal:
    """Round an amount to cents, halves up (the course's convention; its sources do not state CMS's rule)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _listing(values) -> str:
    """Return values as a comma-separated list."""
    return ", ".join(str(value) for value in values)


# ---- inputs ----------------------------------------------------------------------------------

def parse_date(value) -> date:
    """Return a date of service from a date or YYYY-MM-DD text, or raise ValueError saying how to write it."""
    form = "Write the date of service as YYYY-MM-DD, for example 2026-03-02."
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not isinstance(value, str) or not re.match(ISO_DATE, text):
        raise ValueError(f"'{value}' is not a date written YYYY-MM-DD. {form}")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"'{value}' is not a real date ({error}). {form}") from None


def _clean_code(code) -> str:
    """Return a procedure code as upper-case text."""
    return str(code).strip().upper()


def _clean_modifiers(modifiers) -> tuple:
    """Return the modifiers as upper-case text, raising ValueError for an unsupported or repeated one."""
    given = (modifiers,) if isinstance(modifiers, (str, int)) else tuple(modifiers or ())
    cleaned = tuple(str(modifier).strip().upper() for modifier in given)
    for modifier in cleaned:
        if modifier not in SUPPORTED_MODIFIERS:
            raise ValueError(f"Modifier '{modifier}'{_modifier_name(modifier)} is not supported by this "
                             f"calculator. Supported modifiers: {_listing(SUPPORTED_MODIFIERS)} "
                             "(25 only on a visit code).")
        if cleaned.count(modifier) > 1:
            raise ValueError(f"Modifier {modifier} is given more than once; give each modifier once.")
    _check_combination(cleaned)
    return cleaned


def _check_combination(modifiers: tuple) -> None:
    """Raise ValueError, with the rule to follow, for modifiers that cannot go on one claim line together."""
    sides = [modifier for modifier in SIDE_MODIFIERS if modifier in modifiers]
    if "50" in modifiers and sides:
        raise ValueError(f"Modifier 50 cannot go with {' or '.join(sides)} on one line: 50 already says both sides "
                         "were treated. For Medicare, report a bilateral session as one line with 50 and no side "
                         "modifier (for example 64612-50). RT and LT go on separate lines only for payers or ASC "
                         "claims that ask for that format.")
    if len(sides) == len(SIDE_MODIFIERS):
        raise ValueError("RT and LT cannot go on one line: one line reports one side. Report each side on its own "
                         "line (RT on one, LT on the other) where the payer asks for that, or, for Medicare, "
                         "both sides as one line with 50 (for example 64612-50).")


def _modifier_name(modifier: str) -> str:
    """Return ' (its name)' for a modifier the course's modifier table describes, else ''."""
    known = data.lookup("modifiers", "modifier")
    return f" ({known[modifier]['name']})" if modifier in known else ""


def _place(place, trail: _Trail) -> tuple[str, str | None]:
    """Return the fee-schedule rate and place of service for a rate name or a place-of-service code."""
    text = str(place).strip().lower()
    if text in PFS_RATES:
        trail.add(f"Fee schedule rate: {text}, so the {text} practice expense (PE) RVU is used.")
        return text, None
    places = data.lookup("site_of_service", "pos")
    if text not in places:
        accepted = _listing(f"{pos} ({row['name']})" for pos, row in places.items())
        raise ValueError(f"Place '{place}' is not recognised. Use 'non-facility' or 'facility', "
                         f"or one of these place-of-service codes: {accepted}.")
    place = places[text]
    trail.add(f"Place of service {text} ({place['name']}) is paid at the {place['pfs_rate']} rate.",
              place["source"])
    return place["pfs_rate"], text


# ---- the conversion factor -------------------------------------------------------------------

def _cf_coverage(factors: pd.DataFrame) -> str:
    """Return the range of dates of service the conversion factors cover, in words."""
    return f"from {min(factors['start'])} to {max(factors['end'])}"


def _cf_rows(day: date) -> pd.DataFrame:
    """Return the conversion-factor rows whose period includes ``day``, or raise ValueError."""
    factors = data.load("conversion_factors")
    rows = factors[(factors["start"] <= day) & (factors["end"] >= day)]
    if rows.empty:
        raise ValueError(f"There is no Medicare conversion factor in the course data for a date of service "
                         f"of {day}. The data covers dates of service {_cf_coverage(factors)}.")
    return rows.set_index("apm_status")


def _conversion_factor(day: date, qp: bool, trail: _Trail) -> Decimal:
    """Return the conversion factor for a date of service and APM status, explaining the choice."""
    rows = _cf_rows(day)
    wanted = "QP" if qp else "non-QP"
    status = wanted if wanted in rows.index else "all"
    if status not in rows.index:
        raise ValueError(f"The course data has no '{wanted}' conversion factor for {day} (it has: "
                         f"{_listing(rows.index)}). This is a gap in data/conversion_factors.csv.")
    row = rows.loc[status]
    cf = exact(row["cf"])
    trail.add(_cf_step(day, status, row, rows), row["source"])
    if qp and status == "all":
        trail.add(f"You asked for the qualifying APM participant (QP) factor, but there was no separate QP "
                  f"conversion factor on {day}: the single factor applies to everyone.")
    return cf


def _cf_step(day: date, status: str, row, rows: pd.DataFrame) -> str:
    """Return the step that states the conversion factor chosen and why."""
    who = {"all": "one factor for all clinicians",
           "non-QP": "for clinicians who are not qualifying APM participants (non-QP)",
           "QP": "for qualifying participants in advanced alternative payment models (QP)"}[status]
    step = (f"Conversion factor (CF) for a date of service of {day}: ${number(exact(row['cf']))} "
            f"({who}; period {row['start']} to {row['end']}).")
    others = [f"{other} ${number(exact(rows.loc[other, 'cf']))}" for other in rows.index if other != status]
    if others:
        step += f" The same dates have another factor: {_listing(others)}."
    note = data.cell_text(row["note"])
    new = [sentence for sentence in re.split(r"(?<=\.)\s+", note)
           if sentence and sentence.rstrip(".").lower() not in step.lower()]
    return " ".join([step, *new])


# ---- RVUs ------------------------------------------------------------------------------------

def _drug_message(code: str) -> str | None:
    """Return why a drug code is not priced here, or None when the code is not a drug."""
    drug = data.lookup("drugs", "hcpcs").get(code)
    if drug is None:
        return None
    return (f"{code} is a drug code ({drug['product']}, {drug['nonproprietary']}), not a procedure. Medicare "
            f"pays it outside the physician fee schedule: status E ({_meaning('status', 'E')}), at {_drug_limit()} "
            "per billing unit on its own claim line. Price the procedure code "
            "(for example 64612) here instead.")


def _priced_codes(year: int | None, rvus: pd.DataFrame) -> str:
    """Return the codes with RVUs for a year (or for any year when that year has none), in words."""
    in_year = sorted(rvus.loc[rvus["year"] == year, "code"]) if year is not None else []
    if in_year:
        return f"Codes with RVUs for {year}: {_listing(in_year)}."
    return f"Codes with RVUs: {_listing(sorted(set(rvus['code'])))}."


def _not_priced(code: str, year: int | None, rvus: pd.DataFrame) -> str:
    """Return why a code has no RVU row for a year, in words a learner can act on."""
    drug = _drug_message(code)
    if drug:
        return drug
    years = sorted(int(held) for held in rvus.loc[rvus["code"] == code, "year"])
    if years:
        return (f"Code {code} has RVUs in the course data only for {_listing(years)} (dates of service "
                f"{years[0]}-01-01 to {years[-1]}-12-31), not for {year}.")
    listed = data.load("codes").set_index("code")
    if code in listed.index:
        state = "an active code" if listed.loc[code, "active"] else "no longer an active code"
        return (f"Code {code} is in the course's code list ({state}) but has no RVUs in the course data. "
                f"{_priced_codes(year, rvus)}")
    return f"There are no RVUs for code '{code}' in the course data. {_priced_codes(year, rvus)}"


def _rvu_row(code: str, year: int) -> Mapping:
    """Return the RVU row for a code and year, or raise ValueError naming what is available."""
    row = data.lookup("pfs_rvu", "code", "year").get((code, year))
    if row is None:
        raise ValueError(_not_priced(code, year, data.load("pfs_rvu")))
    return row


def _rvus(row: Mapping, rate: str, trail: _Trail) -> dict:
    """Return the work, PE (for the rate) and MP RVUs of a row, explaining them."""
    pe = row["pe_nonfacility" if rate == "non-facility" else "pe_facility"]
    if not data.present(pe):
        raise ValueError(f"The course data has no {rate} practice expense RVU for {row['code']} in "
                         f"{row['year']}; CMS does not price it at that rate. Use the other rate.")
    rvus = {"work": exact(row["work"]), "pe": exact(pe), "mp": exact(row["mp"])}
    shown = {name: number(value, RVU_PLACES) for name, value in rvus.items()}
    trail.add(f"RVUs for {row['code']} in {row['year']} (file {row['release']}): work {shown['work']}, "
              f"{rate} practice expense (PE) {shown['pe']}, malpractice (MP) {shown['mp']}.", row["source"])
    return rvus


def _indicators(row: Mapping) -> dict:
    """Return a row's payment indicators (None where the data has none)."""
    names = ("status", "global_days", "mult_proc", "bilat_surg")
    return {name: None if not data.present(row[name]) else row[name] for name in names}


def _meaning(field_name: str, value) -> str:
    """Return what an indicator value means, from data/indicators.csv."""
    known = coding.indicator(field_name, value)
    return known["meaning"] if known else "its meaning is not in data/indicators.csv"


def _meaning_source(field_name: str, value) -> str | None:
    """Return the source cell of an indicator's meaning, if the data has one."""
    known = coding.indicator(field_name, value)
    return known["source"] if known else None


# ---- geography and the fee schedule amount ---------------------------------------------------

def _gpcis(locality: str, year: int, trail: _Trail) -> dict:
    """Return the work, PE and MP GPCIs for a locality and year (1.000 each for 'national')."""
    wanted = str(locality).strip().lower()
    if wanted == NATIONAL:
        trail.add("National amount: the geographic practice cost indices (GPCIs) for work, practice expense "
                  f"and malpractice are all {NATIONAL_GPCI}, so the RVUs are used unchanged.")
        return dict.fromkeys(COMPONENTS, NATIONAL_GPCI)
    table = data.load("gpci")
    rows = table[(table["year"] == year) & (table["locality"] == wanted)]
    if rows.empty:
        raise ValueError(_no_locality(locality, year, table))
    row = rows.iloc[0]
    gpcis = {name: exact(row[name]) for name in COMPONENTS}
    shown = {name: number(value, GPCI_PLACES) for name, value in gpcis.items()}
    trail.add(f"GPCIs for {row['name']}, {row['state']} (MAC locality {row['mac_locality']}), {year}: "
              f"work {shown['work']}, PE {shown['pe']}, MP {shown['mp']}.", row["source"])
    return gpcis


def _no_locality(locality, year: int, table: pd.DataFrame) -> str:
    """Return why a locality cannot be used, naming the sourced ones."""
    this_year = table[table["year"] == year]
    if this_year.empty:
        years = _listing(sorted({int(y) for y in table["year"]}))
        return (f"The course data has no GPCIs for {year} (only for {years}). "
                f"Use locality '{NATIONAL}' for the national amount.")
    known = _listing(f"{row['locality']} ({row['name']}, {row['state']})" for _, row in this_year.iterrows())
    return (f"Locality '{locality}' is not in the course data for {year}. Only these localities are sourced: "
            f"{known}. Use '{NATIONAL}' for the national amount.")


def _fee_schedule_amount(rvus: dict, gpcis: dict, cf: Decimal, trail: _Trail) -> Decimal:
    """Return the fee schedule amount, Σ(RVU × GPCI) × CF rounded to cents, explaining the arithmetic."""
    adjusted = sum(rvus[name] * gpcis[name] for name in COMPONENTS)
    terms = " + ".join(f"{label} {number(rvus[name], RVU_PLACES)} × {number(gpcis[name], GPCI_PLACES)}"
                       for name, label in COMPONENTS.items())
    trail.add(f"Geographically adjusted RVUs = {terms} = {number(adjusted, RVU_PLACES)}.")
    product = adjusted * cf
    amount = cents(product)
    trail.add(f"Fee schedule amount = {number(adjusted, RVU_PLACES)} RVUs × CF ${number(cf)} "
              f"= ${number(product)}, rounded to the cent = {money(amount)} (the course rounds halves up; "
              "the CGS worked example shows amounts rounded to cents).")
    trail.cite(ROUNDING_SOURCE if ROUNDING_SOURCE in set(data.load("sources")["id"]) else None)
    return amount


# ---- modifiers -------------------------------------------------------------------------------

def payment_rule(name: str) -> tuple[Decimal, str]:
    """Return a payment rule's factor and source cell from data/payment_rules.csv."""
    rules = data.lookup("payment_rules", "rule")
    if name not in rules:
        raise ValueError(f"data/payment_rules.csv has no '{name}' rule, which this calculation needs.")
    return exact(rules[name]["factor"]), rules[name]["source"]


def _indicator(row: Mapping, column: str, modifier: str) -> int:
    """Return a row's indicator for a modifier, or raise ValueError when the data does not hold it."""
    value = row[column]
    if not data.present(value):
        years = data.load("pfs_rvu")
        years = years[(years["code"] == row["code"]) & years[column].notna()]["year"]
        held = f" It is held for {_listing(sorted(int(y) for y in years))}." if len(years) else ""
        raise ValueError(f"Modifier {modifier} cannot be priced for {row['code']} in {row['year']}: the "
                         f"{column} indicator is not in the course data for that year.{held}")
    return int(value)


def _adjust(amount: Decimal, factor: Decimal, label: str, trail: _Trail, cell: str) -> Decimal:
    """Return amount × factor rounded to cents, explaining it as one step."""
    result = cents(amount * factor)
    trail.add(f"{label}: {percent(factor)} × {money(amount)} = ${number(amount * factor)}, rounded half up "
              f"= {money(result)} (the course's convention: the percentage is applied to the amount already "
              "rounded to the cent).", cell)
    return result


def _bilateral(amount: Decimal, row: Mapping, trail: _Trail) -> Decimal:
    """Apply modifier 50 according to the row's bilateral indicator."""
    value = _indicator(row, "bilat_surg", "50")
    trail.cite(_meaning_source("bilat_surg", value))
    intro = f"Modifier 50 (bilateral): the bilateral indicator for {row['code']} in {row['year']} is {value}"
    if value == 1:
        factor, cell = payment_rule("bilateral")
        trail.add(f"{intro}: {_meaning('bilat_surg', value)} Medicare pays the lower of the charge and this "
                  "amount; the calculator assumes the charge is at least as high.")
        return _adjust(amount, factor, "Bilateral amount", trail, cell)
    if value in (0, 2):
        trail.add(f"{intro}: {_meaning('bilat_surg', value)} Priced anyway, to show the effect: there is no "
                  f"increase, {money(amount)}.")
        return amount
    if value == 3:
        trail.add(f"{intro}: {_meaning('bilat_surg', value)}")
        return _adjust(amount, Decimal(BOTH_SIDES), "Both sides", trail, _meaning_source("bilat_surg", value))
    raise ValueError(f"Modifier 50 cannot be priced for {row['code']}: bilateral indicator {value} "
                     f"({_meaning('bilat_surg', value)}) is not one this calculator handles (0, 1, 2 or 3).")


def _multiple(amount: Decimal, row: Mapping, after_bilateral: bool, trail: _Trail) -> Decimal:
    """Apply modifier 51 according to the row's multiple-procedure indicator."""
    value = _indicator(row, "mult_proc", "51")
    trail.cite(_meaning_source("mult_proc", value))
    intro = f"Modifier 51 (multiple procedures): the indicator for {row['code']} in {row['year']} is {value}"
    if value == 0:
        trail.add(f"{intro}: {_meaning('mult_proc', value)} So the amount stays {money(amount)}.")
        return amount
    if value != 2:
        raise ValueError(f"Modifier 51 cannot be priced for {row['code']}: multiple-procedure indicator "
                         f"{value} ({_meaning('mult_proc', value)}) is not one this calculator handles "
                         "(0 or 2).")
    factor, cell = payment_rule("multiple-other")
    order = " It is applied after the bilateral adjustment, as the bilateral rule requires."
    order = order if after_bilateral else ""
    trail.add(f"{intro}: {_meaning('mult_proc', value)} This line is a second or later procedure.{order}")
    return _adjust(amount, factor, "Reduced amount", trail, cell)


def _visit_modifier(code: str, trail: _Trail) -> None:
    """Check that modifier 25 is on an E/M (visit) code and explain that it does not change the amount."""
    codes = data.load("codes")
    visits = sorted(codes.loc[codes["group"] == EM_GROUP, "code"])
    if code not in visits:
        raise ValueError(f"Modifier 25 goes on the visit line (an evaluation and management code such as "
                         f"{_listing(visits)}), not on {code}. Price the visit separately with 25.")
    trail.add("Modifier 25 marks the visit as significant and separately identifiable from the procedure "
              "that day; it lets the visit be paid but does not change its amount.")


def _no_effect(modifiers: tuple, trail: _Trail) -> None:
    """Explain, group by group, the modifiers that report something on the line but do not change the amount."""
    known = data.lookup("modifiers", "modifier")
    for group, words in NO_EFFECT_WORDS.items():
        given = [modifier for modifier in modifiers if modifier in group]
        if not given:
            continue
        shown = _listing(f"{modifier}{_modifier_name(modifier)}" for modifier in given)
        verb = "identify" if len(given) > 1 else "identifies"
        verb = verb if group != ("79",) else "reports"
        cells = "; ".join(known[modifier]["source"] for modifier in given if modifier in known)
        trail.add(f"Modifier{'s' if len(given) > 1 else ''} {shown}: {verb} {words}.", cells or None)


def _apply_modifiers(amount: Decimal, modifiers: tuple, row: Mapping, trail: _Trail) -> Decimal:
    """Return the allowed amount after modifiers: 50 first, then 51; the others change nothing."""
    if "25" in modifiers:
        _visit_modifier(row["code"], trail)
    _no_effect(modifiers, trail)
    if "50" in modifiers:
        amount = _bilateral(amount, row, trail)
    if "51" in modifiers:
        amount = _multiple(amount, row, "50" in modifiers, trail)
    trail.add(f"Medicare-allowed amount: {money(amount)}.")
    return amount


# ---- who pays --------------------------------------------------------------------------------

def coinsurance_split(allowed: Decimal) -> tuple[Decimal, Decimal]:
    """Return (Medicare pays, patient pays) of an allowed amount under the Part B coinsurance, to the cent."""
    coinsurance, _ = payment_rule("coinsurance")
    medicare = cents(allowed * (1 - coinsurance))
    return medicare, allowed - medicare


def _split(allowed: Decimal, trail: _Trail) -> tuple[Decimal, Decimal]:
    """Return (Medicare pays, patient pays) after Part B coinsurance, explaining the split and its caveats."""
    coinsurance, cell = payment_rule("coinsurance")
    medicare, patient = coinsurance_split(allowed)
    trail.add(f"Medicare pays {percent(1 - coinsurance)} of the allowed amount = {money(medicare)}; the "
              f"patient's {percent(coinsurance)} coinsurance is {money(patient)}. This is before any "
              "Part B deductible: until the yearly deductible is met, the patient pays more and Medicare "
              "less.",
              cell)
    _payment_caveats(trail)
    return medicare, patient


def _payment_caveats(trail: _Trail) -> None:
    """Say what the calculator assumes about Medicare's share: a participating physician, before sequestration."""
    non_par, non_par_cell = payment_rule("non-participating")
    sequestration, sequestration_cell = payment_rule("sequestration")
    trail.add(f"Medicare's share above assumes a participating physician (a non-participating physician's fee "
              f"schedule amount is {percent(non_par)} of the participating amount) and is before the "
              f"{percent(sequestration)} sequestration reduction, which is taken from Medicare's payment only, "
              "not from the allowed amount or the patient's coinsurance.", f"{non_par_cell}; {sequestration_cell}")


def _drug_limit() -> str:
    """Return the Part B drug payment limit in words, from the payment rules ('a payment limit of ASP + 6%')."""
    factor, _ = payment_rule("drug-payment-limit")
    share = f"{((factor - 1) * 100).normalize():f}%"
    return f"a payment limit of the average sales price plus {share} (ASP + {share})"


def _drug_note(code: str, rate: str, trail: _Trail) -> str | None:
    """Say who bills the toxin, which depends on the rate (office or facility), for chemodenervation codes."""
    codes = data.lookup("codes", "code")
    if code not in codes or codes[code]["group"] != "chemodenervation":
        return None
    listed = _listing(f"{hcpcs} {drug['product']}" for hcpcs, drug in data.lookup("drugs", "hcpcs").items())
    if rate == "facility":
        note = ("The toxin is not in this amount, and it does not go on the physician's claim: in a facility "
                "(hospital outpatient department or ASC) the facility supplies the toxin and accounts for it on "
                "its own claim. A physician bills a drug only when it was the physician's expense.")
        trail.add(note, "ngs-patient-supplied-drugs")
        return note
    note = (f"The toxin is not in this amount: in the office the practice normally buys it and bills it on its "
            f"own line ({listed}); Medicare pays it separately, outside the fee schedule, at {_drug_limit()}.")
    trail.add(note, "ngs-patient-supplied-drugs")
    trail.cite(payment_rule("drug-payment-limit")[1])
    return note


# ---- the public calculator -------------------------------------------------------------------

def medicare_payment(code, date_of_service, place, modifiers=(), locality=NATIONAL, qp=False) -> Payment:
    """Return the Medicare payment for one claim line, with every step explained and every source cited."""
    trail, day, code = _Trail(), parse_date(date_of_service), _clean_code(code)
    modifiers = _clean_modifiers(modifiers)
    rate, pos = _place(place, trail)
    cf = _conversion_factor(day, bool(qp), trail)
    row = _rvu_row(code, day.year)
    rvus = _rvus(row, rate, trail)
    gpcis = _gpcis(locality, day.year, trail)
    amount = _fee_schedule_amount(rvus, gpcis, cf, trail)
    allowed = _apply_modifiers(amount, modifiers, row, trail)
    medicare, patient = _split(allowed, trail)
    note = _drug_note(code, rate, trail)
    return Payment(code=code, date_of_service=day, year=day.year, rate=rate, place_of_service=pos,
                   modifiers=modifiers, locality=str(locality).strip().lower(), qp=bool(qp),
                   conversion_factor=cf, rvus=rvus, gpcis=gpcis, fee_schedule_amount=amount, allowed=allowed,
                   medicare_pays=medicare, patient_pays=patient, steps=tuple(trail.steps),
                   sources=tuple(trail.sources), indicators=_indicators(row), drug_note=note)


def _period_row(code: str, rate: str, period) -> dict:
    """Return one history row: a conversion-factor period, that year's RVUs, the national amount, confidences."""
    row = _rvu_row(code, period.start.year)
    rvus = _rvus(row, rate, _Trail())
    cf = exact(period.cf)
    amount = _fee_schedule_amount(rvus, dict.fromkeys(COMPONENTS, NATIONAL_GPCI), cf, _Trail())
    return {"start": period.start, "end": period.end, "apm_status": period.apm_status,
            "year": period.start.year, **rvus, "total_rvus": sum(rvus.values()), "cf": cf,
            "fee_schedule_amount": amount, "rvu_confidence": row["confidence"], "cf_confidence": period.confidence}


def history(code, place) -> pd.DataFrame:
    """Return the national fee schedule amount in every conversion-factor period the code has RVUs for."""
    code = _clean_code(code)
    rate, _ = _place(place, _Trail())
    rvus = data.load("pfs_rvu")
    years = {int(year) for year in rvus.loc[rvus["code"] == code, "year"]}
    if not years:
        raise ValueError(_not_priced(code, None, rvus))
    periods = data.load("conversion_factors").sort_values("start", kind="stable")
    rows = [_period_row(code, rate, period) for period in periods.itertuples() if period.start.year in years]
    if not rows:
        raise ValueError(f"Code {code} has RVUs for {_listing(sorted(years))}, but no conversion-factor "
                         "period in the course data falls in those years.")
    return pd.DataFrame(rows)


def compare(codes, date_of_service, place) -> pd.DataFrame:
    """Return one row per code: RVUs, total, global days, bilateral indicator, national amount."""
    codes = [codes] if isinstance(codes, (str, int)) else list(codes)
    rows = []
    for code in codes:
        payment = medicare_payment(code, date_of_service, place)
        rows.append({"code": payment.code, **payment.rvus, "total_rvus": sum(payment.rvus.values()),
                     "global_days": payment.indicators["global_days"],
                     "bilat_surg": payment.indicators["bilat_surg"],
                     "fee_schedule_amount": payment.fee_schedule_amount})
    return pd.DataFrame(rows)


def change(code, place, from_date, to_date, qp=False) -> Change:
    """Return the national fee schedule amounts on two dates and the dollar and percentage change."""
    before = medicare_payment(code, from_date, place, qp=qp)
    after = medicare_payment(code, to_date, place, qp=qp)
    if before.fee_schedule_amount == 0:
        raise ValueError(f"{before.code} has a fee schedule amount of {money(before.fee_schedule_amount)} on "
                         f"{before.date_of_service}, so a percentage change cannot be computed.")
    dollars = after.fee_schedule_amount - before.fee_schedule_amount
    percent = cents(dollars / before.fee_schedule_amount * 100)
    return Change(code=before.code, rate=before.rate, from_date=before.date_of_service,
                  to_date=after.date_of_service, from_amount=before.fee_schedule_amount,
                  to_amount=after.fee_schedule_amount, dollars=dollars, percent=percent,
                  before=before, after=after)


def session(codes, date_of_service, place, side=None, locality=NATIONAL, qp=False) -> pd.DataFrame:
    """Return one session's procedures ranked by fee schedule amount: the highest in full, the others with 51."""
    sides = () if side is None else (side,)
    priced = [medicare_payment(code, date_of_service, place, sides, locality, qp)
              for code in ([codes] if isinstance(codes, str) else codes)]
    ranked = sorted(priced, key=lambda payment: payment.fee_schedule_amount, reverse=True)
    rows = []
    for rank, first in enumerate(ranked, start=1):
        line = first if rank == 1 else medicare_payment(first.code, date_of_service, place, ("51", *sides),
                                                        locality, qp)
        rows.append({"rank": rank, "claim line": claim_line(line.code, line.modifiers),
                     "fee_schedule_amount": line.fee_schedule_amount, "allowed": line.allowed})
    return pd.DataFrame(rows)


def rounding_orders(code) -> pd.DataFrame:
    """Return, per rate and period with a bilateral indicator of 1, the bilateral amount under two rounding orders."""
    factor, _ = payment_rule("bilateral")
    rows = []
    for rate in PFS_RATES:
        for period in history(code, rate).itertuples():
            indicator = _rvu_row(code, period.year)["bilat_surg"]
            if not data.present(indicator) or int(indicator) != 1:
                continue
            rounded_first = cents(period.fee_schedule_amount * factor)
            multiplied_first = cents(period.total_rvus * period.cf * factor)
            rows.append({"rate": rate, "start": period.start, "end": period.end, "apm_status": period.apm_status,
                         "fee_schedule_amount": period.fee_schedule_amount, "round_first": rounded_first,
                         "multiply_first": multiplied_first, "difference": rounded_first - multiplied_first})
    return pd.DataFrame(rows)


# ---- the tables the lessons show -------------------------------------------------------------

def history_table(code) -> pd.DataFrame:
    """Return a code's history with both rates side by side: RVUs, CF, office and facility amounts and their gap."""
    office, facility = history(code, "non-facility"), history(code, "facility")
    table = office[["start", "end", "apm_status", "year", "work"]].assign(
        office_pe=office["pe"], facility_pe=facility["pe"], mp=office["mp"], cf=office["cf"],
        office_amount=office["fee_schedule_amount"], facility_amount=facility["fee_schedule_amount"])
    return table.assign(office_minus_facility=table["office_amount"] - table["facility_amount"],
                        rvu_confidence=office["rvu_confidence"], cf_confidence=office["cf_confidence"])


def family_table(codes, date_of_service) -> pd.DataFrame:
    """Return one row per code, both rates side by side: descriptor, RVUs, indicators, office and facility amounts."""
    office, facility = compare(codes, date_of_service, "non-facility"), compare(codes, date_of_service, "facility")
    descriptors = data.load("codes").set_index("code")["cms_short_descriptor"]
    return pd.DataFrame({
        "code": office["code"], "cms_short_descriptor": office["code"].map(descriptors), "work": office["work"],
        "office_pe": office["pe"], "facility_pe": facility["pe"], "mp": office["mp"],
        "global_days": office["global_days"], "bilat_surg": office["bilat_surg"],
        "office_amount": office["fee_schedule_amount"], "facility_amount": facility["fee_schedule_amount"]})


def by_locality(code, date_of_service, place) -> pd.DataFrame:
    """Return a code's allowed amount nationally and in each locality the data holds for the year (dollars)."""
    day = parse_date(date_of_service)
    gpci = data.load("gpci")
    local = gpci[gpci["year"] == day.year]
    places = {"National": NATIONAL} | dict(zip(local["name"] + ", " + local["state"], local["locality"]))
    amounts = [medicare_payment(code, day, place, locality=locality).allowed for locality in places.values()]
    return pd.DataFrame({"locality": list(places), "amount": amounts})


def _year_change(frame: pd.DataFrame, from_year: int, to_year: int) -> pd.DataFrame:
    """Return a frame with a column per year plus the change between them, in RVUs and in percent."""
    change = (frame[to_year] - frame[from_year]).round(2)
    changed = frame.assign(change=change, **{"change (%)": (change / frame[from_year] * 100).round(1)})
    return changed.rename_axis(columns=None)


def _years(rvus: pd.DataFrame, codes, from_year: int, to_year: int) -> pd.DataFrame:
    """Return the RVU rows of some codes in two years, or raise ValueError naming what is missing."""
    rows = rvus[rvus["code"].isin(codes) & rvus["year"].isin([from_year, to_year])]
    held = set(zip(rows["code"], rows["year"]))
    missing = [f"{code} in {year}" for code in codes for year in (from_year, to_year) if (code, year) not in held]
    if missing:
        raise ValueError(f"The course data has no RVUs for {_listing(missing)}.")
    return rows


def rvu_change(code, from_year: int, to_year: int) -> pd.DataFrame:
    """Return one code's work, PE (both rates) and MP RVUs in two years, with the change."""
    code = _clean_code(code)
    by_year = _years(data.load("pfs_rvu"), [code], from_year, to_year).set_index("year")
    components = by_year[["work", "pe_nonfacility", "pe_facility", "mp"]].T
    return _year_change(components, from_year, to_year).rename_axis("RVU").reset_index()


def work_change(codes, from_year: int, to_year: int) -> pd.DataFrame:
    """Return the work RVU of each code in two years, with the change (codes in the order given)."""
    codes = [_clean_code(code) for code in codes]
    rows = _years(data.load("pfs_rvu"), codes, from_year, to_year)
    work = rows.pivot(index="code", columns="year", values="work").loc[codes]
    return _year_change(work, from_year, to_year).reset_index()


def sessions_where(codes, date_of_service, where: dict, side=None) -> pd.DataFrame:
    """Return one session ranked in several places; ``where`` maps a label to (place, locality)."""
    frames = [session(codes, date_of_service, place, side=side, locality=locality).assign(where=label)
              for label, (place, locality) in where.items()]
    return pd.concat(frames, ignore_index=True)[["where", "rank", "claim line", "fee_schedule_amount", "allowed"]]


def rate_gap(office: Payment, facility: Payment) -> str:
    """Return, for one claim line priced at both rates, the difference and why only the PE RVU explains it."""
    same = (office.code, office.date_of_service, office.locality, office.qp, office.modifiers) == (
        facility.code, facility.date_of_service, facility.locality, facility.qp, facility.modifiers)
    if not same or (office.rate, facility.rate) != ("non-facility", "facility"):
        raise ValueError("Compare one claim line (the same code, date, locality, QP status and modifiers) priced "
                         "in the office first and in a facility second.")
    if office.locality != NATIONAL or set(office.modifiers) & {"50", "51"}:
        raise ValueError("The gap is explained for a national amount without 50 or 51; a locality's GPCIs and "
                         "those modifiers scale it further (see each payment's steps).")
    gap = office.rvus["pe"] - facility.rvus["pe"]
    return (f"Office minus facility: {money(office.allowed - facility.allowed)}. Only the PE differs: {gap} RVUs x "
            f"CF ${office.conversion_factor} = ${gap * office.conversion_factor:.4f}")


# ---- dates the tools start from --------------------------------------------------------------

def reference_date() -> date:
    """Return the date of service the tools start from: the first day of the newest conversion-factor period."""
    return max(data.load("conversion_factors")["start"])


def mid_year_changes() -> list[date]:
    """Return the start of every conversion-factor period that began part-way through a year."""
    starts = sorted(set(data.load("conversion_factors")["start"]))
    return [start for start in starts if (start.month, start.day) != (1, 1)]
