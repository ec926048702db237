"""The course's current year and the example dates its lessons, quizzes and handouts use, all derived from data.

Rolling the course to a new year is a data change. When ``data/`` gains the next conversion factor with its RVUs
and GPCIs, ``fee_year()`` moves and every lesson, quiz and handout that speaks of "this year" follows. Each
example date follows the table it depends on: a fee-schedule example the newest conversion factor, a drug example
the newest quarter of Part B payment limits, the deductible and the appeal amounts their newest year. A quiz bank
writes these as placeholders (``{fee_year}``, ``{session_date}`` ...; see ``placeholders()``).
"""

from datetime import date, timedelta

from helpers import data, fees


def first_monday(year: int, month: int) -> date:
    """Return the first Monday of a month (the course's example sessions fall on Mondays)."""
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def fee_year() -> int:
    """Return the year of the newest fee schedule in the data (the newest conversion-factor period's year)."""
    return fees.reference_date().year


def previous_fee_year() -> int:
    """Return the year before the newest fee schedule."""
    return fee_year() - 1


def session_date() -> date:
    """Return the example date of service: the first Monday of March in the newest fee schedule's year."""
    return max(first_monday(fee_year(), 3), fees.reference_date())


def previous_session_date() -> date:
    """Return the example date of service a year earlier: the first Monday of June of the year before."""
    return first_monday(previous_fee_year(), 6)


def drug_quarter() -> date:
    """Return the first day of the newest quarter of Part B drug payment limits in the data."""
    return max(data.load("asp_limits")["quarter_start"])


def drug_date() -> date:
    """Return the example date of a toxin session: the first Monday of the newest limit quarter's second month."""
    quarter = drug_quarter()
    return first_monday(quarter.year, quarter.month + 1)


def before_drug_limits() -> date:
    """Return a date before the oldest quarter of drug payment limits the course holds (a date it cannot price)."""
    oldest = min(data.load("asp_limits")["quarter_start"])
    return first_monday(oldest.year - (oldest.month == 1), (oldest.month - 2) % 12 + 1)


def cost_year() -> int:
    """Return the newest year of Part B deductibles in the data."""
    return int(data.load("part_b_costs")["year"].max())


def appeal_year() -> int:
    """Return the newest year of appeal amounts in controversy in the data."""
    return int(data.load("appeal_thresholds")["year"].max())


def remittance_date() -> date:
    """Return the example remittance date: two weeks after the example date of service."""
    return session_date() + timedelta(days=14)


def opps_effective() -> date:
    """Return the start of the newest OPPS rate for 64612 in the data."""
    rates = data.load("facility_rates")
    return max(rates.loc[(rates["system"] == "OPPS") & (rates["code"] == "64612"), "effective"])


def mue_effective() -> date:
    """Return the date of the newest practitioner MUE file the course read."""
    edits = data.load("mue")
    return max(edits.loc[edits["ncci_setting"] == "practitioner", "effective"])


def _sources(table: str, chosen) -> str:
    """Return the source ids of the chosen rows of a table, in order, as a comma-separated list."""
    ids = [part.strip() for cell in data.load(table).loc[chosen, "source"] for part in str(cell).split(";")]
    return ", ".join(dict.fromkeys(ids))


def placeholders() -> dict[str, str]:
    """Return the values a quiz bank's ``{name}`` placeholders stand for, by name (dates in ISO form)."""
    rvus, factors, gpci = data.load("pfs_rvu"), data.load("conversion_factors"), data.load("gpci")
    limits, costs_, appeals = data.load("asp_limits"), data.load("part_b_costs"), data.load("appeal_thresholds")
    rates, edits = data.load("facility_rates"), data.load("mue")
    values = {"fee_year": fee_year(), "previous_fee_year": previous_fee_year(), "session_date": session_date(),
              "previous_session_date": previous_session_date(), "drug_date": drug_date(), "cost_year": cost_year(),
              "appeal_year": appeal_year(), "opps_effective": opps_effective(), "opps_year": opps_effective().year,
              "rvu_source": _sources("pfs_rvu", (rvus["year"] == fee_year()) & (rvus["code"] == "64612")),
              "cf_source": _sources("conversion_factors", factors["start"].map(lambda day: day.year) == fee_year()),
              "gpci_source": _sources("gpci", gpci["year"] == fee_year()),
              "drug_source": _sources("asp_limits", limits["quarter_start"] == drug_quarter()),
              "cost_source": _sources("part_b_costs", costs_["year"] == cost_year()),
              "appeal_source": _sources("appeal_thresholds", appeals["year"] == appeal_year()),
              "mue_effective": mue_effective(),
              "mue_source": _sources("mue", (edits["ncci_setting"] == "practitioner")
                                     & (edits["effective"] == mue_effective())),
              "opps_source": _sources("facility_rates", (rates["system"] == "OPPS") & (rates["code"] == "64612")
                                      & (rates["effective"] == opps_effective()))}
    return {name: value.isoformat() if isinstance(value, date) else str(value) for name, value in values.items()}


def fill(text: str) -> str:
    """Return ``text`` with every known ``{name}`` placeholder replaced by its value; other braces stay."""
    for name, value in placeholders().items():
        text = text.replace("{" + name + "}", value)
    return text
