"""The whole bill: the drug's quarterly payment limit, facility rates, totals with gaps, the patient's share."""

from datetime import date
from decimal import Decimal as D

import pytest

from helpers import costs, data, fees


def test_the_drug_is_priced_with_the_limit_of_the_quarter_of_the_date_of_service():
    march = costs.drug_payment("Botox", 30, 100, "2026-03-02")
    assert march.quarter_start == date(2026, 1, 1)
    assert march.payment_limit == D("6.510")
    assert (march.units.billed, march.units.discarded) == (30, 70)
    assert march.given == D("195.30") and march.discarded == D("455.70") and march.total == D("651.00")
    assert march.patient == D("130.20") and march.medicare == D("520.80")
    august = costs.drug_payment("Botox", 30, 100, "2026-08-03")
    assert august.quarter_start == date(2026, 7, 1) and august.total == D("650.60")
    assert costs.drug_payment("Botox", 30, 100, "2026-03-31").quarter_start == date(2026, 1, 1)
    assert costs.drug_payment("Botox", 30, 100, "2026-04-01").quarter_start == date(2026, 4, 1)


def test_every_toxin_code_is_priced_in_every_quarter_held():
    for hcpcs in data.load("drugs")["hcpcs"]:
        assert costs.quarters(hcpcs) == costs.quarters("J0585")
        for start in costs.quarters(hcpcs):
            assert costs.payment_limit(hcpcs, start)["quarter_start"] == start


def test_a_date_outside_the_quarters_held_is_refused_with_the_quarters():
    with pytest.raises(ValueError, match="no payment limit for J0585 on 2025-03-02.*2025-10-01, 2026-01-01"):
        costs.drug_payment("Botox", 30, 100, "2025-03-02")
    with pytest.raises(ValueError, match="2027-01-01"):
        costs.payment_limit("J0585", "2027-01-01")


def test_the_limit_and_the_coinsurance_come_from_data(data_copy, edit):
    edit(data_copy / "asp_limits.csv", "J0585,2026-01-01,6.510,", "J0585,2026-01-01,7.000,")
    edit(data_copy / "payment_rules.csv", "coinsurance,0.2,", "coinsurance,0.25,")
    payment = costs.drug_payment("Botox", 30, 100, "2026-03-02")
    assert payment.total == D("700.00") and payment.patient == D("175.00")


@pytest.mark.parametrize("product, dose, vial", [("Botox", 25, 100), ("Botox", 33, 200), ("Xeomin", 17, 50),
                                                 ("Myobloc", 2600, 5000), ("Daxxify", 41, 100)])
def test_every_drug_payment_adds_up_to_the_cent(product, dose, vial):
    for start in costs.quarters("J0585"):
        payment = costs.drug_payment(product, dose, vial, start)
        lines = costs.drug_lines(payment)
        assert payment.patient == lines["patient"].iloc[:-1].sum() == lines["patient"].iloc[-1]
        assert payment.patient + payment.medicare == payment.total == payment.given + payment.discarded


def test_the_drug_lines_add_up():
    lines = costs.drug_lines(costs.drug_payment("Dysport", 120, 300, "2026-03-02"))
    assert list(lines["line"]) == ["J0586 x 24", "J0586-JW x 36", "total"]
    for column in ("allowed", "patient", "medicare"):
        assert lines[column].iloc[-1] == lines[column].iloc[:-1].sum(), column
    assert (lines["patient"] + lines["medicare"] == lines["allowed"]).all()
    no_waste = costs.drug_lines(costs.drug_payment("Botox", 100, 100, "2026-03-02"))
    assert list(no_waste["line"]) == ["J0585-JZ x 100", "total"]


def test_the_limit_table_has_one_row_per_quarter_and_a_column_per_code():
    table = costs.limit_table()
    assert list(table["quarter from"]) == costs.quarters("J0585")
    assert set(data.load("drugs")["hcpcs"]) <= set(table.columns)
    assert table.loc[table["quarter from"] == date(2025, 10, 1), "confidence"].item() == "M"


def test_the_facility_rate_in_force_is_the_newest_of_the_same_year():
    assert costs.facility_rate("OPPS", "64612", "2026-03-02")["national_rate"] == 313.60
    assert costs.facility_rate("OPPS", "64612", "2025-12-31")["national_rate"] == 295.19
    assert costs.facility_rate("ASC", "64612", "2026-08-03")["status_indicator"] == "P3"
    assert costs.facility_rate("ASC", "64612", "2026-03-02") is None  # the ASC rate starts in July
    assert costs.facility_rate("OPPS", "64612", "2024-06-01") is None


def test_the_whole_bill_adds_physician_facility_and_drug_in_each_setting():
    bill = costs.whole_bill("2026-08-03", "RT", "Botox", 30, 100)
    assert list(bill["setting"].unique()) == ["office", "hospital outpatient", "ambulatory surgical center"]
    office = bill[bill["setting"] == "office"].set_index("part")
    assert office.loc["physician", "allowed"] == fees.medicare_payment("64612", "2026-08-03", "11", ["RT"]).allowed
    assert office.loc["facility", "allowed"] == 0
    hospital = bill[bill["setting"] == "hospital outpatient"].set_index("part")
    assert hospital.loc["physician", "allowed"] == fees.medicare_payment("64612", "2026-08-03", "22", ["RT"]).allowed
    assert hospital.loc["facility", "allowed"] == D("313.60")
    assert hospital.loc["drug", "allowed"] == office.loc["drug", "allowed"] == D("650.60")
    totals = costs.totals(bill).set_index("setting")
    assert totals.loc["hospital outpatient", "allowed"] == D("1072.42")
    assert totals.loc["hospital outpatient", "allowed"] > totals.loc["office", "allowed"]
    assert (totals["patient"] + totals["medicare"] == totals["allowed"]).all()


def test_a_figure_the_data_cannot_give_is_a_gap_not_a_zero():
    march = costs.totals(costs.whole_bill("2026-03-02", "RT", "Botox", 30, 100)).set_index("setting")
    assert march.loc["ambulatory surgical center", "complete"] == "no: facility, drug"
    assert march.loc["hospital outpatient", "complete"] == "no: drug"  # the drug indicators are read from July
    assert march.loc["office", "complete"] == "yes"
    august = costs.totals(costs.whole_bill("2026-08-03", "RT", "Botox", 30, 100)).set_index("setting")
    assert set(august["complete"]) == {"yes"}
    bill = costs.whole_bill("2026-03-02", "RT", "Botox", 30, 100)
    gap = bill[(bill["setting"] == "ambulatory surgical center") & (bill["part"] == "facility")].iloc[0]
    assert gap["allowed"] is None and "a gap, not a zero" in gap["note"]


def test_the_facility_drug_follows_its_payment_indicator_in_the_data(data_copy, edit):
    edit(data_copy / "facility_rates.csv", "ASC,J0585,2026-07-01,K2,", "ASC,J0585,2027-07-01,K2,")
    edit(data_copy / "facility_rates.csv", "OPPS,J0585,2026-07-01,K,", "OPPS,J0585,2026-07-01,N,")
    bill = costs.whole_bill("2026-08-03", "RT", "Botox", 30, 100)
    august = costs.totals(bill).set_index("setting")
    assert august.loc["ambulatory surgical center", "complete"] == "no: drug"
    hospital_drug = bill[(bill["setting"] == "hospital outpatient") & (bill["part"] == "drug")].iloc[0]
    assert hospital_drug["allowed"] == 0 and "not paid separately" in hospital_drug["note"]
    assert august.loc["hospital outpatient", "complete"] == "yes"


@pytest.mark.parametrize("side, setting, words", [
    ("50", None, "prices one side"),
    ("RT", "clinic", "not a care setting"),
])
def test_the_whole_bill_refuses_what_it_cannot_price(side, setting, words):
    with pytest.raises(ValueError, match=words):
        if setting is None:
            costs.whole_bill("2026-08-03", side, "Botox", 50, 100)
        else:
            costs.session_rows(setting, "2026-08-03", side, "Botox", 30, 100)


def test_the_patient_pays_the_deductible_first_then_the_coinsurance():
    assert costs.deductible(2026) == D("283")
    first = costs.patient_share(D("792.22"), 2026)
    assert first["deductible"] == D("283.00") and first["coinsurance"] == D("101.84")
    assert first["patient"] + first["medicare"] == D("792.22")
    met = costs.patient_share(D("792.22"), 2026, costs.deductible(2026))
    assert met["deductible"] == 0 and met["coinsurance"] == D("158.44")
    small = costs.patient_share(D("100"), 2026)
    assert small["deductible"] == D("100.00") and small["medicare"] == 0
    table = costs.share_table(D("792.22"), 2026)
    assert list(table["when"]) == ["deductible not yet met", "deductible already met"]


def test_the_deductible_and_shares_refuse_bad_input():
    with pytest.raises(ValueError, match="no Part B deductible for 2019; it holds 2025, 2026"):
        costs.deductible(2019)
    with pytest.raises(ValueError, match="'next' is not a year"):
        costs.deductible("next")
    with pytest.raises(ValueError, match="cannot be negative"):
        costs.patient_share(D("-1"), 2026)
    with pytest.raises(ValueError, match="The allowed amount must be an amount in dollars, such as 792.22; got 'abc'"):
        costs.patient_share("abc", 2026)


def test_the_patient_share_reads_amounts_as_a_learner_types_them():
    assert costs.patient_share("$1,000", "2026")["deductible"] == D("283.00")
    share = costs.patient_share(0.1 + 0.2, 2026, deductible_met=283)
    assert share["allowed"] == D("0.30") and share["medicare"] + share["patient"] == D("0.30")


def test_who_injects_changes_the_amount_by_the_payment_rules(data_copy, edit):
    table = costs.practitioner_table("64612", "2026-03-02").set_index("who bills")
    assert list(table["share"]) == ["100%", "100%", "85%"]
    assert table.loc["non-physician-practitioner", "allowed"] == D("120.38")  # 141.62 x 0.85
    edit(data_copy / "payment_rules.csv", "non-physician-practitioner,0.85,", "non-physician-practitioner,0.8,")
    assert costs.practitioner_table("64612", "2026-03-02").set_index("who bills").loc[
        "non-physician-practitioner", "allowed"] == D("113.30")
