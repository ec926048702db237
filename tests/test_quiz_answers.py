"""Reading learners' input: numbers, code lines and letters, however they are typed."""

from decimal import Decimal

import pytest

from helpers.quiz.answers import CodeLine, parse_amount, parse_code_line, parse_letters


@pytest.mark.parametrize("text, expected", [
    ("$141.62", "141.62"), ("141.6", "141.6"), ("1,000", "1000"), (" 1 000 units", "1000"), ("USD 12", "12"),
    ("212.43 dollars", "212.43"), ("-3", "-3"), (".5", "0.5"), ("20 units", "20"), ("12%", "12"),
    ("１２", "12"),  # full-width digits
    ("3 months", "3"), ("24 billing units", "24"), ("10 days", "10"), ("4.24 RVUs", "4.24"), ("3 mo.", "3"),
])
def test_numbers_in_the_forms_people_type(text, expected):
    assert parse_amount(text).value == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,00", "1.2.3", "$", "twelve", "1e5", "∞", None, "12 parsecs", "$12 weeks"])
def test_unreadable_numbers(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["64612-50", "64612 50", "64612–50", "64612—50", " 64612-50 ", "64612−50",
                                  "64612‑50", "64612 - 50", "64612,50"])
def test_code_lines_with_any_spacing_and_dash(text):
    assert parse_code_line(text) == CodeLine("64612", frozenset({"50"}))


@pytest.mark.parametrize("text, units", [("64612-50 x1", 1), ("64612-50 × 1 unit", 1), ("J0585-JW x 70", 70),
                                         ("J0585 JW 70 units", 70), ("J0585-JW (70)", 70), ("J0585-JW UN70", 70),
                                         ("J0585-JW UN 70", 70), ("J0585-JW * 70", 70), ("J0585-JW 70U", 70),
                                         ("j0585-jw ×70 UNITS", 70)])
def test_unit_counts_in_the_forms_coders_write(text, units):
    line = parse_code_line(text)
    assert line is not None and line.units == units and line.count == units


def test_a_line_without_units_reads_as_one_unit_but_says_none_was_stated():
    line = parse_code_line("64612-50")
    assert line.units is None and line.count == 1 and line.same_as(parse_code_line("64612-50 x 1"))
    assert str(line) == "64612-50" and str(parse_code_line("64612 50 x1")) == "64612-50 x 1"


def test_modifier_order_and_case_do_not_matter():
    assert parse_code_line("64612-rt-51") == parse_code_line("64612 51 RT")
    assert str(parse_code_line("64612-rt-51")) == "64612-51-RT"
    assert parse_code_line(" j0585-jw ") == CodeLine("J0585", frozenset({"JW"}))


@pytest.mark.parametrize("text", ["", "6461", "646122", "64612-5", "64612-RTX", "hello 64612", "-50", "64612-50 x",
                                  "64612-50 x 0", "64612-50 x 2.5", "64612-50 x two", "64612-50 x 2 boxes", "x 2"])
def test_unreadable_code_lines(text):
    assert parse_code_line(text) is None


@pytest.mark.parametrize("text, positions", [("A, C", [0, 2]), ("a c", [0, 2]), ("AC", [0, 2]),
                                             ("1 3", [0, 2]), ("b and d", [1, 3]), ("D;A", [3, 0])])
def test_letters(text, positions):
    assert parse_letters(text, 4) == positions


@pytest.mark.parametrize("text", ["E", "5", "", "A?", "maybe"])
def test_unreadable_letters(text):
    assert parse_letters(text, 4) is None


@pytest.mark.parametrize("text, unit", [("3 months", "months"), ("12 weeks", "weeks"), ("$5", "USD"), ("5", None),
                                        ("24 billing units", "units"), ("12%", "percent"), ("1 RVU", "RVUs")])
def test_amounts_keep_the_unit_the_learner_wrote(text, unit):
    assert parse_amount(text).unit == unit
