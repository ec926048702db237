"""Checking answers: every type, feedback that teaches without revealing, and odd input read or refused."""


import pytest
from hypothesis import given, settings, strategies as st
from pydantic import TypeAdapter, ValidationError

from helpers.quiz.model import Question

QUESTION = TypeAdapter(Question)
BASE = dict(section="s", objective="o", prompt="p", explanation="Because.", sources=["aapmr-neurolysis"])


def make(**fields):
    return QUESTION.validate_python({**BASE, **fields})


SINGLE = make(id="single", type="single", options=[
    {"text": "Chemodenervation", "correct": True, "feedback": "Yes: toxin at the junction."},
    {"text": "Chemical neurolysis", "feedback": "That destroys nerve tissue."},
    {"text": "Decompression", "feedback": "That is surgery."}])
MULTIPLE = make(id="multiple", type="multiple", options=[
    {"text": "G24.5", "correct": True}, {"text": "G51.3", "feedback": "A category, not billable."},
    {"text": "G51.31", "correct": True, "feedback": "Right side."}, {"text": "R51.9", "feedback": "A headache."}])
NUMERIC = make(id="numeric", type="numeric", answer=141.62, tolerance=0.01, unit="USD")
MONTHS = make(id="months", type="numeric", answer=3, tolerance=0, unit="months")
BILLING = make(id="billing", type="numeric", answer=24, tolerance=0, unit="billing units")
CODE = make(id="code", type="code", answer="64612-50 x 1", modifier_feedback={"RT": "RT is one side only."},
            unit_feedback="One line of one unit: the MUE is 1.")
DRUG = make(id="drug", type="code", answer="J0585-JZ x 100", unit_feedback="100 units of Botox are 100 billing units.")
BARE = make(id="bare", type="code", answer="64615")
ORDER = make(id="order", type="order", items=["first", "second", "third", "fourth"])
ALL = [SINGLE, MULTIPLE, NUMERIC, MONTHS, BILLING, CODE, DRUG, BARE, ORDER]


def letter_of(question, text):
    return "ABCDEFGH"[[option.text for option in question.shown()].index(text)]


def test_single_by_letter_text_or_index_in_the_shown_order():
    key = letter_of(SINGLE, "Chemodenervation")
    assert SINGLE.check(key).correct and SINGLE.check("chemodenervation").correct
    assert SINGLE.check("ABC".index(key)).correct
    wrong = SINGLE.check(letter_of(SINGLE, "Chemical neurolysis"))
    assert not wrong.correct and wrong.readable
    assert "That destroys nerve tissue." in wrong.message
    assert wrong.wrong == (f"{letter_of(SINGLE, 'Chemical neurolysis')}. Chemical neurolysis",)


def test_options_are_shown_in_a_fixed_order_that_is_not_the_file_order():
    assert MULTIPLE.shown() == make(**MULTIPLE.model_dump()).shown()
    assert [o.text for o in SINGLE.shown()] != [o.text for o in SINGLE.options] or \
           [o.text for o in MULTIPLE.shown()] != [o.text for o in MULTIPLE.options]
    assert SINGLE.answer_text() == f"{letter_of(SINGLE, 'Chemodenervation')}. Chemodenervation"


def test_multiple_judges_only_what_was_ticked_and_never_names_a_missed_option():
    a, b, c = (letter_of(MULTIPLE, text) for text in ("G24.5", "G51.3", "G51.31"))
    assert MULTIPLE.check(f"{a}, {c}").correct
    partly = MULTIPLE.check(f"{a}, {b}")
    assert not partly.correct
    assert f"You ticked {a}: right." in partly.message
    assert f"You ticked {b}: not right. A category, not billable." in partly.message
    assert "One correct option is missing." in partly.message
    assert "G51.31" not in partly.message and c not in partly.message.replace(f"ticked {c}", "")
    assert partly.right == (f"{a}. G24.5",) and partly.wrong == (f"{b}. G51.3",)
    assert "2 correct options are missing." in MULTIPLE.check(b).message


def test_multiple_with_a_wrong_option_added_is_wrong():
    a, c, d = (letter_of(MULTIPLE, text) for text in ("G24.5", "G51.31", "R51.9"))
    result = MULTIPLE.check(f"{a} {c} {d}")
    assert not result.correct and "missing" not in result.message and "A headache." in result.message


def test_numeric_within_tolerance_in_any_format():
    for text in ("$141.62", "141.62", "141.625", " $ 141.62 ", "141.62 USD", "141.62 dollars"):
        assert NUMERIC.check(text).correct, text
    wrong = NUMERIC.check("141.6")
    assert not wrong.correct and "lower than" in wrong.message
    assert NUMERIC.check("1,416.20").message.endswith("higher than the expected answer.")


@pytest.mark.parametrize("question, text", [(MONTHS, "3 months"), (MONTHS, "3 mo"), (MONTHS, "3"), (MONTHS, "3 Months."),
                                            (BILLING, "24 billing units"), (BILLING, "24 units"), (BILLING, "24")])
def test_numbers_in_the_questions_own_unit_are_read(question, text):
    assert question.check(text).correct


@pytest.mark.parametrize("question, text, named", [(MONTHS, "12 weeks", "weeks"), (MONTHS, "90 days", "days"),
                                                   (BILLING, "$24", "USD"), (NUMERIC, "141.62%", "percent")])
def test_a_number_in_another_unit_is_a_unit_mismatch_not_a_wrong_number(question, text, named):
    result = question.check(text)
    assert not result.readable and result.message.startswith("Check the unit.")
    assert f"you wrote {named}" in result.message and question.unit in result.message


def test_code_normalises_and_explains_a_wrong_modifier():
    for text in ("64612 50", "64612–50", " 64612-50 ", "64612-50 x 1", "64612-50 ×1", "64612 50 1 unit"):
        assert CODE.check(text).correct, text
    wrong = CODE.check("64612-rt x 1")
    assert not wrong.correct
    assert "RT is one side only." in wrong.message
    assert wrong.right == ("code 64612", "1 unit") and "modifier RT" in wrong.wrong and "a missing modifier" in wrong.wrong
    other = CODE.check("64615-50")
    assert "64615 is not the code for this service." in other.message and "modifier 50" in other.right


@pytest.mark.parametrize("text", ["64612-50 x 2", "64612-50 ×2", "64612-50 2 units", "64612-50 (2)", "64612-50 UN 2"])
def test_a_wrong_unit_count_is_wrong_and_explained(text):
    result = CODE.check(text)
    assert not result.correct and result.readable
    assert "2 units" in result.wrong and "One line of one unit: the MUE is 1." in result.message


def test_a_drug_line_without_units_reads_as_one_unit_and_says_so():
    result = DRUG.check("J0585-JZ")
    assert not result.correct and "reads as 1 unit" in result.message and "100 billing units" in result.message
    assert DRUG.check("j0585 jz x100").correct and DRUG.check("J0585-JZ 100 units").correct
    assert not DRUG.check("J0585-JZ x 1").correct


def test_invisible_marks_and_other_scripts_digits_are_read():
    assert CODE.check("\u200f64612-50\u200b x 1").correct and BARE.check("٦٤٦١٥").correct
    assert NUMERIC.check("١٤١.٦٢").correct


def test_the_same_note_is_not_repeated():
    both = make(id="b", type="code", answer="64612-50 x 1", unit_feedback="One.",
                modifier_feedback={"RT": "Use 50 for Medicare.", "LT": "Use 50 for Medicare."})
    assert both.check("64612 rt lt").message.count("Use 50 for Medicare.") == 1


def test_a_numeric_modifier_hints_at_the_unit_syntax():
    assert "write it after an x" in DRUG.check("J0585 JZ 10").message


def test_a_bare_code_question_counts_one_unit():
    assert BARE.check("64615").correct and BARE.check("64615 x 1").correct
    assert not BARE.check("64615 x 2").correct and not BARE.check("64615-50").correct


@pytest.mark.parametrize("fields, message", [
    ({"answer": "64612-50"}, "state its units"),
    ({"answer": "64612-50 x 1"}, "unit_feedback"),
    ({"answer": "64612-50 x 1", "unit_feedback": "Why.", "also_accept": ["64612-RT"]}, "state its units"),
])
def test_code_keys_must_state_and_explain_units(fields, message):
    with pytest.raises(ValidationError, match=message):
        make(id="k", type="code", **fields)


def test_every_wrong_option_needs_feedback():
    with pytest.raises(ValidationError, match="needs feedback"):
        make(id="s", type="single", options=[{"text": "a", "correct": True}, {"text": "b"}])


def test_order_by_letters_or_items_with_partial_credit():
    shown = ORDER.shown()
    assert shown != list(ORDER.items) and sorted(shown) == sorted(ORDER.items)
    letters = ", ".join("ABCD"[shown.index(item)] for item in ORDER.items)
    assert ORDER.check(letters).correct
    assert ORDER.check(list(ORDER.items)).correct
    swapped = ["second", "first", "third", "fourth"]
    result = ORDER.check(swapped)
    assert not result.correct and result.message.endswith("2 of 4 steps are in the right place.")


def test_order_is_shuffled_the_same_way_every_time():
    assert ORDER.shown() == make(id="order", type="order", items=["first", "second", "third", "fourth"]).shown()


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.id)
@pytest.mark.parametrize("response", ["", "   ", None, "🤔", "x" * 10_000, "A" * 3, [], {}, 3.5, -1, True,
                                      "64612-ZZ", "\x00", "$", "DROP TABLE", ["nope"], "<script>alert(1)</script>",
                                      "12 parsecs", "x 0", "64612-50 x 0", "\u202e05-21646"])
def test_odd_input_gets_a_helpful_result(question, response):
    result = question.check(response)
    assert not result.correct
    if not result.readable:
        assert result.message.startswith(("I could not read that.", "Check the unit."))
        assert len(result.message) < 200


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.none(), st.integers(), st.floats(), st.lists(st.text()), st.lists(st.integers()),
                 st.dictionaries(st.text(), st.text()), st.from_regex(r"[0-9JjXx ,.$%-]{0,20}")))
def test_check_reads_any_input_without_raising(response):
    """The model's own check has no safety net: any exception here is a bug the test must see."""
    for question in ALL:
        result = question.check(response)
        assert result.status in ("right", "wrong", "unreadable") and isinstance(result.message, str)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**6, max_value=10**6, places=2))
def test_numeric_accepts_any_formatting_of_the_right_amount(value):
    question = make(id="n", type="numeric", answer=str(value), tolerance=0, unit="USD")
    assert question.check(f"${value:,.2f}").correct
    assert question.check(f"{value:.2f}").correct


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["50", "RT", "LT", "51", "59", "XS"]), st.sampled_from([" ", "-", "–", " - ", "—"]),
       st.booleans(), st.sampled_from(["", " x 1", "x1", " × 1", " 1 unit", " (1)", " UN1"]))
def test_code_accepts_any_separator_case_and_unit_spelling(modifier, separator, lower, units):
    question = make(id="c", type="code", answer=f"64612-{modifier} x 1", unit_feedback="One.")
    typed = f"64612{separator}{modifier}{units}"
    assert question.check(typed.lower() if lower else typed).correct
