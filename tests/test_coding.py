"""Coding decisions: code sets and PTP edits, the chooser, diagnosis sides, claim lines and indicators."""

import pytest

from helpers import coding, data


def test_code_sets_and_most_specific_ptp_row():
    assert coding.in_code_set("99213", "99211-99215") and not coding.in_code_set("99216", "99211-99215")
    assert coding.in_code_set("0216T", "64461-64463; 0213T; 0216T") and not coding.in_code_set("64464", "64461-64463")
    assert coding.ptp_edits("64612", "64480").iloc[0]["modifier_indicator"] == 0
    assert coding.ptp_edits("64612", "64479").iloc[0]["modifier_indicator"] == 1
    assert coding.ptp_edits("64612", "64615").iloc[0]["modifier_indicator"] == 0


@pytest.mark.parametrize("condition, side, payer, code, lines, dx", [
    ("hemifacial spasm", "right", "Medicare", "64612", ("64612-RT x 1",), "G51.31"),
    ("hemifacial spasm", "left", "commercial", "64612", ("64612-LT x 1",), "G51.32"),
    ("benign essential blepharospasm", "both", "Medicare", "64612", ("64612-50 x 1",), "G24.5"),
    ("benign essential blepharospasm", "both", "facility", "64612", ("64612-RT x 1", "64612-LT x 1"), "G24.5"),
    ("chronic migraine", "both", "Medicare", "64615", ("64615 x 1",), None),
    ("cervical dystonia", "right", "Medicare", "64616", ("64616-RT x 1",), None),
    ("strabismus", "left", "Medicare", "67345", ("67345-LT x 1",), None),
])
def test_chooser(condition, side, payer, code, lines, dx):
    advice = coding.choose(condition, side, payer)
    assert (advice.code, advice.lines, advice.diagnosis_code) == (code, lines, dx)
    assert advice.sources and all(advice.reasons)


def test_chooser_explains_the_migraine_bundle():
    reasons = " ".join(coding.choose("chronic migraine", "both").reasons)
    assert "modifier indicator 0" in reasons and "never added" in reasons


def test_chooser_rejects_unknown_input():
    with pytest.raises(ValueError, match="Unknown condition 'gout'"):
        coding.choose("gout", "right")
    with pytest.raises(ValueError, match="Side must be one of right, left, both"):
        coding.choose("hemifacial spasm", "middle")


def test_laterality():
    assert coding.laterality_check("G51.31", ["rt"]) == "agree"
    assert coding.laterality_check("G51.31", ["LT"]) == "conflict: the code says right"
    assert coding.laterality_check("G51.33", ["RT", "LT"]) == "agree"
    assert coding.laterality_check("G24.5", ["50"]).startswith("agree")
    assert coding.laterality_check("G51.39", ["RT"]).startswith("weak")
    with pytest.raises(ValueError):
        coding.laterality_check("Z99.9", ["RT"])


def test_claim_lines_for_a_bilateral_commercial_session():
    table = coding.claim("benign essential blepharospasm", "both", "commercial", "Botox", 50, 100)
    assert table[["code", "modifiers", "units"]].values.tolist() == [
        ["64612", "RT", 1], ["64612", "LT", 1], ["J0585", "-", 50], ["J0585", "JW", 50]]


def test_indicators_and_family():
    table = coding.indicators("64612", 2026).set_index("indicator")
    assert table.loc["global_days", "value"] == "010" and "10-day" in table.loc["global_days", "meaning"]
    assert table.loc["bilat_surg", "value"] == "1"
    family = coding.family(2026).set_index("code")
    assert family.loc["64615", "laterality"] == "both sides" and "64613" not in family.index


def test_mue_table_filters_and_says_what_each_mai_means():
    practitioner = coding.mue_table(ncci_setting="practitioner")
    assert set(practitioner["ncci_setting"]) == {"practitioner"} and "J0585" in set(practitioner["code"])
    meanings = data.load("indicators").query("field == 'mai'").set_index("value")["meaning"]
    for _, row in practitioner.iterrows():
        assert row["mai_means"] == meanings[str(row["mai"])]
    assert set(coding.mue_table(code="64612")["code"]) == {"64612"}


def test_ptp_pairs_takes_the_most_specific_row_of_each_pair():
    table = coding.ptp_pairs([("64612", "64615"), ("64612", "99213")])
    assert list(table["pair"]) == ["64612 + 64615", "64612 + 99213"]
    assert list(table["modifier_indicator"]) == [coding.ptp_edits("64612", "64615").iloc[0]["modifier_indicator"],
                                                 coding.ptp_edits("64612", "99213").iloc[0]["modifier_indicator"]]


def test_laterality_checks_makes_one_row_per_check():
    table = coding.laterality_checks([("G51.31", ["RT"]), ("G51.31", ["LT"])])
    assert list(table["check"]) == ["agree", "conflict: the code says right"]
    assert list(table["modifiers"]) == ["RT", "LT"]


def test_ptp_pairs_of_nothing_is_an_empty_table():
    assert coding.ptp_pairs([]).empty and "pair" in coding.ptp_pairs([]).columns


def test_the_muscle_table_says_how_settled_each_code_is():
    table = coding.muscle_table().set_index("muscle_group")
    assert table.loc["Eyelids, brow and forehead", "codes"] == "64612"
    assert table.loc["Jaw-closing muscles", "agreement"] == "sources disagree"
    assert table.loc["Jaw-closing muscles", "confidence"] == "L"
    unsettled = table[table["agreement"] != "settled"]
    assert set(unsettled["confidence"]) == {"L"}  # nothing unsettled is shown as sure
    codes = set(data.load("codes")["code"])
    for cell in table["codes"]:
        assert set(cell.split("; ")) <= codes, cell


def test_the_drug_source_table_says_the_practice_bills_the_drug_only_when_it_bought_it():
    table = coding.drug_source_table().set_index("drug_source")
    assert list(table.index) == ["practice", "specialty pharmacy", "no cost to the practice", "facility"]
    assert table.loc["practice", "drug_on_physician_claim"].startswith("The J-code line")
    for source in ("specialty pharmacy", "facility"):
        assert "No J-code" in table.loc[source, "drug_on_physician_claim"] or \
            table.loc[source, "drug_on_physician_claim"].startswith("None"), source
    paid = data.load("drug_sources").set_index("drug_source")["j_code_paid_to_physician"]
    assert paid[paid].index.tolist() == ["practice"]


def test_claim_fields_are_read_by_form_and_an_unknown_form_is_named():
    professional = coding.claim_fields("837P and CMS-1500")
    assert professional.loc[professional["item"] == "NDC", "example"].item() == "N400023114501"
    institutional = coding.claim_fields("837I and UB-04")
    assert "form locator 63" in institutional.loc[institutional["item"].str.contains("UTN"), "location"].item()
    with pytest.raises(ValueError, match="No claim form 'CMS-1450' in the data. Forms: 837P and CMS-1500, 837I and UB-04"):
        coding.claim_fields("CMS-1450")
