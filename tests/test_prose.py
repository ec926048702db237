"""One rule for every lesson's prose and quiz text: figures that data holds are rendered from data, never typed.

Markdown never retypes an amount, a percentage, a decimal, a unit count, a full date, an indicator value or
(in lesson 04) a year outside a name; a test per rule shows the rule can fail.
"""

import ast
import json
import re

import pytest
import yaml

from helpers import course, paths


NOTEBOOKS = course.notebook_paths()


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


TYPED_FIGURE = re.compile(r"\$\s?\d|\d+(\.\d+)?\s?%|\b\d+\.\d+\b|\b\d+\s?(weeks?|days?|months?|hours?|units?|U)\b"
                          rf"|\b({MONTHS}) \d{{1,2}}, \d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b")


def markdown_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_types_no_figures_that_data_holds(path):
    for text in markdown_cells(path):
        prose = re.sub(r"`[^`]*`", "", text)  # code spans name codes and columns, not figures
        assert not TYPED_FIGURE.search(prose), TYPED_FIGURE.search(prose).group(0)


def test_the_figure_rule_catches_typed_numbers():
    for typed in ("pays $141.62", "about 12 weeks", "85% of patients", "RVU 1.37", "20 units",
                  "from October 1, 2025", "effective 2026-02-22"):
        assert TYPED_FIGURE.search(typed), typed
    for fine in ("CPT 64612", "G51.31", "notebook 02", "modifier 50"):
        assert not TYPED_FIGURE.search(fine), fine


TYPED_INDICATOR = re.compile(r"indicator (is |of )?\d|\b0\d0\b|\bstatus [A-Z]\b")


@pytest.mark.parametrize("name", ["04_medicare_payment", "05_payment_rules"])
def test_lesson_prose_types_no_indicator_values(name):
    """Indicator values live in data/; the prose points to the tables instead of retyping them."""
    cells = json.loads(course.notebook_path(name).read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            found = TYPED_INDICATOR.search("".join(cell["source"]))
            assert not found, found.group(0)


def test_typed_indicator_rule_catches_typed_values():
    for typed in ("its bilateral indicator is 2", "a `010` global period", "the drug codes carry status E"):
        assert TYPED_INDICATOR.search(typed), typed
    for fine in ("the bilateral indicator (the table above)", "notebook 02", "64612-50"):
        assert not TYPED_INDICATOR.search(fine), fine


YEAR = re.compile(r"\b(19|20)\d{2}\b")


NAMED = re.compile(r'2026 (multi-MAC )?("Botulinum Toxin Injections" )?LCD')  # a name such as 'the 2026 ... LCD' may stay


PAYER_LESSONS = ("06_medicare_coverage", "07_commercial_payers")


def _lesson_texts(name):
    """Yield the markdown of a payer lesson and every text of its quiz bank."""
    notebook = json.loads(course.notebook_path(name).read_text(encoding="utf-8"))
    yield from ("".join(cell["source"]) for cell in notebook["cells"]
                if cell["cell_type"] == "markdown" and course.NAV_TOP not in cell["metadata"].get("tags", []))
    bank = yaml.safe_load((paths.quizzes_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    for question in bank["questions"]:
        yield from (question[key] for key in ("prompt", "explanation"))
        for option in question.get("options", []):
            yield from (option["text"], option.get("feedback", ""))
        yield from question.get("items", [])


@pytest.mark.parametrize("name", PAYER_LESSONS)
def test_the_payer_lessons_type_no_years_except_in_names(name):
    for text in _lesson_texts(name):
        prose = NAMED.sub("", re.sub(r"`[^`]*`|\[[a-z0-9-]+\]", "", text))  # code spans and [source-id] citations
        assert not YEAR.search(prose), (YEAR.search(prose).group(0), prose[:120])


MONEY_OR_SHARE = re.compile(r"\$\s?\d|\b\d+(\.\d+)?\s?%")


def _bank_texts(path):
    """Yield every text a learner reads in one quiz bank."""
    for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
        yield from (str(question.get(key, "")) for key in ("prompt", "explanation", "unit_feedback"))
        for option in question.get("options", []):
            yield from (str(option.get("text", "")), str(option.get("feedback", "")))
        yield from (str(item) for item in question.get("items", []))
        yield from (str(text) for text in (question.get("modifier_feedback") or {}).values())


@pytest.mark.parametrize("path", sorted(paths.quizzes_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_quiz_banks_type_no_amount_or_share_that_data_holds(path):
    """Amounts and shares in a bank are references into data ({answer}), never typed."""
    for text in _bank_texts(path):
        assert not MONEY_OR_SHARE.search(text), text[:120]


def _literals(tree):
    """Yield the helpers' string literals that are not docstrings or format specifications."""
    docstrings = {id(node.value) for node in ast.walk(tree)  # docstrings, and the strings that document names
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    specs = {id(part) for node in ast.walk(tree) if isinstance(node, ast.FormattedValue) and node.format_spec
             for part in ast.walk(node.format_spec)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings | specs:
            yield node


def test_helpers_type_no_amount_or_share_in_their_strings():
    """A helper never carries a dollar amount or a share a learner would read as a fact (layout widths aside)."""
    found = []
    for path in sorted((paths.repo_root() / "helpers").rglob("*.py")):
        for node in _literals(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value.replace("100%", "")  # a layout width, not a figure
            if MONEY_OR_SHARE.search(text):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


def test_the_money_or_share_rule_catches_typed_figures():
    assert MONEY_OR_SHARE.search("paid at ASP + 6%") and MONEY_OR_SHARE.search("$283")
    assert not MONEY_OR_SHARE.search("64612-50 x 1") and not MONEY_OR_SHARE.search("{answer}")


TYPED_YEAR = re.compile(r"(?<![\w-])(?:CY|FY)?(?:19|20)\d\d(?!\w)")
"""A year or a date typed as such (2026, CY2026, 2026-03-02, 2019-2023); a source id such as cms-pprrvu-2026 is not."""


HISTORY = "history"
"""The tag (cell) or flag (question) of text about a past year: the years it types stay true when the course rolls."""


def _current_texts(path):
    """Yield (where, text) for every notebook cell not tagged history, its citations and LCD names taken out."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells):
        if HISTORY not in cell["metadata"].get("tags", []) and course.NAV_TOP not in cell["metadata"].get("tags", []):
            yield f"{path.name} cell {number}", NAMED.sub("", re.sub(r"\[[a-z0-9-]+\]", "", "".join(cell["source"])))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_types_the_current_year_or_a_date(path):
    """Years and example dates come from helpers.current (data); only cells tagged history type a year."""
    found = [(where, TYPED_YEAR.search(text).group(0)) for where, text in _current_texts(path) if TYPED_YEAR.search(text)]
    assert found == []


@pytest.mark.parametrize("path", sorted(paths.quizzes_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_no_bank_question_types_the_current_year_or_a_date(path):
    """A bank writes {fee_year}, {session_date} ... (filled from data); only questions flagged history type a year."""
    found = []
    for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
        if question.get(HISTORY):
            continue
        texts = [str(question.get(key, "")) for key in ("prompt", "explanation", "unit_feedback", "answer")]
        texts += [str(option.get(key, "")) for option in question.get("options", []) for key in ("text", "feedback")]
        found += [(question["id"], TYPED_YEAR.search(text).group(0)) for text in texts if TYPED_YEAR.search(text)]
    assert found == []


def test_the_year_rule_catches_typed_years_and_dates():
    for typed in ("RVUs for 2026", "on 2026-03-02", "CY2026 indicators", "the 2019-2023 rows", "year == 2026"):
        assert TYPED_YEAR.search(typed), typed
    for fine in ("[cms-pprrvu-2026]", "PPRRVU2026_Jul", "{fee_year}", "notebook 02", "64612", "G51.31"):
        assert not TYPED_YEAR.search(fine), fine
