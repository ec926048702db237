"""The final assessment: every objective of the course is assessed, answers stay hidden until Submit, and the
score names what to review with links to the notebooks."""

import json
import re

import pytest

from helpers import course, progress
from helpers.lesson import Lesson
from helpers.quiz import display
from helpers.quiz.bank import QuizBankError, load_bank
from helpers.quiz.model import Order, Single

FINAL = "10_final_assessment"


def test_every_objective_of_the_course_is_assessed_by_the_final_assessment():
    asked = {question.objective for question in load_bank(FINAL).questions}
    for path in course.notebook_paths():
        if path.stem == FINAL:
            continue
        for objective in course.objectives(path.stem):
            assert f"{path.stem}/{objective}" in asked, f"{path.stem}/{objective} is not assessed"


def test_the_assessment_has_thirty_questions_or_more_with_claim_lines_and_calculations():
    questions = load_bank(FINAL).questions
    kinds = [question.type for question in questions]
    assert len(questions) >= 30
    assert kinds.count("code") >= 3 and kinds.count("numeric") >= 5


def test_the_stored_static_face_shows_no_answer():
    cells = json.loads(course.notebook_path(FINAL).read_text(encoding="utf-8"))["cells"]
    html = "".join("".join(output.get("data", {}).get("text/html", "")) for cell in cells
                   for output in cell.get("outputs", []))
    assert html.count('class="quiz') >= 30
    for question in load_bank(FINAL).questions:
        assert question.explanation[:60] not in html, question.id
    assert "Answer:" not in html and "✓" not in html


def test_a_question_may_name_another_notebook_s_objective_but_only_a_real_one(tmp_path):
    text = (f"notebook: {FINAL}\nquestions:\n  - id: q\n    section: s\n    objective: 02_coding_the_procedure/nothing\n"
            "    type: numeric\n    prompt: p\n    answer: 1\n    tolerance: 0\n    unit: units\n"
            "    explanation: e\n    sources: [cms-ncci-mue-2026q2]\n")
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuizBankError, match="'nothing' is not an objective 02_coding_the_procedure declares"):
        load_bank(FINAL, path=path)
    path.write_text(text.replace("02_coding_the_procedure/nothing", "99_missing/edges"), encoding="utf-8")
    with pytest.raises(QuizBankError, match="'edges' is not an objective 99_missing declares"):
        load_bank(FINAL, path=path)


def test_submitting_saves_every_answer_and_scores_by_objective_with_links(tmp_path):
    progress.set_location(tmp_path / "progress.sqlite3")
    shown = display.assessment(load_bank(FINAL))
    shown._repr_mimebundle_()
    widget = shown.live
    assert all("Answer:" not in item.feedback.value for item in widget.items)
    for item in widget.items:  # a learner who answers everything, mostly wrongly
        if hasattr(item, "boxes") and item.boxes:
            item.boxes[0].value = True
        elif isinstance(item.question, Single):
            item.input.value = 0
        elif not isinstance(item.question, Order):
            item.input.value = "64612 x 1" if item.question.type == "code" else "1"
    widget.submit()
    score = widget.score.value
    assert re.search(r"Score: \d+ of \d+ \(\d+%\)", score) and "<strong>not yet</strong>" in score
    assert 'href="02_coding_the_procedure.ipynb"' in score and "review" in score
    assert all("Answer:" in item.feedback.value for item in widget.items if item.feedback.value)
    saved = progress.summary()
    objectives = {question.objective for question in load_bank(FINAL).questions}
    assert set(saved["notebook"]) == {FINAL} and set(saved["objective"]) == objectives


def test_the_rules_state_the_pass_mark_from_one_place():
    rules = Lesson(FINAL).assessment_rules()
    assert f"{round(display.PASS_MARK * 100)}%" in rules and "41 questions" in rules
