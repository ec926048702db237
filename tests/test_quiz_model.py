"""Checking answers: every type, partial feedback, and no input that can make a check raise."""


import pytest
from hypothesis import given, settings, strategies as st
from pydantic import TypeAdapter

from helpers.quiz.model import Question

QUESTION = TypeAdapter(Question)
BASE = dict(section="s", objective="o", prompt="p", explanation="Because.", sources=["aapmr-neurolysis"])


def make(**fields):
    return QUESTION.validate_python({**BASE, **fields})


SINGLE = make(id="single", type="single", options=[
    {"text": "Chemodenervation", "correct": True, "feedback": "Yes: toxin at the junction."},
    {"text": "Chemical neurolysis", "feedback": "That destroys nerve tissue."},
    {"text": "Decompression"}])
MULTIPLE = make(id="multiple", type="multiple", options=[
    {"text": "G24.5", "correct": True}, {"text": "G51.3", "feedback": "A category, not billable."},
    {"text": "G51.31", "correct": True}, {"text": "R51.9"}])
NUMERIC = make(id="numeric", type="numeric", answer=141.62, tolerance=0.01, unit="USD")
CODE = make(id="code", type="code", answer="64612-50", modifier_feedback={"RT": "RT is one side only."})
ORDER = make(id="order", type="order", items=["first", "second", "third", "fourth"])
ALL = [SINGLE, MULTIPLE, NUMERIC, CODE, ORDER]


def test_single_by_letter_text_or_index():
    assert SINGLE.check("A").correct and SINGLE.check("chemodenervation").correct and SINGLE.check(0).correct
    wrong = SINGLE.check("B")
    assert not wrong.correct and wrong.readable
    assert "That destroys nerve tissue." in wrong.message and wrong.wrong == ("B. Chemical neurolysis",)


def test_single_result_carries_explanation_and_sources():
    result = SINGLE.check("A")
    assert result.explanation == "Because."
    assert result.sources[0]["url"] == "https://now.aapmr.org/neurolysis/"
    assert result.verdict == "Correct."


def test_multiple_is_all_or_nothing_with_feedback_per_option():
    assert MULTIPLE.check("A, C").correct
    partly = MULTIPLE.check("A, B")
    assert not partly.correct
    assert "A category, not billable." in partly.message and "'C. G51.31' applies too." in partly.message
    assert "A. G24.5" in partly.right and "B. G51.3" in partly.wrong
    assert MULTIPLE.check([0, 2]).correct


def test_numeric_within_tolerance_in_any_format():
    for text in ("$141.62", "141.62", "141.625", " $ 141.62 "):
        assert NUMERIC.check(text).correct, text
    wrong = NUMERIC.check("141.6")
    assert not wrong.correct and "lower than" in wrong.message
    assert NUMERIC.check("1,416.20").message.endswith("higher than the expected answer.")


def test_code_normalises_and_explains_a_wrong_modifier():
    for text in ("64612 50", "64612–50", " 64612-50 ", "64612-50"):
        assert CODE.check(text).correct, text
    wrong = CODE.check("64612-rt")
    assert not wrong.correct
    assert "RT is one side only." in wrong.message
    assert wrong.right == ("code 64612",) and "modifier RT" in wrong.wrong and "a missing modifier" in wrong.wrong
    other = CODE.check("64615-50")
    assert "64615 is not the code for this service." in other.message and other.right == ("modifier 50",)


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


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.type)
@pytest.mark.parametrize("response", ["", "   ", None, "🤔", "x" * 10_000, "A" * 3, [], {}, 3.5, -1, True,
                                      "64612-ZZ", "\x00", "$", "DROP TABLE", ["nope"]])
def test_odd_input_gets_a_helpful_unreadable_result(question, response):
    result = question.check(response)
    assert not result.correct
    if not result.readable:
        assert result.message.startswith("I could not read that.")
        assert len(result.message) < 200


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.none(), st.integers(), st.floats(), st.lists(st.text()), st.lists(st.integers())))
def test_check_never_raises(response):
    for question in ALL:
        result = question.check(response)
        assert isinstance(result.correct, bool) and isinstance(result.message, str)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**6, max_value=10**6, places=2))
def test_numeric_accepts_any_formatting_of_the_right_amount(value):
    question = make(id="n", type="numeric", answer=str(value), tolerance=0, unit="USD")
    assert question.check(f"${value:,.2f}").correct
    assert question.check(f"{value:.2f}").correct


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["50", "RT", "LT", "51", "59", "XS"]), st.sampled_from([" ", "-", "–", " - ", "—"]),
       st.booleans())
def test_code_accepts_any_separator_and_case(modifier, separator, lower):
    question = make(id="c", type="code", answer=f"64612-{modifier}")
    typed = f"64612{separator}{modifier}"
    assert question.check(typed.lower() if lower else typed).correct
