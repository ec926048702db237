"""Drug-line arithmetic: billing units rounded up, waste rounded down, JW or JZ, the MUE, and bad input."""

import pytest

from helpers import drugs


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


def test_an_ndc_is_written_in_its_11_digit_form_with_its_unit():
    assert drugs.ndc_11("0023-1145-01") == "00023-1145-01"
    assert drugs.ndc_11("00259-160-01") == "00259-0160-01"
    assert drugs.ndc_11("00023-1145-1") == "00023-1145-01"
    assert drugs.ndc_item("00023-1145-01", 30) == "N400023114501 UN30"


@pytest.mark.parametrize("typed", ["123", "0023-1145-1", "00023-11451-01", "0023-114-01", "abcde-1145-01", ""])
def test_a_malformed_ndc_is_refused_with_the_form_to_use(typed):
    with pytest.raises(ValueError, match="is not an NDC: write it with hyphens as printed"):
        drugs.ndc_11(typed)
