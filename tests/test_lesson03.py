"""Notebook 03's helpers: the fee calculator widget and the fee schedule charts.

Widgets are driven the way a learner drives them (set a value, tick a box) and their output is compared
with helpers.fees; charts are checked for their titles, labels and the number of bars or lines drawn.
"""

import json
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from helpers import course, data, fees, figures, interactive

FAMILY = ["64612", "64615", "64616", "64617", "67345"]
DAY = "2026-03-02"


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opens."""
    yield
    plt.close("all")


@pytest.fixture
def calculator():
    """Return a live fee calculator, built the way the notebook display builds it."""
    display = interactive.fee_calculator()
    display._repr_mimebundle_()
    return display.tool


def bars(ax) -> list:
    """Return the bar rectangles drawn on an Axes."""
    return [patch for patch in ax.patches if isinstance(patch, Rectangle)]


def test_calculator_static_face_lists_the_worked_examples():
    display = interactive.fee_calculator()
    text, html = repr(display), display._repr_html_()
    assert text == repr(interactive.fee_calculator())  # the same every run
    for line in ("64612-50", "64616-RT", "64612-51-RT", "ny-manhattan"):
        assert line in text and line in html
    assert text.index("64616-RT") < text.index("64612-51-RT")  # the two lines of one session, in rank order
    assert "participating physician, before sequestration" in text.splitlines()[0]
    assert fees.medicare_payment("64612", DAY, "11", ["50"]).allowed.to_eng_string() in text
    assert len(text.splitlines()) == len(interactive.FEE_EXAMPLES) + 2  # caption, header, one row each


def test_calculator_live_face_keeps_the_static_text_and_carries_the_css_classes(calculator):
    bundle = interactive.fee_calculator()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Medicare payment: worked examples")
    assert "tool" in calculator.box._dom_classes
    assert "tool-output" in calculator.output._dom_classes


def test_calculator_starts_on_the_office_amount(calculator):
    expected = fees.medicare_payment("64612", DAY, "11")
    assert f"<strong>Allowed:</strong> {interactive.dollars(expected.allowed)}" in calculator.output.value
    assert 'role="status"' in calculator.output.value
    assert calculator.output.value.count("<li>") == len(expected.steps)


def test_ticking_50_applies_the_bilateral_rule(calculator):
    calculator.modifiers["50"].value = True
    expected = fees.medicare_payment("64612", DAY, "11", ["50"])
    assert "64612-50" in calculator.output.value
    assert interactive.dollars(expected.allowed) in calculator.output.value


def test_ticking_50_and_51_applies_both_in_order(calculator):
    calculator.modifiers["51"].value = True
    calculator.modifiers["50"].value = True
    assert calculator.chosen_modifiers() == ("50", "51")
    expected = fees.medicare_payment("64612", DAY, "11", ["50", "51"])
    assert interactive.dollars(expected.allowed) in calculator.output.value


def test_place_qp_and_locality_change_the_payment(calculator):
    calculator.place.value = "22"
    calculator.qp.value = True
    calculator.locality.value = "ny-manhattan"
    expected = fees.medicare_payment("64612", DAY, "22", qp=True, locality="ny-manhattan")
    assert interactive.dollars(expected.allowed) in calculator.output.value
    assert "Manhattan" in calculator.output.value and "QP" in calculator.output.value


def test_update_can_be_called_directly(calculator):
    calculator.code.value = "64616"
    calculator.update()
    expected = fees.medicare_payment("64616", DAY, "11")
    assert interactive.dollars(expected.allowed) in calculator.output.value


@pytest.mark.parametrize(("field", "value", "words"), [
    ("date", "02/03/2026", "YYYY-MM-DD"),
    ("date", "2026-02-30", "not a real date"),
    ("date", "2018-06-01", "no Medicare conversion factor"),
])
def test_bad_input_gets_a_message_not_a_traceback(calculator, field, value, words):
    getattr(calculator, field).value = value
    assert 'role="alert"' in calculator.output.value
    assert words in calculator.output.value


def test_a_locality_without_indices_for_the_year_is_explained(calculator):
    calculator.locality.value = "al"
    calculator.date.value = "2025-06-02"
    assert 'role="alert"' in calculator.output.value and "no GPCIs for 2025" in calculator.output.value
    calculator.locality.value = "national"
    assert 'role="status"' in calculator.output.value


def test_a_modifier_the_data_cannot_price_is_refused(calculator):
    calculator.date.value = "2022-05-02"
    calculator.modifiers["50"].value = True
    assert "cannot be priced" in calculator.output.value


@pytest.mark.parametrize(("ticked", "words"), [(("50", "RT"), "50 cannot go with RT"),
                                               (("RT", "LT"), "RT and LT cannot go on one line")])
def test_impossible_modifier_mixtures_get_a_teaching_message(calculator, ticked, words):
    for modifier in ticked:
        calculator.modifiers[modifier].value = True
    assert 'role="alert"' in calculator.output.value and words in calculator.output.value
    calculator.modifiers[ticked[0]].value = False
    assert 'role="status"' in calculator.output.value


def test_the_drug_step_follows_the_place_of_service(calculator):
    assert "J0585" in calculator.output.value
    calculator.place.value = "22"
    assert "does not go on the physician&#x27;s claim" in calculator.output.value


def test_modifier_25_belongs_on_a_visit_code(calculator):
    calculator.modifiers["25"].value = True
    assert "visit line" in calculator.output.value
    calculator.code.value = "99213"
    assert 'role="status"' in calculator.output.value


def test_calculator_offers_every_place_of_service_and_locality(calculator):
    assert {value for _, value in calculator.place.options} == set(data.load("site_of_service")["pos"])
    localities = {value for _, value in calculator.locality.options}
    assert localities == {"national"} | set(data.load("gpci")["locality"])


def test_payment_steps_has_a_numbered_text_face():
    payment = fees.medicare_payment("64612", DAY, "11", ["RT"])
    text = repr(interactive.payment_steps(payment)).splitlines()
    assert text[0].startswith("64612-RT: allowed $")
    assert text[1].startswith("1. ") and text[-1].startswith("Sources: ")
    assert len(text) == len(payment.steps) + 2


def test_payment_table_has_one_row_per_payment():
    payments = [fees.medicare_payment("64612", DAY, place) for place in ("11", "22")]
    text = repr(interactive.payment_table(payments, caption="Two"))
    lines = text.splitlines()
    assert len(lines) == 4 and lines[0] == "Two"
    assert "$141.62" in lines[2] and "$108.22" in lines[3]


# ---- charts ------------------------------------------------------------------------------------

def test_rvu_history_draws_three_stacked_bars_per_year_in_each_panel():
    office, facility = fees.history("64612", "non-facility"), fees.history("64612", "facility")
    axes = figures.rvu_history(office, facility)
    years = office["year"].nunique()
    assert len(axes) == 2
    for ax in axes:
        assert len(bars(ax)) == 3 * years
        assert ax.get_title() and ax.get_xlabel()
    assert axes[0].get_ylabel()
    tops = sorted(float(text.get_text()) for text in axes[0].texts)
    assert tops == sorted(office.drop_duplicates("year")["total_rvus"].astype(float))


def test_rvu_history_hatches_the_medium_confidence_years():
    office, facility = fees.history("64612", "non-facility"), fees.history("64612", "facility")
    axes = figures.rvu_history(office, facility)
    medium = set(office.loc[office["rvu_confidence"] == "M", "year"])
    for ax in axes:
        hatched = {round(bar.get_x() + bar.get_width() / 2) for bar in bars(ax) if bar.get_hatch()}
        assert hatched == medium and medium
    assert any("medium confidence" in text.get_text() for text in axes[1].get_legend().get_texts())


def test_conversion_factor_history_draws_two_lines_over_every_period():
    ax = figures.conversion_factor_history()
    factors = data.load("conversion_factors")
    assert len(ax.get_lines()) == 2
    drawn = {value for line in ax.get_lines() for value in line.get_ydata()}
    assert drawn == set(factors["cf"])
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_payment_history_draws_office_and_facility():
    office, facility = fees.history("64612", "non-facility"), fees.history("64612", "facility")
    ax = figures.payment_history(office, facility)
    lines = ax.get_lines()
    assert len(lines) == 2
    assert max(lines[0].get_ydata()) == float(office[office["apm_status"] != "QP"]["fee_schedule_amount"].max())
    assert ax.get_title() and ax.get_ylabel()
    assert ax.get_ylim()[0] == 0  # drawn to scale: the axis starts at zero
    assert "non-QP" in ax.get_title()


def test_family_comparison_draws_two_labelled_bars_per_code():
    office = fees.compare(FAMILY, DAY, "non-facility")
    facility = fees.compare(FAMILY, DAY, "facility")
    ax = figures.family_comparison(office, facility)
    assert len(bars(ax)) == 2 * len(FAMILY)
    assert [label.get_text() for label in ax.get_xticklabels()] == FAMILY
    assert len(ax.texts) == 2 * len(FAMILY)
    assert ax.get_title() and ax.get_ylabel()
    labels = {text.get_text() for text in ax.texts}
    assert interactive.dollars(facility.set_index("code").loc["64616", "fee_schedule_amount"]) in labels


def test_locality_amounts_draws_one_bar_per_row_first_on_top():
    frame = pd.DataFrame({"locality": ["National", "Alabama"],
                          "amount": [fees.medicare_payment("64612", DAY, "11", locality=place).allowed
                                     for place in ("national", "al")]})
    ax = figures.locality_amounts(frame)
    drawn = bars(ax)
    assert len(drawn) == 2
    assert drawn[0].get_y() > drawn[1].get_y()
    assert drawn[0].get_width() == float(frame["amount"][0])
    assert ax.get_title() and ax.get_xlabel()
    assert figures.locality_amounts(frame, title="2026, non-QP").get_title() == "2026, non-QP"


def test_charts_draw_on_given_axes():
    _, ax = plt.subplots()
    assert figures.conversion_factor_history(ax) is ax
    _, axes = plt.subplots(1, 2)
    office, facility = fees.history("64612", "non-facility"), fees.history("64612", "facility")
    assert figures.rvu_history(office, facility, axes) is axes


def test_importing_figures_changes_no_matplotlib_setting():
    import importlib

    before = dict(plt.rcParams)
    importlib.reload(figures)
    assert dict(plt.rcParams) == before



# ---- the lesson's prose ------------------------------------------------------------------------

TYPED_INDICATOR = re.compile(r"indicator (is |of )?\d|\b0\d0\b|\bstatus [A-Z]\b")


def test_lesson_prose_types_no_indicator_values():
    """Indicator values live in data/; the prose points to the tables instead of retyping them."""
    cells = json.loads(course.notebook_path("03_reimbursement").read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            found = TYPED_INDICATOR.search("".join(cell["source"]))
            assert not found, found.group(0)


def test_typed_indicator_rule_catches_typed_values():
    for typed in ("its bilateral indicator is 2", "a `010` global period", "the drug codes carry status E"):
        assert TYPED_INDICATOR.search(typed), typed
    for fine in ("the bilateral indicator (the table above)", "notebook 02", "64612-50"):
        assert not TYPED_INDICATOR.search(fine), fine
