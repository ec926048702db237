"""The Medicare fee calculator against hand-computed amounts, its errors, its steps and its sources.

Expected amounts are national (no GPCI) and computed by hand from the research fact sheet:
total RVUs x conversion factor, rounded to cents half up. Rounding half up, and rounding before a
percentage is applied, are the course's convention: its sources show amounts rounded to cents but
state neither CMS's rule nor its order.
"""

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from course_support import published
from helpers import data, fees
from helpers.schema import split_ids

D = Decimal


def pay(day, place, **options):
    """Return the 64612 payment for a date of service and place (a rate or a place-of-service code)."""
    return fees.medicare_payment("64612", day, place, **options)


# ---- the fee schedule amount ---------------------------------------------------------------

def _published_rows():
    """Return every published national amount as (code, day, rate, apm status, amount, source)."""
    return [(row.code, str(row.date_of_service), row.rate, row.apm_status, D(str(row.amount)), row.source)
            for row in data.load("published_figures").itertuples()]


@pytest.mark.parametrize(("code", "day", "rate", "status", "amount", "source"), _published_rows(),
                         ids=lambda value: str(value))
def test_national_fee_schedule_amounts_match_the_published_figures(code, day, rate, status, amount, source):
    computed = fees.medicare_payment(code, day, rate, qp=status == "QP").fee_schedule_amount
    assert computed == amount, (
        f"The published figure for {code} ({rate}, {day}, {status}) is {amount} in data/published_figures.csv "
        f"(sources: {source}), but the course computes {computed}. If the data changed on purpose, review the "
        "source and update that row; otherwise the RVUs or the conversion factor are wrong.")


def test_the_payment_records_its_inputs_and_the_numbers_used():
    payment = pay("2026-03-02", "non-facility")
    assert payment.code == "64612"
    assert payment.date_of_service == date(2026, 3, 2) and payment.year == 2026
    assert payment.rate == "non-facility" and payment.place_of_service is None
    assert payment.locality == "national" and payment.qp is False and payment.modifiers == ()
    assert payment.conversion_factor == D("33.4009")
    assert payment.rvus == {"work": D("1.37"), "pe": D("2.58"), "mp": D("0.29")}
    assert payment.gpcis == {"work": D("1.000"), "pe": D("1.000"), "mp": D("1.000")}
    amounts = (payment.fee_schedule_amount, payment.allowed, payment.medicare_pays, payment.patient_pays)
    assert all(isinstance(value, Decimal) for value in amounts)
    assert pay("2026-03-02", "facility").rvus["pe"] == D("1.58")


def test_dates_may_be_given_as_date_datetime_or_text():
    expected = pay("2026-03-02", "11").allowed
    assert pay(date(2026, 3, 2), "11").allowed == expected
    assert pay(datetime(2026, 3, 2, 9, 30), "11").allowed == expected
    assert pay(" 2026-03-02 ", "11").date_of_service == date(2026, 3, 2)


def test_march_8_and_march_9_2024_use_different_conversion_factors():
    before, after = pay("2024-03-08", "11"), pay("2024-03-09", "11")
    assert before.conversion_factor == D("32.7442")
    assert after.conversion_factor == D("33.2875")
    assert (before.fee_schedule_amount, after.fee_schedule_amount) == (D("136.22"), D("138.48"))


def test_qp_on_a_date_with_one_factor_uses_it_and_says_so():
    payment = pay("2025-06-01", "11", qp=True)
    assert payment.conversion_factor == D("32.3465")
    assert payment.fee_schedule_amount == D("134.24")
    assert any("no separate QP conversion factor" in step for step in payment.steps)
    assert not any("no separate" in step for step in pay("2026-06-01", "11", qp=True).steps)


def test_2026_uses_the_non_qp_factor_unless_qp_is_asked_for():
    assert pay("2026-06-01", "11").conversion_factor == D("33.4009")
    assert pay("2026-06-01", "11", qp=True).conversion_factor == D("33.5675")


# ---- place of service ----------------------------------------------------------------------

@pytest.mark.parametrize(("pos", "rate", "name"), [
    ("11", "non-facility", "Office"),
    ("19", "facility", "Off Campus-Outpatient Hospital"),
    ("22", "facility", "On Campus-Outpatient Hospital"),
    ("24", "facility", "Ambulatory Surgical Center"),
])
def test_place_of_service_maps_to_the_fee_schedule_rate(pos, rate, name):
    payment = pay("2026-03-02", pos)
    assert payment.rate == rate and payment.place_of_service == pos
    assert payment.fee_schedule_amount == pay("2026-03-02", rate).fee_schedule_amount
    assert f"Place of service {pos} ({name}) is paid at the {rate} rate." in payment.steps


def test_office_and_hospital_outpatient_amounts():
    assert pay("2026-03-02", "11").allowed == published("2026-03-02", "non-facility")
    assert pay("2026-03-02", "22").allowed == published("2026-03-02", "facility")
    assert pay("2026-03-02", 11).rate == "non-facility"  # a number works as well as text


# ---- modifiers -----------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "qp", "expected"), [
    ("2026-03-02", False, "212.43"),  # 141.62 x 1.5 = 212.43
    # The course's convention: apply 150% to the fee schedule amount already rounded to the cent, as a
    # MAC's published amounts are in cents. No cited source states CMS's order (cgs-mpfs-calculation shows
    # only a final amount rounded to cents; wps-bilateral says "150% of the fee schedule amount"). The fact
    # sheet multiplies the unrounded product (136.2159 x 1.5 = 204.32); the course gives 136.22 x 1.5 = 204.33.
    ("2024-01-15", False, "204.33"),
    ("2026-03-02", True, "213.50"),   # 142.33 x 1.5 = 213.495, rounded half up
])
def test_modifier_50_pays_150_percent_of_the_rounded_amount(day, qp, expected):
    payment = pay(day, "11", modifiers=("50",), qp=qp)
    assert payment.allowed == D(expected)
    assert payment.allowed == (payment.fee_schedule_amount * D("1.5")).quantize(D("0.01"), "ROUND_HALF_UP")


def test_modifier_51_halves_the_amount():
    assert pay("2026-03-02", "11", modifiers=["51"]).allowed == D("70.81")  # 141.62 x 0.5


def test_modifier_50_applies_before_51_whatever_the_order_given():
    # 142.33 x 1.5 = 213.495 -> 213.50; x 0.5 = 106.75. (51 first would give 71.165 -> 71.17 x 1.5 = 106.76.)
    payment = pay("2026-03-02", "11", modifiers=("51", "50"), qp=True)
    assert payment.allowed == D("106.75")
    bilateral = next(i for i, step in enumerate(payment.steps) if step.startswith("Bilateral amount"))
    reduced = next(i for i, step in enumerate(payment.steps) if step.startswith("Reduced amount"))
    assert bilateral < reduced
    assert payment.modifiers == ("51", "50")


@pytest.mark.parametrize(("modifier", "words"), [
    ("RT", "the side treated"), ("lt", "the side treated"), ("59", "a distinct service"),
    ("XS", "a distinct service"), ("xu", "a distinct service"), ("79", "starts a new global period")])
def test_side_and_distinctness_modifiers_do_not_change_the_amount(modifier, words):
    payment = pay("2026-03-02", "11", modifiers=[modifier])
    assert payment.allowed == D("141.62")
    assert payment.modifiers == (modifier.upper(),)
    step = next(step for step in payment.steps if step.startswith(f"Modifier {modifier.upper()} "))
    assert words in step and ("not for the amount" in step or "does not change the amount" in step)


def test_each_modifier_group_gets_its_own_wording():
    steps = pay("2026-03-02", "11", modifiers=["RT", "59", "79"]).steps
    side = next(step for step in steps if step.startswith("Modifier RT"))
    assert "distinct" not in side and "global period" not in side
    assert any(step.startswith("Modifier 59") and "procedure-to-procedure edit" in step for step in steps)


@pytest.mark.parametrize(("modifiers", "words"), [
    (["50", "RT"], ["50 cannot go with RT", "one line with 50", "64612-50"]),
    (["lt", "50"], ["50 cannot go with LT", "64612-50"]),
    (["50", "RT", "LT"], ["50 cannot go with RT or LT"]),
    (["RT", "LT"], ["RT and LT cannot go on one line", "one line reports one side", "64612-50"]),
    (["51", "RT", "LT"], ["RT and LT cannot go on one line"]),
])
def test_impossible_modifier_combinations_are_refused_with_the_rule(modifiers, words):
    with pytest.raises(ValueError) as caught:
        pay("2026-03-02", "11", modifiers=modifiers)
    for phrase in words:
        assert phrase in str(caught.value)


def test_possible_combinations_are_still_priced():
    assert pay("2026-03-02", "11", modifiers=["51", "RT"]).allowed == D("70.81")
    assert pay("2026-03-02", "11", modifiers=["50", "51"]).allowed == D("106.22")  # 212.43 x 0.5 = 106.215


def test_modifier_25_is_accepted_on_a_visit_code():
    payment = fees.medicare_payment("99213", "2026-03-02", "11", modifiers=["25"])
    assert payment.allowed == payment.fee_schedule_amount
    assert any("Modifier 25" in step for step in payment.steps)


def test_bilateral_indicator_2_gives_no_increase_and_explains_why():
    payment = fees.medicare_payment("64615", "2026-03-02", "11", modifiers=["50"])
    assert payment.allowed == payment.fee_schedule_amount
    meaning = data.load("indicators").query("field == 'bilat_surg' and value == '2'")["meaning"].iloc[0]
    assert any(meaning in step for step in payment.steps)
    assert "modifier 50 is not used" in meaning
    assert "noridian-jeb-bilateral-surgery" in payment.sources


def test_bilateral_indicator_3_pays_each_side_in_full_and_cites_the_indicator_row(data_copy, edit):
    row = "64615,2026,RVU26C (July 2026),1.80,2.28,0.85,0.62,A,010,2,"
    edit(data_copy / "pfs_rvu.csv", row + "2,", row + "3,")
    payment = fees.medicare_payment("64615", "2026-03-02", "11", modifiers=["50"])
    assert payment.allowed == payment.fee_schedule_amount * 2
    meaning = data.load("indicators").query("field == 'bilat_surg' and value == '3'")["meaning"].iloc[0]
    assert any(meaning in step for step in payment.steps)
    assert {"northstar-indicators", "noridian-jeb-bilateral-surgery"} <= set(payment.sources)


def test_multiple_procedure_indicator_0_gives_no_reduction():
    payment = fees.medicare_payment("99213", "2026-03-02", "11", modifiers=["51"])
    assert payment.allowed == payment.fee_schedule_amount
    assert any("No multiple-procedure reduction" in step for step in payment.steps)


def test_a_modifier_needing_an_indicator_the_data_lacks_is_refused():
    with pytest.raises(ValueError, match="bilat_surg indicator is not in the course data for that year"):
        pay("2021-06-01", "11", modifiers=["50"])
    with pytest.raises(ValueError, match="mult_proc indicator is not in the course data"):
        pay("2021-06-01", "11", modifiers=["51"])


# ---- who pays ------------------------------------------------------------------------------

@pytest.mark.parametrize(("modifiers", "medicare", "patient"), [
    ((), "113.30", "28.32"),       # 141.62 x 0.8 = 113.296
    (("50",), "169.94", "42.49"),  # 212.43 x 0.8 = 169.944
])
def test_the_80_20_split_sums_to_the_allowed_amount(modifiers, medicare, patient):
    payment = pay("2026-03-02", "11", modifiers=modifiers)
    assert (payment.medicare_pays, payment.patient_pays) == (D(medicare), D(patient))
    assert payment.medicare_pays + payment.patient_pays == payment.allowed


def test_steps_explain_deductible_and_drug():
    steps = " ".join(pay("2026-03-02", "11").steps)
    assert "deductible" in steps
    assert "J0585" in steps and "average sales price plus 6% (ASP + 6%)" in steps


@pytest.mark.parametrize("pos", ["19", "22", "24", "facility"])
def test_in_a_facility_the_drug_is_on_the_facility_claim_not_the_physician(pos):
    payment = pay("2026-03-02", pos)
    drug = payment.drug_note
    assert drug in payment.steps
    assert "does not go on the physician's claim" in drug and "facility supplies the toxin" in drug
    assert "J0585" not in drug
    assert "ngs-patient-supplied-drugs" in payment.sources


def test_the_drug_note_is_only_for_chemodenervation_codes():
    visit = fees.medicare_payment("99213", "2026-03-02", "22")
    assert visit.drug_note is None and not any("toxin" in step for step in visit.steps)
    assert "J0585" in pay("2026-03-02", "11").drug_note


@pytest.mark.parametrize(("code", "end"), [("64612", date(2026, 3, 12)), ("64615", date(2026, 3, 12)),
                                           ("99213", None)])
def test_the_global_period_ends_its_indicator_s_days_after_the_service(code, end):
    payment = fees.medicare_payment(code, "2026-03-02", "11")
    assert payment.global_period_end == end


def test_medicare_share_states_its_assumptions_from_the_payment_rules():
    payment = pay("2026-03-02", "11")
    rules = data.load("payment_rules").set_index("rule")
    caveat = next(step for step in payment.steps if "participating physician" in step)
    assert f"{D(str(rules.loc['non-participating', 'factor'])) * 100:.0f}%" in caveat
    assert f"{D(str(rules.loc['sequestration', 'factor'])) * 100:.0f}% sequestration" in caveat
    assert {"noridian-jfb-nonpar", "fcso-sequestration"} <= set(payment.sources)
    assert payment.medicare_pays == D("113.30")  # the caveat changes no amount


# ---- localities ----------------------------------------------------------------------------

def test_a_locality_applies_its_gpcis():
    row = data.load("gpci").query("year == 2026 and locality == 'ny-manhattan'").iloc[0]
    rvus = {"work": D("1.37"), "pe": D("2.58"), "mp": D("0.29")}
    by_hand = sum(rvus[name] * D(str(row[name])) for name in rvus) * D("33.4009")
    payment = pay("2026-03-02", "11", locality="ny-manhattan")
    assert payment.fee_schedule_amount == by_hand.quantize(D("0.01"), "ROUND_HALF_UP") == D("164.18")
    assert payment.gpcis == {name: D(str(row[name])) for name in rvus}
    assert "cms-gpci-2026-derived" in payment.sources
    assert any("Manhattan" in step for step in payment.steps)


def test_national_says_the_gpcis_are_one():
    assert any("GPCIs" in step and "1.000" in step for step in pay("2026-03-02", "11").steps)


# ---- errors a learner can act on -----------------------------------------------------------

@pytest.mark.parametrize(("arguments", "options", "phrases"), [
    (("99999", "2026-03-02", "11"), {}, ["no RVUs for code '99999'", "64612", "64615"]),
    (("J0585", "2026-03-02", "11"), {}, ["drug code", "Botox", "status E", "ASP"]),
    (("64612", "2018-06-01", "11"), {}, ["2018-06-01", "dates of service from 2019-01-01 to"]),
    (("64612", "2026-13-01", "11"), {}, ["not a real date", "YYYY-MM-DD"]),
    (("64612", "next tuesday", "11"), {}, ["'next tuesday'", "YYYY-MM-DD"]),
    (("64612", 20260302, "11"), {}, ["YYYY-MM-DD"]),
    (("64612", "2026-03-02", "home"), {}, ["'home'", "non-facility", "facility", "11 (Office)", "24"]),
    (("64612", "2026-03-02", "11"), {"modifiers": ["26"]}, ["'26'", "not supported", "50", "RT"]),
    (("64612", "2026-03-02", "11"), {"modifiers": ["XX"]}, ["'XX'", "Supported modifiers"]),
    (("64612", "2026-03-02", "11"), {"modifiers": ["TC"]}, ["'TC'", "Supported modifiers"]),
    (("64612", "2026-03-02", "11"), {"modifiers": ["25"]}, ["visit line", "99213", "not on 64612"]),
    (("64612", "2026-03-02", "11"), {"modifiers": ["50", "50"]}, ["more than once"]),
    (("64612", "2026-03-02", "11"), {"locality": "mars"}, ["'mars'", "ny-manhattan", "sourced", "national"]),
    (("64612", "2025-03-02", "11"), {"locality": "al"}, ["no GPCIs for 2025", "2026", "national"]),
    (("20552", "2019-03-02", "11"), {}, ["only for 2024, 2025, 2026"]),
    (("64613", "2026-03-02", "11"), {}, ["no longer an active code", "64612"]),
])
def test_bad_input_raises_a_helpful_value_error(arguments, options, phrases):
    with pytest.raises(ValueError) as caught:
        fees.medicare_payment(*arguments, **options)
    for phrase in phrases:
        assert phrase in str(caught.value)


# ---- steps and sources ---------------------------------------------------------------------

def test_steps_show_the_cf_the_rvus_and_the_rounding():
    steps = " ".join(pay("2026-03-02", "11").steps)
    assert "$33.4009" in steps
    assert "1.37" in steps and "2.58" in steps and "0.29" in steps
    assert "4.24" in steps and "141.619816" in steps and "rounded to the cent" in steps and "$141.62" in steps
    assert "the course rounds halves up" in steps and "as CMS does" not in steps


def test_percentage_steps_label_the_rounding_order_as_the_course_convention():
    steps = " ".join(pay("2026-03-02", "11", modifiers=["50"]).steps)
    assert "the course's convention" in steps


def test_sources_include_the_rvu_cf_and_rounding_sources():
    payment = pay("2026-03-02", "11", modifiers=["50"])
    rvu_row = data.load("pfs_rvu").query("code == '64612' and year == 2026").iloc[0]
    cf_row = data.load("conversion_factors").query("apm_status == 'non-QP'").iloc[0]
    for source_id in split_ids(rvu_row["source"]) + split_ids(cf_row["source"]):
        assert source_id in payment.sources
    assert {"cms-pprrvu-2026", "decisionhealth-2026-pfs", "cgs-mpfs-calculation", "wps-bilateral",
            "medicare-gov-part-b-costs"} <= set(payment.sources)
    assert len(payment.sources) == len(set(payment.sources))
    known = set(data.load("sources")["id"])
    assert set(payment.sources) <= known


# ---- history, compare, change --------------------------------------------------------------

def test_history_has_one_row_per_conversion_factor_period():
    frame = fees.history("64612", "non-facility")
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(data.load("conversion_factors"))  # 64612 has RVUs in every year
    assert {2019, 2026} <= set(frame["year"])
    assert {"start", "end", "apm_status", "year", "work", "pe", "mp", "total_rvus", "cf",
            "fee_schedule_amount"} <= set(frame.columns)
    amounts = dict(zip(frame["start"].astype(str) + " " + frame["apm_status"], frame["fee_schedule_amount"]))
    assert amounts["2024-01-01 all"] == D("136.22") and amounts["2024-03-09 all"] == D("138.48")
    assert amounts["2026-01-01 non-QP"] == D("141.62") and amounts["2026-01-01 QP"] == D("142.33")
    assert all(frame["total_rvus"] == frame["work"] + frame["pe"] + frame["mp"])


def test_history_carries_each_period_s_confidence():
    frame = fees.history("64612", "non-facility").set_index(["year", "apm_status"])
    assert frame.loc[(2021, "all"), "rvu_confidence"] == "M" and frame.loc[(2021, "all"), "cf_confidence"] == "M"
    assert frame.loc[(2026, "non-QP"), "rvu_confidence"] == "M"  # CMS's numbers, read in a copy of its file
    assert frame.loc[(2026, "QP"), "cf_confidence"] == "M"


def test_history_only_covers_years_with_rvus():
    frame = fees.history("20552", "11")
    rvus = data.load("pfs_rvu")
    assert set(frame["year"]) == set(rvus.loc[rvus["code"] == "20552", "year"]) >= {2024, 2025, 2026}
    assert 2019 in set(fees.history("64612", "11")["year"])
    with pytest.raises(ValueError, match="drug code"):
        fees.history("J0585", "11")


def test_compare_gives_one_row_per_code():
    codes = ["64612", "64615", "64616"]
    frame = fees.compare(codes, "2026-03-02", "facility")
    assert list(frame["code"]) == codes
    row = frame.set_index("code").loc["64615"]
    assert row["bilat_surg"] == 2 and row["global_days"] == "010"
    assert row["total_rvus"] == D("1.80") + D("0.85") + D("0.62")
    assert frame.set_index("code").loc["64612", "fee_schedule_amount"] == D("108.22")
    assert {"work", "pe", "mp"} <= set(frame.columns)


def test_change_2025_to_2026_office_up_facility_down():
    office = fees.change("64612", "11", "2025-06-01", "2026-06-01")
    assert (office.from_amount, office.to_amount) == (D("134.24"), D("141.62"))
    assert office.dollars == D("7.38") and office.percent == D("5.50")  # 7.38 / 134.24 = 5.497%
    facility = fees.change("64612", "facility", "2025-06-01", "2026-06-01")
    assert (facility.from_amount, facility.to_amount) == (D("116.45"), D("108.22"))
    assert facility.dollars == D("-8.23") and facility.percent == D("-7.07")  # -8.23 / 116.45 = -7.067%
    assert "+$7.38" in office.summary and "-$8.23" in facility.summary


# ---- the tables the lessons show -----------------------------------------------------------

def test_history_table_puts_the_two_rates_side_by_side():
    table = fees.history_table("64612")
    office, facility = fees.history("64612", "11"), fees.history("64612", "22")
    assert list(table["office_amount"]) == list(office["fee_schedule_amount"])
    assert list(table["facility_pe"]) == list(facility["pe"])
    assert list(table["office_minus_facility"]) == list(office["fee_schedule_amount"] - facility["fee_schedule_amount"])
    latest = table.set_index(["year", "apm_status"]).loc[(2026, "non-QP")]
    assert (latest["office_amount"], latest["facility_amount"]) == (D("141.62"), D("108.22"))


def test_family_table_has_one_row_per_code_in_the_order_given():
    codes = ["64616", "64612", "67345"]
    table = fees.family_table(codes, "2026-03-02").set_index("code")
    assert list(table.index) == codes
    assert (table.loc["64612", "office_amount"], table.loc["64612", "facility_amount"]) == (D("141.62"),
                                                                                             D("108.22"))
    assert table.loc["64612", "cms_short_descriptor"] == data.load("codes").set_index("code").loc[
        "64612", "cms_short_descriptor"]


def test_by_locality_prices_every_locality_the_data_holds_for_the_year():
    table = fees.by_locality("64612", "2026-03-02", "11")
    gpci = data.load("gpci")
    assert len(table) == 1 + (gpci["year"] == 2026).sum()
    assert table.iloc[0].tolist() == ["National", D("141.62")]
    manhattan = table.set_index("locality").loc["Manhattan, NY", "amount"]
    assert manhattan == pay("2026-03-02", "11", locality="ny-manhattan").allowed


def test_rvu_change_and_work_change_compare_two_years():
    components = fees.rvu_change("64612", 2025, 2026).set_index("RVU")
    assert components.loc["pe_facility", "change"] == -0.32 and components.loc["work", "change (%)"] == -2.8
    work = fees.work_change(["99213", "64612"], 2025, 2026)
    assert list(work["code"]) == ["99213", "64612"] and list(work["change"]) == [0.0, -0.04]
    with pytest.raises(ValueError, match="no RVUs for 64612 in 2018"):
        fees.rvu_change("64612", 2018, 2026)


def test_sessions_where_labels_each_place():
    where = {"office": ("11", "national"), "outpatient": ("22", "national")}
    table = fees.sessions_where(["64616", "64612"], "2026-03-02", where, side="RT")
    assert list(table["where"]) == ["office", "office", "outpatient", "outpatient"]
    assert list(table["claim line"]) == ["64616-RT", "64612-51-RT", "64612-RT", "64616-51-RT"]


def test_rate_gap_explains_the_office_facility_difference_by_pe():
    office, facility = pay("2026-03-02", "11"), pay("2026-03-02", "22")
    assert fees.rate_gap(office, facility).startswith("Office minus facility: $33.40. Only the PE differs: 1.00 RVUs")
    with pytest.raises(ValueError, match="the same code, date, locality"):
        fees.rate_gap(office, pay("2025-06-02", "22"))
    with pytest.raises(ValueError, match="in the office first"):
        fees.rate_gap(facility, office)
    with pytest.raises(ValueError, match="the same code, date, locality"):
        fees.rate_gap(office, pay("2026-03-02", "22", qp=True))
    with pytest.raises(ValueError, match="national amount without 50 or 51"):
        fees.rate_gap(pay("2026-03-02", "11", modifiers=["50"]), pay("2026-03-02", "22", modifiers=["50"]))
    with pytest.raises(ValueError, match="national amount without 50 or 51"):
        fees.rate_gap(pay("2026-03-02", "11", locality="al"), pay("2026-03-02", "22", locality="al"))


def test_the_reference_date_and_mid_year_changes_come_from_the_conversion_factors(data_copy, edit):
    factors = data.load("conversion_factors")
    assert fees.reference_date() == max(factors["start"]) >= date(2026, 1, 1)
    assert date(2024, 3, 9) in fees.mid_year_changes()  # the 2024 law changed the factor part-way through
    newest = max(factors["end"])  # a change part-way through the newest year (whose RVUs and GPCIs exist)
    with (data_copy / "conversion_factors.csv").open("a", encoding="utf-8") as file:
        file.write(f"{newest.year}-07-01,{newest.year}-12-31,all,33.5,decisionhealth-2026-pfs,M,\n")
    assert fees.mid_year_changes()[-1] == fees.reference_date() == date(newest.year, 7, 1)


# ---- one session, and the rounding order ---------------------------------------------------

@pytest.mark.parametrize(("place", "locality", "first", "second"), [
    ("11", "national", "64616-RT", "64612-51-RT"),       # 143.62 > 141.62
    ("11", "ca-san-francisco", "64612-RT", "64616-51-RT"),  # 175.73 > 170.38
    ("22", "national", "64612-RT", "64616-51-RT"),       # 108.22 > 99.53
])
def test_session_ranks_by_the_amount_where_it_is_done(place, locality, first, second):
    frame = fees.session(["64612", "64616"], "2026-03-02", place, side="RT", locality=locality)
    assert list(frame["claim line"]) == [first, second]
    assert frame["allowed"].iloc[0] == frame["fee_schedule_amount"].iloc[0]
    assert frame["allowed"].iloc[1] == (frame["fee_schedule_amount"].iloc[1] * D("0.5")).quantize(D("0.01"),
                                                                                                  "ROUND_HALF_UP")


def test_rounding_orders_reproduce_the_fact_sheet_figures():
    orders = fees.rounding_orders("64612")
    assert list(orders["rate"].unique()) == ["non-facility", "facility"]
    office = orders[orders["rate"] == "non-facility"].set_index(["start", "apm_status"])
    first = office.loc[(date(2024, 1, 1), "all")]
    assert (first["round_first"], first["multiply_first"], first["difference"]) == (D("204.33"), D("204.32"),
                                                                                     D("0.01"))
    assert office.loc[(date(2026, 1, 1), "QP"), "multiply_first"] == D("213.49")
    facility = orders[orders["rate"] == "facility"].set_index(["start", "apm_status"])
    assert facility.loc[(date(2025, 1, 1), "all"), "multiply_first"] == D("174.67")
    assert min(office.index.get_level_values("start")).year == 2024  # no bilateral indicator before 2024


# ---- the numbers come from data ------------------------------------------------------------

def test_changing_the_data_changes_the_result(data_copy, edit):
    assert pay("2026-03-02", "11").allowed == D("141.62")
    row = "64612,2026,RVU26C (July 2026),1.37,"
    edit(data_copy / "pfs_rvu.csv", row + "2.58,", row + "3.58,")
    assert pay("2026-03-02", "11").allowed == D("175.02")  # 5.24 x 33.4009 = 175.0207
    edit(data_copy / "conversion_factors.csv", "non-QP,33.4009", "non-QP,34.0000")
    assert pay("2026-03-02", "11").allowed == D("178.16")  # 5.24 x 34
    edit(data_copy / "payment_rules.csv", "bilateral,1.5,", "bilateral,2,")
    assert pay("2026-03-02", "11", modifiers=["50"]).allowed == D("356.32")
    edit(data_copy / "payment_rules.csv", "coinsurance,0.2,", "coinsurance,0.25,")
    assert pay("2026-03-02", "11").patient_pays == D("44.54")  # 178.16 x 0.25


def test_a_site_of_service_change_follows_the_data(data_copy, edit):
    row = "24,Ambulatory Surgical Center,"
    edit(data_copy / "site_of_service.csv", row + "facility", row + "non-facility")
    assert pay("2026-03-02", "24").rate == "non-facility"


def test_a_published_figure_that_disagrees_says_which_and_where(data_copy, edit):
    edit(data_copy / "conversion_factors.csv", "non-QP,33.4009", "non-QP,33.5000")
    row = next(row for row in _published_rows() if row[1] == "2026-03-02" and row[2] == "non-facility" and row[3] == "non-QP")
    with pytest.raises(AssertionError, match=r"published figure for 64612 \(non-facility, 2026-03-02, non-QP\) is "
                                             r"141.62 in data/published_figures.csv"):
        test_national_fee_schedule_amounts_match_the_published_figures(*row)
