"""Quizzes as displays: a notebook cell shows a section, some questions, or an assessment.

Each is a ``LiveDisplay``: live widgets in JupyterLab and Voilà, static HTML with a Show answer switch (no
answers at all for an assessment) anywhere else, and plain text for nbval.
"""

from helpers.faces import LiveDisplay, Rendered
from helpers.quiz.render import question_html, question_text
from helpers.quiz.widgets import AssessmentWidget, QuestionSet


def _static(bank, questions, reveal: bool) -> Rendered:
    """Return the static faces of some questions: HTML and text, with or without their answers."""
    return Rendered("\n".join(question_html(bank.notebook, q, reveal=reveal) for q in questions),
                    "\n\n".join(question_text(q, reveal=reveal) for q in questions))


def questions(bank, *ids: str) -> LiveDisplay:
    """Return a display of the named questions, each checked on its own."""
    chosen = [bank.question(question_id) for question_id in ids]
    return LiveDisplay(lambda: QuestionSet(bank.notebook, chosen), _static(bank, chosen, reveal=True))


def section(bank, name: str) -> LiveDisplay:
    """Return a display of one section's questions (the usual end-of-section quiz)."""
    chosen = bank.in_section(name)
    return LiveDisplay(lambda: QuestionSet(bank.notebook, chosen), _static(bank, chosen, reveal=True))


PASS_MARK = 0.8
"""The share of an assessment's questions a learner must answer right to pass (the course's own rule)."""


def assessment(bank, *sections: str, pass_mark: float | None = PASS_MARK) -> LiveDisplay:
    """Return an assessment of the given sections (all by default): answers appear only after Submit."""
    chosen = [q for q in bank.questions if not sections or q.section in sections]
    return LiveDisplay(lambda: AssessmentWidget(bank.notebook, chosen, pass_mark), _static(bank, chosen, reveal=False))
