"""Quiz banks: the shipped banks are valid, and broken ones get messages naming file, question and field."""

import textwrap
from decimal import Decimal

import nbformat
import pytest

from helpers import course, paths, quiz
from helpers.quiz.bank import QuizBankError, load_bank

OBJECTIVES = {"terminology": "Explain", "units": "Compute"}
GOOD = """
notebook: 99_test
questions:
  - id: kind
    section: one
    objective: terminology
    type: single
    prompt: Which?
    options:
      - {text: Chemodenervation, correct: true, feedback: It blocks the signal.}
      - {text: Neurolysis, feedback: That destroys nerve tissue.}
    explanation: Because.
    sources: [aapmr-neurolysis]
"""


def write_bank(tmp_path, text: str):
    path = tmp_path / "99_test.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path, text: str) -> str:
    with pytest.raises(QuizBankError) as caught:
        load_bank("99_test", objectives=OBJECTIVES, path=write_bank(tmp_path, text))
    return str(caught.value)


def test_every_shipped_bank_is_valid():
    assert quiz.check_all() == []


def test_every_notebook_has_a_bank_and_shows_every_question():
    for path in course.notebook_paths():
        bank = load_bank(path.stem)
        stored = nbformat.read(path, as_version=4)
        html = "".join(output.get("data", {}).get("text/html", "") for cell in stored.cells
                       if cell.cell_type == "code" for output in cell.outputs)
        for question in bank.questions:
            assert f'id="quiz-{bank.notebook}-{question.id}"' in html, (path.name, question.id)


def test_a_good_bank_loads(tmp_path):
    bank = load_bank("99_test", objectives=OBJECTIVES, path=write_bank(tmp_path, GOOD))
    assert [q.id for q in bank.questions] == ["kind"] and bank.sections() == ["one"]


def test_duplicate_ids(tmp_path):
    text = GOOD + textwrap.indent(textwrap.dedent(GOOD).split("questions:\n")[1], "")
    message = problems_of(tmp_path, text)
    assert "data/quizzes/99_test.yaml" not in message  # the bank is outside the repository here
    assert "question 'kind', field 'id': the id is used more than once" in message


def test_single_with_zero_or_two_correct(tmp_path):
    none = GOOD.replace("correct: true", "correct: false")
    assert "question 'kind', field '(whole question)': a 'single' question needs exactly one correct option, found 0" in problems_of(tmp_path, none)
    two = GOOD.replace("{text: Neurolysis, feedback: That destroys nerve tissue.}", "{text: Neurolysis, correct: true, feedback: x}")
    assert "found 2" in problems_of(tmp_path, two)


def test_duplicate_options(tmp_path):
    text = GOOD.replace("{text: Neurolysis, feedback: That destroys nerve tissue.}", "{text: chemodenervation, feedback: x}")
    assert "duplicate option: 'chemodenervation'" in problems_of(tmp_path, text)


NUMERIC = """
notebook: 99_test
questions:
  - id: units
    section: one
    objective: units
    type: numeric
    prompt: How many?
    answer: 20
    unit: billing units
    explanation: It is {answer}.
    sources: [cgs-botox-units-cope144646]
"""


def test_numeric_without_tolerance(tmp_path):
    assert "question 'units', field 'tolerance': Field required" in problems_of(tmp_path, NUMERIC)


def test_numeric_reference_is_resolved_and_filled_in(tmp_path):
    text = NUMERIC.replace("answer: 20", "answer: {table: drugs, where: {hcpcs: J0586}, column: units_per_billing_unit}\n    tolerance: 0")
    bank = load_bank("99_test", objectives=OBJECTIVES, path=write_bank(tmp_path, text))
    question = bank.question("units")
    assert question.answer == Decimal(5) and question.explanation == "It is 5 billing units."


def test_broken_reference_names_the_question(tmp_path):
    text = NUMERIC.replace("answer: 20", "answer: {table: drugs, where: {hcpcs: J9999}, column: units_per_billing_unit}\n    tolerance: 0")
    assert "question 'units', field 'answer': the reference selects 0 rows of 'drugs', not exactly one" in problems_of(tmp_path, text)


def test_code_answer_that_does_not_parse(tmp_path):
    text = GOOD.replace("type: single", "type: code\n    answer: 64612 bilateral").replace(
        "    options:\n      - {text: Chemodenervation, correct: true, feedback: It blocks the signal.}\n      - {text: Neurolysis, feedback: That destroys nerve tissue.}\n", "")
    assert "question 'kind', field 'answer': '64612 bilateral' is not a code line such as 64612-50" in problems_of(tmp_path, text)


def test_unknown_source_and_undeclared_objective(tmp_path):
    text = GOOD.replace("[aapmr-neurolysis]", "[no-such-source]").replace("objective: terminology", "objective: history")
    message = problems_of(tmp_path, text)
    assert "question 'kind', field 'sources': source id 'no-such-source' is not in data/sources.csv" in message
    assert "question 'kind', field 'objective': 'history' is not an objective 99_test declares (declared: terminology, units)" in message


def test_unknown_type_and_missing_field(tmp_path):
    text = GOOD.replace("type: single", "type: essay")
    assert "question 'kind', field 'type'" in problems_of(tmp_path, text)
    text = GOOD.replace("    explanation: Because.\n", "")
    assert "question 'kind', field 'explanation': Field required" in problems_of(tmp_path, text)


def test_broken_yaml_names_line_and_column(tmp_path):
    message = problems_of(tmp_path, GOOD.replace("prompt: Which?", "prompt: [Which?"))
    assert "line" in message and "column" in message and "not valid YAML" in message


def test_every_problem_in_one_pass(tmp_path):
    text = GOOD.replace("[aapmr-neurolysis]", "[nope]") + NUMERIC.split("questions:\n")[1]
    message = problems_of(tmp_path, text)
    assert "field 'sources'" in message and "field 'tolerance'" in message
    assert message.startswith("2 problems in quiz bank")


def test_a_missing_bank_is_reported_not_raised_as_a_traceback(tmp_path):
    with pytest.raises(QuizBankError, match="the file does not exist"):
        load_bank("99_test", objectives=OBJECTIVES, path=tmp_path / "missing.yaml")


def test_objectives_come_from_the_notebook():
    assert set(course.objectives("00_start_here")) == {"navigate", "terminology", "sources", "preview"}
    assert (paths.quizzes_dir() / "00_start_here.yaml").exists()


def test_a_drug_payment_reference_is_computed_by_the_costs_module(tmp_path):
    spec = '{drug_payment: {product: Botox, dose: 30, vial: 100, date_of_service: "2026-03-02"}, field: patient}'
    text = NUMERIC.replace("answer: 20", f"answer: {spec}\n    tolerance: 0")
    question = load_bank("99_test", objectives=OBJECTIVES, path=write_bank(tmp_path, text)).question("units")
    assert question.answer == Decimal("130.20")
    bad = NUMERIC.replace("answer: 20", 'answer: {drug_payment: {product: Botox, dose: 30, vial: 100, '
                          'date_of_service: "2024-03-02"}}\n    tolerance: 0')
    assert "no payment limit for J0585 on 2024-03-02" in problems_of(tmp_path, bad)
