"""One display call, three faces: a live widget, static HTML for no kernel, and plain text.

Jupyter front ends pick the richest face they can render: JupyterLab and Voilà show the widget; a
notebook viewer, a static HTML export or a notebook not yet run shows the HTML; nbval compares the
HTML and text, which are derived from content only, so re-running stores identical output.
"""

from helpers.quiz.render import question_html, question_text


class QuizDisplay:
    """Questions shown with their answers one at a time (the usual end-of-section quiz)."""

    reveal_static = True

    def __init__(self, bank, questions):
        self.bank, self.questions = bank, list(questions)
        self.widget = None

    def _repr_html_(self) -> str:
        """Return the static HTML face."""
        return "\n".join(question_html(self.bank.notebook, q, reveal=self.reveal_static) for q in self.questions)

    def __repr__(self) -> str:
        """Return the plain-text face."""
        return "\n\n".join(question_text(q, reveal=self.reveal_static) for q in self.questions)

    def _build(self):
        """Return the live widget (built on first display)."""
        from helpers.quiz.widgets import question_set

        box, self.items = question_set(self.bank.notebook, self.questions)
        return box

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Return all three faces in one bundle."""
        self.widget = self._build()
        bundle = dict(self.widget._repr_mimebundle_() or {})
        bundle.update({"text/plain": repr(self), "text/html": self._repr_html_()})
        return bundle


class AssessmentDisplay(QuizDisplay):
    """Questions checked together; answers appear only after the learner submits the whole set."""

    reveal_static = False

    def _build(self):
        """Return the live assessment widget."""
        from helpers.quiz.widgets import AssessmentWidget

        self.assessment = AssessmentWidget(self.bank.notebook, self.questions)
        return self.assessment.box
