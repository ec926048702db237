"""The lesson tools, driven the way a learner drives them: the chooser, the calculators and the payer checklist.

Every tool shares one skeleton (``helpers.tools.base.Tool``): a choice the domain refuses becomes a
``role="alert"`` message, never a traceback.
"""

import re
from datetime import timedelta
from html import escape

import pytest

from helpers import checklist, data, fees, payers
from helpers.formatting import money
from helpers.tools import code_chooser, denial_detective, drug_calculator, explorer, fee_calculator, payer_checklist


DAY = "2026-03-02"


@pytest.fixture
def calculator():
    """Return a live fee calculator, built the way the notebook display builds it."""
    display = fee_calculator.form()
    display._repr_mimebundle_()
    return display.live


def test_calculator_static_face_lists_the_worked_examples():
    display = fee_calculator.form()
    text, html = repr(display), display._repr_html_()
    assert text == repr(fee_calculator.form())  # the same every run
    for line in ("64612-50", "64616-RT", "64612-51-RT", str(fees.reference_date())):
        assert line in text and line in html
    for *_, locality, _qp in fee_calculator.examples():
        assert locality in text
    assert text.index("64616-RT") < text.index("64612-51-RT")  # the two lines of one session, in rank order
    assert "participating physician, before sequestration" in text.splitlines()[0]
    assert fees.medicare_payment("64612", fees.reference_date(), "11", ["50"]).allowed.to_eng_string() in text
    assert len(text.splitlines()) == len(fee_calculator.examples()) + 2  # caption, header, one row each


def test_the_worked_examples_follow_the_data():
    day = fees.reference_date()
    dates = [example[1] for example in fee_calculator.examples()]
    assert dates[:5] == [day] * 5 and day.replace(year=day.year - 1) in dates  # this year's, and one a year before
    for start in fees.mid_year_changes():  # each mid-year change, the day before and the day it starts
        assert start in dates and start - timedelta(days=1) in dates
    assert fee_calculator.FeeCalculator().date.value == day.isoformat()


def test_calculator_live_face_keeps_the_static_text_and_carries_the_css_classes(calculator):
    bundle = fee_calculator.form()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Medicare payment: worked examples")
    assert "tool" in calculator.box._dom_classes
    assert "tool-output" in calculator.output._dom_classes


def test_calculator_starts_on_the_office_amount(calculator):
    expected = fees.medicare_payment("64612", fees.reference_date(), "11")
    assert f"<strong>Allowed:</strong> {money(expected.allowed)}" in calculator.output.value
    assert 'role="status"' in calculator.output.value
    assert calculator.output.value.count("<li>") == len(expected.steps)


def test_ticking_50_applies_the_bilateral_rule(calculator):
    calculator.modifiers["50"].value = True
    expected = fees.medicare_payment("64612", fees.reference_date(), "11", ["50"])
    assert "64612-50" in calculator.output.value
    assert money(expected.allowed) in calculator.output.value


def test_ticking_50_and_51_applies_both_in_order(calculator):
    calculator.modifiers["51"].value = True
    calculator.modifiers["50"].value = True
    assert calculator.chosen_modifiers() == ("50", "51")
    expected = fees.medicare_payment("64612", fees.reference_date(), "11", ["50", "51"])
    assert money(expected.allowed) in calculator.output.value


def test_place_qp_and_locality_change_the_payment(calculator):
    calculator.date.value = DAY
    calculator.place.value = "22"
    calculator.qp.value = True
    calculator.locality.value = "ny-manhattan"
    expected = fees.medicare_payment("64612", DAY, "22", qp=True, locality="ny-manhattan")
    assert money(expected.allowed) in calculator.output.value
    assert "Manhattan" in calculator.output.value and "QP" in calculator.output.value


def test_update_can_be_called_directly(calculator):
    calculator.code.value = "64616"
    calculator.update()
    expected = fees.medicare_payment("64616", fees.reference_date(), "11")
    assert money(expected.allowed) in calculator.output.value


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


def test_chooser_widget_follows_the_learner_s_choices():
    display = code_chooser.form()
    bundle = display._repr_mimebundle_()
    assert "64612-50 x 1" in bundle["text/plain"] and "tool" in display.live.box._dom_classes
    display.live.condition.value = "chronic migraine"
    assert "64615 x 1" in display.live.output.value
    display.live.condition.value = "benign essential blepharospasm"
    display.live.side.value = "both"
    display.live.payer.value = "facility"
    assert "64612-RT x 1 and 64612-LT x 1" in display.live.output.value
    assert "ask the MAC" in display.live.output.value  # the ASC format's unverified MUE question is said


def test_the_chooser_s_examples_carry_the_note_on_each_two_sided_format():
    text = repr(code_chooser.form())
    formats = data.load("bilateral_formats")
    note = formats[(formats["payer_type"] == "facility") & formats["preferred"]]["note"].iloc[0]
    assert "note on the format" in text.splitlines()[1] and note in text


def test_drug_calculator_widget_follows_the_product_and_explains_bad_input():
    display = drug_calculator.form()
    display._repr_mimebundle_()
    tool = display.live
    tool.product.value = "Dysport"
    assert tuple(tool.vial.options) == (300, 500)
    tool.dose.value = "120"
    assert "J0586-JW x 36" in tool.output.value
    tool.dose.value = "a lot"
    assert 'role="alert"' in tool.output.value and "must be a number" in tool.output.value


def test_the_checklist_frame_and_faces_agree():
    result = checklist.checklist(*payer_checklist.EXAMPLES[0])
    frame = result.frame()
    assert frame["item"].tolist() == ["Setting", "Product"] + [item for item, _ in checklist.ITEMS]
    html, text = payer_checklist.checklist_html(result), payer_checklist.checklist_text(result)
    for source in result.sources():
        assert source in html and source in text
    assert "check before you bill" in html


def test_the_widget_follows_payer_setting_and_product():
    display = payer_checklist.form()
    bundle = display._repr_mimebundle_()
    tool = display.live
    assert "tool" in tool.box._dom_classes and "tool-output" in tool.output._dom_classes
    assert bundle["text/plain"] == repr(display) and bundle["text/html"] == display._repr_html_()
    assert "not in this setting" in tool.output.value  # Medicare, office, Botox
    tool.care_setting.value = "hospital outpatient"
    assert "cms-opd-prior-auth" in tool.output.value and "Required in hospital outpatient departments" in tool.output.value
    tool.payer.value = "Aetna"
    assert list(tool.plan.options) == payers.plans("Aetna") and tool.plan.value == "Aetna commercial"
    assert "CPB 0113" in tool.output.value
    tool.product.value = "Myobloc"
    assert "This rule names Myobloc" in tool.output.value
    tool.diagnosis.value = "hemifacial spasm"
    assert "For hemifacial spasm it is not labelled" in tool.output.value
    tool.payer.value = "Blue Cross Blue Shield"
    tool.plan.value = "Blue Cross NC (commercial)"
    assert "Myobloc is not on the preferred list" in tool.output.value


def test_the_widget_shows_a_message_instead_of_a_traceback(monkeypatch):
    tool = payer_checklist.PayerChecklist()
    monkeypatch.setattr(checklist, "checklist", lambda *_: (_ for _ in ()).throw(ValueError("no such plan")))
    tool.update()
    assert 'role="alert"' in tool.output.value and "no such plan" in tool.output.value


def test_the_static_face_is_the_worked_examples_and_never_varies():
    first, second = payer_checklist.form(), payer_checklist.form()
    assert first._repr_html_() == second._repr_html_() and repr(first) == repr(second)
    for payer, plan, care_setting, product, diagnosis in payer_checklist.EXAMPLES:
        assert f"{payer}, {plan} · {care_setting} · {product} · {diagnosis}" in repr(first)
    assert not re.search(r"0x[0-9a-f]{6,}", first._repr_html_())


def test_a_new_year_of_data_moves_the_fee_tools_with_it(data_copy):
    """A maintainer's yearly roll: add next year's conversion factor and RVUs, and the tools follow."""
    factors, rvus = data.load("conversion_factors"), data.load("pfs_rvu")
    year = max(factors["end"]).year + 1
    with (data_copy / "conversion_factors.csv").open("a", encoding="utf-8") as file:
        file.write(f"{year}-01-01,{year}-12-31,all,35.0,decisionhealth-2026-pfs,M,A rehearsal row.\n")
    newest = (data_copy / "pfs_rvu.csv").read_text(encoding="utf-8").splitlines()
    copied = [line.replace(f",{year - 1},", f",{year},", 1) for line in newest if f",{year - 1}," in line]
    with (data_copy / "pfs_rvu.csv").open("a", encoding="utf-8") as file:
        file.write("".join(f"{line}\n" for line in copied))
    localities = [line for line in (data_copy / "gpci.csv").read_text(encoding="utf-8").splitlines()
                  if line.startswith(f"{year - 1},")]
    with (data_copy / "gpci.csv").open("a", encoding="utf-8") as file:  # a year is complete with its GPCIs too
        file.write("".join(f"{year}{line[4:]}\n" for line in localities))
    assert len(data.load("pfs_rvu")) == len(rvus) + len(copied)
    assert fees.reference_date().year == year
    display = fee_calculator.form()
    assert f"{year}-01-01" in repr(display) and f"{year - 1}-01-01" in repr(display)  # this year and last
    assert fee_calculator.FeeCalculator().date.value == f"{year}-01-01"
    assert year in set(fees.history_table("64612")["year"])


def test_the_row_picker_shows_the_rows_for_the_choice_without_code():
    display = explorer.rows("drugs", "product", "Xeomin", ["hcpcs", "product", "units_per_billing_unit"])
    assert "J0588" in repr(display) and "J0586" not in repr(display)  # the static face: the first choice
    display._repr_mimebundle_()
    picker = display.live
    assert "Dysport" in picker.choice.options
    picker.choice.value = "Dysport"
    assert "J0586" in picker.output.value and "J0588" not in picker.output.value


def test_the_row_picker_names_a_column_the_table_lacks():
    with pytest.raises(ValueError, match="has no column 'colour'"):
        explorer.matching_rows("drugs", "colour", "red", ["hcpcs"])


def test_local_coverage_follows_the_state_chosen():
    display = explorer.local_coverage("TX")
    display._repr_mimebundle_()
    assert "(TX)" in display.live.output.value
    display.live.choice.value = "CA"
    assert "JE (CA)" in display.live.output.value
    display.live.choice.value = "VA"  # Virginia is split between two Part B contractors: both are shown
    jurisdictions = set(payers.contractor("VA")["jurisdiction"])
    assert len(jurisdictions) == 2 and all(f">{name}<" in display.live.output.value for name in jurisdictions)
    assert set(payers.states()) >= {"TX", "CA", "VA", "PR"}


def test_the_denial_detective_hides_the_cause_until_asked_and_again_for_a_new_case():
    display = denial_detective.detective("too-soon")
    assert "<details>" in display._repr_html_()  # the static face folds the answer
    tool = denial_detective.Detective("too-soon")
    case = data.load("denial_cases").set_index("id").loc["too-soon"]
    assert escape(case["cause"]) not in tool.output.value and "CO-50" in tool.output.value
    tool.reveal.value = True
    assert escape(case["cause"]) in tool.output.value and escape(case["fix"]) in tool.output.value
    assert "Correct the units" not in denial_detective.case_view("both-sides-two-units").html  # no fix before asked
    tool.case.value = next(label for label, found in tool.labels.items() if found == "no-utn")
    assert tool.reveal.value is False
    assert "CO-197" in tool.output.value and "Cause." not in tool.output.value


def test_every_denial_case_is_offered_and_shows_its_codes_meanings():
    labels = denial_detective.case_labels()
    assert list(labels.values()) == list(data.load("denial_cases")["id"])
    for case_id in labels.values():
        html = denial_detective.case_view(case_id).html
        assert "The codes on the remittance" in html and "Not in the course's list" not in html, case_id


def test_the_remittance_lookup_explains_typed_codes_and_refuses_nonsense():
    tool = denial_detective.Lookup("CO-96 N362")
    assert "N362" in tool.output.value and "role=\"alert\"" not in tool.output.value
    tool.codes.value = "hello 96"
    assert 'role="alert"' in tool.output.value and "HELLO" in tool.output.value
    tool.codes.value = "PR-1"
    assert "Not in the course&#x27;s list" in tool.output.value
