"""The whole bill for one 64612 session: the physician's fee, the drug, the facility's payment, and who pays.

Everything comes from data: the drug's payment limit for the quarter of the date of service (asp_limits), the
facility rates (facility_rates), the fee schedule (through fees), the coinsurance and practitioner shares
(payment_rules) and the deductible (part_b_costs). A figure the data does not hold is shown as a gap with its
reason, never guessed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from helpers import data, drugs, fees
from helpers.formatting import percent
from helpers.schema import split_ids
from helpers.tables import CARE_SETTINGS, FACILITY_SYSTEMS, SEPARATELY_PAID

QUARTER_MONTHS = 3
PRACTITIONERS = ("physician", "incident-to", "non-physician-practitioner")
"""Who injects and bills: the physician, a practitioner billing under the physician, or under their own number."""
FACILITY_SYSTEM = dict(zip(("hospital outpatient", "ambulatory surgical center"), FACILITY_SYSTEMS))
"""The Medicare payment system that pays the facility in each care setting (the office has none)."""


@dataclass(frozen=True)
class DrugPayment:
    """Medicare's payment for the toxin of one session: units, the quarter's limit, amounts and shares."""

    units: drugs.DrugUnits
    quarter_start: date
    payment_limit: Decimal
    given: Decimal
    discarded: Decimal
    total: Decimal
    patient: Decimal
    medicare: Decimal
    sources: tuple
    confidence: str


def _quarter_end(start: date) -> date:
    """Return the first day after a quarter that starts on ``start``."""
    month = start.month + QUARTER_MONTHS
    return date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def quarters(hcpcs: str) -> list[date]:
    """Return the start of every quarter the data holds a payment limit for, for one drug code."""
    limits = data.load("asp_limits")
    return sorted(limits.loc[limits["hcpcs"] == hcpcs, "quarter_start"])


def payment_limit(hcpcs: str, date_of_service) -> dict:
    """Return the asp_limits row whose quarter holds the date of service, or raise naming the quarters held."""
    day = fees.parse_date(date_of_service)
    for start in quarters(hcpcs):
        if start <= day < _quarter_end(start):
            return dict(data.lookup("asp_limits", "hcpcs", "quarter_start")[(hcpcs, start)])
    held = ", ".join(f"{start:%Y-%m-%d}" for start in quarters(hcpcs)) or "none"
    raise ValueError(f"The course's data has no payment limit for {hcpcs} on {day:%Y-%m-%d}. Quarters held "
                     f"(each three months from its first day): {held}. Add the quarter's CMS file to "
                     "data/asp_limits.csv to price that date.")


def drug_payment(product: str, dose, vial, date_of_service, vials: int | None = None) -> DrugPayment:
    """Return what Medicare pays for the toxin given and discarded in one session, and the patient's share."""
    units = drugs.billing_units(product, dose, vial, vials)
    row = payment_limit(units.hcpcs, date_of_service)
    limit = fees.exact(row["payment_limit"])
    given, discarded = fees.cents(limit * units.billed), fees.cents(limit * units.discarded)
    total = given + discarded
    patient = sum((fees.coinsurance_split(amount)[1] for amount in (given, discarded)), Decimal(0))
    return DrugPayment(units, row["quarter_start"], limit, given, discarded, total, patient, total - patient,
                       (*split_ids(row["source"]), *split_ids(fees.payment_rule("coinsurance")[1])),
                       row["confidence"])


def facility_rate(system: str, code: str, date_of_service) -> dict | None:
    """Return the facility_rates row in force on the date (same calendar year, newest first), or None."""
    day = fees.parse_date(date_of_service)
    rates = data.load("facility_rates")
    rates = rates[(rates["system"] == system) & (rates["code"] == code)]
    rates = rates[[effective.year == day.year and effective <= day for effective in rates["effective"]]]
    return None if rates.empty else rates.sort_values("effective").iloc[-1].to_dict()


def _position(setting: str) -> str:
    """Return the first place-of-service code of a care setting, or raise naming the settings."""
    if setting not in CARE_SETTINGS:
        raise ValueError(f"'{setting}' is not a care setting the course prices. Choose one of: "
                         f"{', '.join(CARE_SETTINGS)}.")
    return CARE_SETTINGS[setting][0]


def _facility_row(setting: str, code: str, day: date) -> dict:
    """Return the facility's line for a setting: its payment and the patient's share, or the gap and why."""
    if setting not in FACILITY_SYSTEM:
        return {"part": "facility", "paid to": "none", "allowed": Decimal("0.00"), "note": "The office has no facility "
                "payment: its costs are in the physician's non-facility rate."}
    system = FACILITY_SYSTEM[setting]
    row = facility_rate(system, code, day)
    if row is None or not data.present(row["national_rate"]):
        return {"part": "facility", "paid to": setting, "allowed": None,
                "note": f"No {system} rate for {code} in {day.year} in the course's data: a gap, not a zero."}
    return {"part": "facility", "paid to": setting, "allowed": fees.cents(fees.exact(row["national_rate"])),
            "note": f"{system} national rate, effective {row['effective']:%Y-%m-%d} (status {row['status_indicator']}"
                    f"; confidence {row['confidence']}).", "source": row["source"]}


def _drug_row(setting: str, payment: DrugPayment, day: date) -> dict:
    """Return the drug's line for a setting: who is paid for it, or the gap where the data cannot say."""
    who = "physician" if setting == "office" else setting
    if setting in FACILITY_SYSTEM:
        rate = facility_rate(FACILITY_SYSTEM[setting], payment.units.hcpcs, day)
        if rate is None:
            return {"part": "drug", "paid to": who, "allowed": None,
                    "note": f"No {FACILITY_SYSTEM[setting]} payment indicator for {payment.units.hcpcs} on this date "
                            "in the course's data, so whether the toxin is paid separately is not known: a gap."}
        if rate["status_indicator"] not in SEPARATELY_PAID:
            return {"part": "drug", "paid to": who, "allowed": Decimal("0.00"),
                    "note": f"Indicator {rate['status_indicator']}: not paid separately (packaged into the "
                            "procedure's payment)."}
    return {"part": "drug", "paid to": who, "allowed": payment.total,
            "note": f"{payment.units.billed + payment.units.discarded} billing units at "
                    f"${payment.payment_limit:,.3f} a unit (quarter from {payment.quarter_start:%Y-%m-%d}; "
                    f"confidence {payment.confidence}).", "source": "; ".join(payment.sources)}


def session_rows(setting: str, date_of_service, side: str, product: str, dose, vial, code: str = "64612") -> list:
    """Return the lines of one session's bill in one setting: physician, facility, drug."""
    day = fees.parse_date(date_of_service)
    if side not in ("RT", "LT"):
        raise ValueError("The whole-bill comparison prices one side (RT or LT): the course's data does not say "
                         "how OPPS and ASC rates treat both sides.")
    physician = fees.medicare_payment(code, day, _position(setting), (side,))
    rows = [{"part": "physician", "paid to": "physician", "allowed": physician.allowed,
             "note": f"Fee schedule, {physician.rate} rate.", "source": "; ".join(physician.sources)},
            _facility_row(setting, code, day), _drug_row(setting, drug_payment(product, dose, vial, day), day)]
    return [{"setting": setting, **row} for row in rows]


def _shares(allowed: Decimal | None) -> tuple:
    """Return the patient's coinsurance and Medicare's share of an allowed amount (None stays None)."""
    if allowed is None:
        return None, None
    medicare, patient = fees.coinsurance_split(allowed)
    return patient, medicare


def whole_bill(date_of_service, side: str, product: str, dose, vial, code: str = "64612") -> pd.DataFrame:
    """Return one session's bill in every care setting, line by line, with the patient's and Medicare's shares."""
    rows = [row for setting in CARE_SETTINGS
            for row in session_rows(setting, date_of_service, side, product, dose, vial, code)]
    for row in rows:
        row["patient"], row["medicare"] = _shares(row["allowed"])
    columns = ["setting", "part", "paid to", "allowed", "patient", "medicare", "note"]
    return pd.DataFrame(rows)[columns]


def totals(bill: pd.DataFrame) -> pd.DataFrame:
    """Return one row per setting: the totals, and whether a gap makes them a lower bound."""
    rows = []
    for setting, lines in bill.groupby("setting", sort=False):
        known = lines["allowed"].map(data.present)
        rows.append({"setting": setting, "allowed": sum(lines.loc[known, "allowed"], Decimal(0)),
                     "patient": sum(lines.loc[known, "patient"], Decimal(0)),
                     "medicare": sum(lines.loc[known, "medicare"], Decimal(0)),
                     "complete": "yes" if known.all() else "no: " + ", ".join(lines.loc[~known, "part"])})
    return pd.DataFrame(rows)


def deductible(year: int) -> Decimal:
    """Return the Part B deductible of a year, or raise naming the years the data holds."""
    year = _year(year)
    costs = data.lookup("part_b_costs", "year")
    if year not in costs:
        held = ", ".join(map(str, costs))
        raise ValueError(f"The course's data has no Part B deductible for {year}; it holds {held}.")
    return fees.exact(costs[year]["part_b_deductible"])


def _dollars(value, name: str) -> Decimal:
    """Return an amount in dollars, to the cent, or raise ValueError naming the field."""
    try:
        amount = fees.cents(fees.exact(str(value).replace(",", "").replace("$", "").strip()))
    except ArithmeticError:
        raise ValueError(f"The {name} must be an amount in dollars, such as 792.22; got '{value}'.") from None
    if amount < 0:
        raise ValueError(f"The {name} cannot be negative; got '{value}'.")
    return amount


def _year(value) -> int:
    """Return a year as a whole number, or raise ValueError saying how to write it."""
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a year; write it as four digits, such as 2026.") from None


def patient_share(allowed, year: int, deductible_met=0) -> dict:
    """Return what the patient owes on an allowed amount: the rest of the deductible first, then coinsurance."""
    allowed, met = _dollars(allowed, "allowed amount"), _dollars(deductible_met, "deductible already met")
    remaining = max(deductible(year) - met, Decimal(0))
    toward = fees.cents(min(remaining, allowed))
    medicare, coinsurance = fees.coinsurance_split(allowed - toward)
    return {"allowed": allowed, "deductible": toward, "coinsurance": coinsurance, "patient": toward + coinsurance,
            "medicare": medicare}


def practitioner_table(code: str, date_of_service, side: str = "RT") -> pd.DataFrame:
    """Return the office payment for the code when the physician, incident-to, or a practitioner bills it."""
    physician = fees.medicare_payment(code, date_of_service, CARE_SETTINGS["office"][0], (side,))
    rows = [{"who bills": "physician", "share": percent(1), "allowed": physician.allowed,
             "source": ""}]
    for who in PRACTITIONERS[1:]:
        factor, source = fees.payment_rule(who)
        rows.append({"who bills": who, "share": percent(factor), "allowed": fees.cents(physician.allowed * factor),
                     "source": source})
    return pd.DataFrame(rows)


def limit_table() -> pd.DataFrame:
    """Return the payment limits the data holds: one row per quarter, one column per drug code."""
    limits = data.load("asp_limits")
    table = limits.pivot(index="quarter_start", columns="hcpcs", values="payment_limit").reset_index()
    confidence = limits.groupby("quarter_start")["confidence"].agg(lambda levels: max(levels, key="HML".index))
    confidence = confidence.to_numpy()
    return table.assign(confidence=confidence).rename(columns={"quarter_start": "quarter from"})


def drug_lines(payment: DrugPayment) -> pd.DataFrame:
    """Return a drug payment line by line: units given, units discarded, total, and each share."""
    units = payment.units
    rows = [{"line": line, "billing units": count, "payment limit": payment.payment_limit, "allowed": amount}
            for line, count, amount in zip(units.lines, (units.billed, units.discarded), (payment.given,
                                                                                            payment.discarded))]
    if len(units.lines) == 1:
        rows = rows[:1]
    rows.append({"line": "total", "billing units": units.billed + units.discarded, "payment limit": None,
                 "allowed": payment.total})
    frame = pd.DataFrame(rows)
    frame["patient"] = [fees.coinsurance_split(amount)[1] for amount in frame["allowed"]]
    frame.loc[frame.index[-1], "patient"] = payment.patient  # the total is the sum of the lines' shares
    frame["medicare"] = frame["allowed"] - frame["patient"]
    return frame


def share_table(allowed, year: int) -> pd.DataFrame:
    """Return what the patient and Medicare pay on an allowed amount before and after the year's deductible."""
    rows = {"deductible not yet met": patient_share(allowed, year),
            "deductible already met": patient_share(allowed, year, deductible(year))}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("when").reset_index()
