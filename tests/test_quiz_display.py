"""One display, three faces: a live widget, static HTML with no scripts, and deterministic text."""

import re

import pytest

from helpers import course, progress, quiz
from helpers.quiz import display

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def bank():
    return quiz.load_bank("00_start_here")


def position(question, correct: bool = True, says: str = "") -> int:
    """Return the shown position of a correct (or wrong) option whose feedback contains ``says``."""
    return next(i for i, option in enumerate(question.shown()) if option.correct == correct and says in option.feedback)


def test_one_display_carries_all_three_faces(bank):
    bundle = display.section(bank, "warm-up")._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", WIDGET_VIEW}
    assert bundle["text/plain"].startswith("Quiz (Choose one answer.) Which description fits CPT 64612?")


def test_static_faces_are_identical_every_time(bank):
    first, second = display.section(bank, "warm-up")._repr_mimebundle_(), display.section(bank, "warm-up")._repr_mimebundle_()
    assert first["text/html"] == second["text/html"] and first["text/plain"] == second["text/plain"]
    assert first[WIDGET_VIEW]["model_id"] != second[WIDGET_VIEW]["model_id"]  # only the live face differs


def test_static_html_is_plain_semantic_html_with_show_answer(bank):
    html = display.section(bank, "warm-up")._repr_html_()
    assert "<script" not in html and "style=" not in html
    assert html.count("<details><summary>Show answer</summary>") == len(bank.in_section("warm-up"))
    assert 'id="quiz-00_start_here-what-64612-is"' in html
    key = "ABCDEFGH"[position(bank.question("what-64612-is"))]
    assert re.search(rf"<strong>Answer:</strong> {key}\. Botulinum toxin", html)


def test_assessment_static_face_hides_answers(bank):
    shown = display.assessment(bank)
    assert "Show answer" not in shown._repr_html_() and "Answer:" not in repr(shown)
    assert "Which description fits CPT 64612?" in repr(shown)


def test_widget_classes_for_browser_tests(bank):
    shown = display.questions(bank, "what-64612-is", "mue-lookup")
    shown._repr_mimebundle_()
    single, numeric = shown.live.items
    assert "quiz" in single.box._dom_classes and "quiz-options" in single.input._dom_classes
    assert "quiz-input" in numeric.input._dom_classes and "quiz-check" in single.check_button._dom_classes
    assert "quiz-feedback" in single.feedback._dom_classes


def test_check_button_gives_feedback_in_words_and_saves_progress(bank):
    shown = display.questions(bank, "what-64612-is")
    shown._repr_mimebundle_()
    (item,) = shown.live.items
    item.input.value = position(item.question, correct=False, says="64640")  # chemical neurolysis
    item.check_button.click()
    assert "✗ Not quite." in item.feedback.value and 'role="alert"' in item.feedback.value
    assert "neurolytic destruction code such as 64640" in item.feedback.value
    assert item.retry_button.layout.display is None and item.counter.value == "Attempts: 1"
    item.retry_button.click()
    item.input.value = position(item.question)
    item.check_button.click()
    assert "✓ Correct." in item.feedback.value and "Sources:" in item.feedback.value
    saved = progress.attempts()
    assert saved["correct"].tolist() == [False, True] and saved["attempt"].tolist() == [1, 2]


def test_unreadable_input_is_not_counted_or_saved(bank):
    shown = display.questions(bank, "right-hfs-line")
    shown._repr_mimebundle_()
    (item,) = shown.live.items
    item.input.value = "the right side please"
    item.check_button.click()
    assert "I could not read that." in item.feedback.value
    assert item.counter.value == "" and progress.attempts().empty
    item.input.value = "64612 lt"
    item.check_button.click()
    assert "LT means the left side" in item.feedback.value


def test_show_answer_reveals_explanation_after_a_wrong_answer(bank):
    shown = display.questions(bank, "mue-lookup")
    shown._repr_mimebundle_()
    (item,) = shown.live.items
    item.input.value = "2"
    item.check_button.click()
    assert "Answer:" not in item.feedback.value
    item.reveal_button.click()
    assert "<strong>Answer:</strong> 1 unit<" in item.feedback.value


def test_order_widget_moves_steps(bank):
    shown = display.questions(bank, "visit-order")
    shown._repr_mimebundle_()
    (item,) = shown.live.items
    question = item.question
    for target, step in enumerate(question.items):
        while item.sequence.index(step) > target:
            item.move(item.sequence.index(step), -1)
    item.check_button.click()
    assert "✓ Correct." in item.feedback.value


def test_assessment_reveals_only_after_submit_with_score_by_objective(bank):
    shown = display.assessment(bank)
    shown._repr_mimebundle_()
    widget = shown.live
    assert all(item.check_button.layout.display == "none" for item in widget.items)
    widget.items[0].input.value = position(widget.items[0].question)
    results = widget.submit()
    assert results[0].correct and not results[1].correct
    assert "Score: 1 of 5 (20%)" in widget.score.value
    terminology = course.objective_title("terminology", bank.notebook)
    assert f'{terminology}</a></td><td>1 of 1</td><td>done</td>' in widget.score.value
    assert 'href="00_start_here.ipynb"' in widget.score.value
    assert "Pass mark 80%: <strong>not yet</strong>" in widget.score.value
    assert all("Answer:" in item.feedback.value for item in widget.items)
    widget.start_again()
    assert widget.score.value == "" and not widget.submit_button.disabled


def test_progress_failure_does_not_break_the_quiz(bank, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    progress.set_location(blocker / "progress.sqlite3")
    shown = display.questions(bank, "what-64612-is")
    shown._repr_mimebundle_()
    (item,) = shown.live.items
    item.input.value = position(item.question)
    item.check_button.click()
    assert "✓ Correct." in item.feedback.value
    assert "being saved at" in item.feedback.value  # told where it went instead


def test_enter_in_the_answer_box_checks_the_answer(bank):
    shown = display.questions(bank, "mue-lookup")
    shown._repr_mimebundle_()
    (item,) = shown.live.items
    item.input.value = "1 unit"
    item.input._handle_custom_msg({"event": "submit"}, [])  # what the front end sends when Enter is pressed
    assert "✓ Correct." in item.feedback.value and item.counter.value == "Attempts: 1"
    item.input._handle_custom_msg({"event": "submit"}, [])  # a second Enter on a checked answer does nothing
    assert item.counter.value == "Attempts: 1"


def test_a_bug_in_checking_becomes_a_message_and_a_log_entry_not_a_traceback(bank, monkeypatch, caplog):
    shown = display.questions(bank, "mue-lookup")
    shown._repr_mimebundle_()
    (item,) = shown.live.items

    def broken(self, response):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(type(item.question), "check", broken)
    item.input.value = "1"
    with caplog.at_level("ERROR"):
        assert item.check() is None
    assert "Something went wrong while checking this answer" in item.feedback.value
    assert "ZeroDivisionError" in caplog.text and "mue-lookup" in caplog.text
    assert progress.attempts().empty and item.counter.value == ""


def _live(bank, *ids):
    """Return the live question widgets of a fresh display (as running the cell again builds them)."""
    shown = display.questions(bank, *ids)
    shown._repr_mimebundle_()
    return shown.live.items


def test_a_quiz_built_again_shows_the_last_saved_answer_and_its_result():
    bank = quiz.load_bank("03_drug_lines_and_edits")
    single_id = next(q.id for q in bank.questions if q.type == "single")
    multiple_id = next(q.id for q in bank.questions if q.type == "multiple")
    code_id = next(q.id for q in bank.questions if q.type == "code")
    order_id = next(q.id for q in bank.questions if q.type == "order")
    single, multiple, code, order = _live(bank, single_id, multiple_id, code_id, order_id)
    wrong = next(i for i, option in enumerate(single.question.shown()) if not option.correct)
    single.input.value = wrong
    single.check()
    multiple.boxes[0].value = True
    multiple.check()
    code.input.value = "64612-RT x 9"
    code.check()
    order.check()
    again = dict(zip([single_id, multiple_id, code_id, order_id], _live(bank, single_id, multiple_id, code_id, order_id)))
    assert again[single_id].input.value == wrong and again[single_id].input.disabled
    assert "Not quite." in again[single_id].feedback.value and "Your last answer, saved" in again[single_id].feedback.value
    assert again[single_id].counter.value == "Attempts: 1" and again[single_id].retry_button.layout.display != "none"
    assert again[multiple_id].boxes[0].value is True
    assert again[code_id].input.value == "64612-RT x 9"
    assert again[order_id].sequence == order.sequence
    again[single_id].retry()
    assert again[single_id].feedback.value == "" and not again[single_id].input.disabled


def test_a_right_answer_comes_back_with_its_explanation():
    bank = quiz.load_bank("00_start_here")
    (first,) = _live(bank, "what-64612-is")
    first.input.value = position(first.question)
    first.check()
    (again,) = _live(bank, "what-64612-is")
    assert "Correct." in again.feedback.value and "Answer:" in again.feedback.value
    assert again.reveal_button.layout.display == "none"


def test_a_saved_answer_that_no_longer_fits_is_left_out(monkeypatch):
    bank = quiz.load_bank("00_start_here")
    stale = progress.Attempt("Z. an option the question no longer has", False, 3, "2026-01-01T00:00:00+00:00")
    monkeypatch.setattr(progress, "last_answers", lambda notebook: {"what-64612-is": stale})
    (again,) = _live(bank, "what-64612-is")
    assert again.feedback.value == "" and again.input.value is None and not again.input.disabled


def test_an_assessment_never_shows_earlier_answers():
    bank = quiz.load_bank("00_start_here")
    (first,) = _live(bank, "what-64612-is")
    first.input.value = position(first.question)
    first.check()
    shown = display.assessment(bank)
    shown._repr_mimebundle_()
    assert all(item.feedback.value == "" for item in shown.live.items)


def test_a_saved_answer_the_key_now_judges_differently_is_not_shown(monkeypatch):
    bank = quiz.load_bank("00_start_here")
    question = bank.question("what-64612-is")
    right_label = question.labels()[position(question)]
    stale = progress.Attempt(right_label, False, 1, "2026-01-01T00:00:00+00:00")  # saved as wrong, now right
    monkeypatch.setattr(progress, "last_answers", lambda notebook: {"what-64612-is": stale})
    (again,) = _live(bank, "what-64612-is")
    assert again.feedback.value == "" and not again.input.disabled


def test_a_select_all_answer_is_saved_by_its_options_words():
    bank = quiz.load_bank("00_start_here")
    multiple = next(q for q in bank.questions if q.type == "multiple")
    (first,) = _live(bank, multiple.id)
    first.boxes[0].value = first.boxes[1].value = True
    result = first.check()
    assert result.response == "; ".join(multiple.labels()[:2])  # words, not letters: a reordering cannot remap it
    (again,) = _live(bank, multiple.id)
    assert [box.value for box in again.boxes][:2] == [True, True]
