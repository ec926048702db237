"""A notebook's handle on itself: its quiz sections, its progress panel and its reference list.

A lesson's set-up cell names the notebook once, ``lesson = Lesson("04_medicare_payment")``; later cells call
``lesson.quiz("adjustments")``, ``lesson.progress()`` and ``lesson.references()``.
"""

from helpers import course, show
from helpers.formatting import percent
from helpers.quiz import display, load_bank
from helpers.tools import progress_panel


class Lesson:
    """One notebook's quiz bank (loaded once), with the displays a lesson shows."""

    def __init__(self, notebook: str):
        self.notebook = notebook
        self.bank = load_bank(notebook)

    def quiz(self, section: str):
        """Return the quiz that closes one section of the lesson."""
        return display.section(self.bank, section)

    def assessment(self):
        """Return the whole bank as an assessment: answers and the score appear only after Submit."""
        return display.assessment(self.bank)

    def assessment_rules(self) -> str:
        """Return the assessment's rules in one sentence: how many questions, on how many objectives, the pass mark."""
        objectives = {question.objective for question in self.bank.questions}
        return (f"{len(self.bank.questions)} questions on {len(objectives)} objectives. Pass mark: "
                f"{percent(display.PASS_MARK)} of the questions right. You can start again as often as you like; "
                "every submission is saved.")

    def progress(self, whole_course: bool = False):
        """Return the learner's progress panel for this lesson (or, with ``whole_course``, every lesson)."""
        return progress_panel.panel(self.notebook, whole_course)

    def your_name(self):
        """Return the field where a learner gives the name their answers are saved under."""
        return progress_panel.name_form()

    def references(self):
        """Return every source the lesson cites (its text, its quizzes, its tables' source columns), in order of use."""
        cited = course.citations(self.notebook) + self.bank.sources() + list(show.SHOWN_SOURCES)
        return show.sources(list(dict.fromkeys(cited)))
