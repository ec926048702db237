"""Coding decisions and drug-unit arithmetic, checked against the fact sheet's worked examples."""

import pytest

from helpers import coding, drugs, interactive


@pytest.mark.parametrize("product, dose, vial, lines", [
    ("Botox", 50, 100, ("J0585 x 50", "J0585-JW x 50")),      # bilateral BEB, 25 U a side
    ("Botox", 100, 100, ("J0585-JZ x 100",)),                 # whole vial used
    ("Xeomin", 30, 50, ("J0588 x 30", "J0588-JW x 20")),
    ("Dysport", 120, 300, ("J0586 x 24", "J0586-JW x 36")),
    ("Myobloc", 1000, 2500, ("J0587 x 10", "J0587-JW x 15")),
])
def test_fact_sheet_unit_examples(product, dose, vial, lines):
    assert drugs.billing_units(product, dose, vial).lines == lines


def test_rounding_up_given_and_down_discarded():
    result = drugs.billing_units("Dysport", 122, 300)
    assert (result.billed, result.discarded) == (25, 35)
    assert drugs.billing_units("Dysport", 298, 300).lines == ("J0586-JZ x 60",)  # waste under one billing unit


def test_drug_steps_explain_and_flag_the_mue():
    steps = drugs.billing_units("Dysport", 9999, 300).steps
    assert "rounded up" in steps[1] and "ABOVE the practitioner MUE of 300" in steps[-1]
    assert "within the practitioner MUE of 300 per day (MAI 3, effective 2026-04-01)" in drugs.billing_units("Daxxify", 50, 100).steps[-1]


@pytest.mark.parametrize("args, message", [
    (("Botax", 50, 100), "not a botulinum-toxin product"),
    (("Botox", 50, 150), "comes in vials of 100, 200 units"),
    (("Botox", "lots", 100), "must be a number of toxin units"),
    (("Botox", -5, 100), "must be more than zero"),
])
def test_drug_input_errors(args, message):
    with pytest.raises(ValueError, match=message):
        drugs.billing_units(*args)


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


def test_chooser_widget_updates_and_reports_errors():
    display = interactive.code_chooser()
    bundle = display._repr_mimebundle_()
    assert "64612-50 x 1" in bundle["text/plain"] and "tool" in display.tool.box._dom_classes
    display.tool.condition.value = "chronic migraine"
    assert "64615 x 1" in display.tool.output.value


def test_drug_calculator_widget_follows_the_product_and_explains_bad_input():
    display = interactive.drug_calculator()
    display._repr_mimebundle_()
    tool = display.tool
    tool.product.value = "Dysport"
    assert tuple(tool.vial.options) == (300, 500)
    tool.dose.value = "120"
    assert "J0586-JW x 36" in tool.output.value
    tool.dose.value = "a lot"
    assert 'role="alert"' in tool.output.value and "must be a number" in tool.output.value
