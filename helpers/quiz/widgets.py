"""The live face of a quiz: ipywidgets that check answers, explain, cite and save progress.

Every widget carries a CSS class a browser test can find: ``quiz`` (outer box), ``quiz-options``,
``quiz-input``, ``quiz-check``, ``quiz-feedback``, ``quiz-retry``, ``quiz-reveal``, ``quiz-submit``.
Colours come from JupyterLab's CSS variables, so dark themes work; verdicts are always in words.
"""

import asyncio
import logging
from html import escape

import ipywidgets as widgets

from helpers import course, progress
from helpers.faces import link_html
from helpers.ui import button, row, set_visible
from helpers.quiz.model import Multiple, Order, Single
from helpers.quiz.render import cite_html, choices, how_to_answer, sources_of

TONES = {"right": "var(--jp-success-color1, #2e7d32)", "wrong": "var(--jp-warn-color1, #b26a00)",
         "unreadable": "var(--jp-info-color1, #0277bd)"}
SYMBOLS = {"right": "✓", "wrong": "✗", "unreadable": "?"}
CHECK_FAILED = ("Something went wrong while checking this answer. It is not your fault, and nothing was saved; "
                "the problem has been logged. Try again, or tell your instructor.")
LOG = logging.getLogger(__name__)


def _tone(result) -> str:
    """Return 'right', 'wrong' or 'unreadable' for a check result."""
    if not result.readable:
        return "unreadable"
    return "right" if result.correct else "wrong"


def _sources_html(question) -> str:
    """Return the question's sources as one HTML paragraph."""
    return "<p><strong>Sources:</strong> " + "; ".join(cite_html(s) for s in sources_of(question)) + "</p>"


def feedback_html(question, result, reveal: bool, notice: str = "", lead: str = "") -> str:
    """Return the feedback panel: verdict in words, what was right and not, and (if revealed) the answer.

    ``lead`` is a line shown first (a restored answer says when it was saved); ``notice`` comes last.
    """
    tone = _tone(result)
    parts = [f"<p><em>{escape(lead)}</em></p>"] if lead else []
    parts.append(f"<p><strong>{SYMBOLS[tone]} {escape(result.message)}</strong></p>")
    if result.right and not result.correct:
        parts.append(f"<p>Right: {escape('; '.join(result.right))}.</p>")
    if result.wrong:
        parts.append(f"<p>Not right: {escape('; '.join(result.wrong))}.</p>")
    if reveal:
        parts.append(f"<p><strong>Answer:</strong> {escape(question.answer_text())}</p>")
        parts.append(f"<p>{escape(question.explanation)}</p>" + _sources_html(question))
    if notice:
        parts.append(f"<p><em>{escape(notice)}</em></p>")
    style = f"border-left: 4px solid {TONES[tone]}; padding: 2px 10px; margin-top: 6px;"
    return f'<div role="alert" style="{style}">{"".join(parts)}</div>'


def _when(answered_at: str) -> str:
    """Return a saved check's time as a learner reads it ('2026-12-01 14:05 UTC')."""
    return answered_at.replace("T", " ")[:16] + " UTC" if "T" in answered_at else answered_at


SETTLE_SECONDS = 1.0
"""How long a check waits after Enter for the box's value before checking the value it has (an unchanged box)."""


class QuestionWidget:
    """One question as a live widget: inputs, Check, feedback, Try again and an attempt count.

    Given the learner's last saved check of it (``last``), it opens showing that answer and its result.
    """

    def __init__(self, notebook: str, question, assessment: bool = False, last: progress.Attempt | None = None):
        self.notebook, self.question, self.assessment = notebook, question, assessment
        self.attempts = 0
        self._waiting = None  # a check waiting, after Enter, for the box's value to arrive
        self.field = self._make_input()
        self.feedback = widgets.HTML(value="")
        self.feedback.add_class("quiz-feedback")
        self.counter = widgets.HTML(value="")
        self.counter.add_class("quiz-attempts")
        self.check_button = button("Check", "quiz-check", "Check your answer", hidden=assessment)
        self.retry_button = button("Try again", "quiz-retry", hidden=True)
        self.reveal_button = button("Show answer", "quiz-reveal", hidden=True)
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.retry())
        self.reveal_button.on_click(lambda _: self.reveal())
        header = widgets.HTML(value=f"<p><strong>Quiz</strong> · {escape(how_to_answer(question))}</p>"
                                    f"<p>{escape(question.prompt)}</p>")
        buttons = row([self.check_button, self.retry_button, self.reveal_button, self.counter])
        self.box = widgets.VBox([header, self.field, buttons, self.feedback],
                                layout=widgets.Layout(border="1px solid var(--jp-border-color2, #ccc)",
                                                      padding="4px 12px", margin="8px 0"))
        self.box.add_class("quiz")
        if last is not None and not assessment:
            self._restore(last)

    def _fill(self, response: str) -> bool:
        """Put a saved answer back in the inputs; return False when it no longer fits the question."""
        question = self.question
        if isinstance(question, Single):
            if response not in question.labels():
                return False
            self.input.value = question.labels().index(response)
        elif isinstance(question, Multiple):
            chosen = [] if response == "(nothing selected)" else response.split("; ")
            if not set(chosen) <= set(question.labels()):  # the options changed since: do not guess
                return False
            for label, box in zip(question.labels(), self.boxes):
                box.value = label in chosen
        elif isinstance(question, Order):
            steps = response.split(" > ")
            if sorted(steps) != sorted(self.sequence):
                return False
            self.sequence = steps
            self._draw_order()
        else:
            self.input.value = response
        return True

    def _restore(self, last: progress.Attempt) -> None:
        """Show the learner's last saved answer and its result, as it was after that check (nothing is saved)."""
        try:
            result = self.question.check(self.response()) if self._fill(last.response) else None
        except Exception:  # a saved answer that cannot be shown again must not break the lesson
            LOG.exception("restoring question %s of %s failed", self.question.id, self.notebook)
            result = None
        if result is None or not result.readable or result.correct != last.correct:
            self.retry()  # a saved answer that no longer fits, or that the key now judges differently, is not shown
            return
        self.attempts = last.attempt
        self.counter.value = f"Attempts: {self.attempts}"
        self._set_enabled(False)
        saved = f"Your last answer, saved {_when(last.answered_at)}. Press Try again to answer again."
        self.feedback.value = feedback_html(self.question, result, reveal=result.correct, lead=saved)
        set_visible(self.retry_button, True)
        set_visible(self.reveal_button, not result.correct)

    def _make_input(self):
        """Set ``self.input`` to the control suited to the question type, and return what the box shows."""
        question = self.question
        if isinstance(question, Single):
            field = widgets.RadioButtons(options=[(text, i) for i, text in enumerate(choices(question))],
                                         value=None, layout=widgets.Layout(width="auto"))
        elif isinstance(question, Multiple):
            self.boxes = [widgets.Checkbox(value=False, description=text, indent=False,
                                           layout=widgets.Layout(width="auto")) for text in choices(question)]
            field = widgets.VBox(self.boxes)
        elif isinstance(question, Order):
            self.sequence = list(question.shown())
            field = widgets.VBox(layout=widgets.Layout(width="auto"))
            self._order_field = field
            self._draw_order()
        else:
            return self._text_input()
        field.add_class("quiz-options")
        self.input = field
        return field

    def _text_input(self) -> widgets.VBox:
        """Set ``self.input`` to a typed-answer box (Enter checks it) and return it with the full hint below it."""
        hint = self.question.hint()
        example = hint.split("for example ", 1)[-1].rstrip(".")
        # The value is sent when the learner presses Enter or leaves the box, not at every key.
        self.input = widgets.Text(value="", placeholder=f"e.g. {example}", description="Answer:",
                                  continuous_update=False, layout=widgets.Layout(width="22em", max_width="100%"))
        self.input.add_class("quiz-input")
        self.input.on_msg(self._on_message)
        self.input.observe(self._on_value, names="value")
        note = widgets.HTML(value=f"<small>{escape(hint)} Press Enter or Check.</small>")
        note.add_class("quiz-hint")
        return widgets.VBox([self.input, note])

    def _on_message(self, _widget, content, _buffers) -> None:
        """Check the answer when the learner presses Enter in the answer box, once the box's value has arrived.

        The browser sends Enter before the value typed (which it sends on Enter, or later if busy): in a kernel the
        check waits for the value, or for SETTLE_SECONDS when the box was not changed; outside one it runs at once.
        """
        if not (isinstance(content, dict) and content.get("event") == "submit"):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._check_unless_checked()
            return
        self._stop_waiting()
        self._waiting = loop.call_later(SETTLE_SECONDS, self._check_unless_checked)

    def _on_value(self, _change) -> None:
        """Check at once when the value a waiting Enter was for arrives."""
        if self._waiting is not None:
            self._check_unless_checked()

    def _stop_waiting(self) -> None:
        """Cancel a check still waiting for the box's value."""
        if self._waiting is not None:
            self._waiting.cancel()
            self._waiting = None

    def _check_unless_checked(self) -> None:
        """Check the answer unless it has been checked already (a second Enter does nothing)."""
        self._stop_waiting()
        if not self.check_button.disabled:
            self.check()

    def _draw_order(self) -> None:
        """Show the order question's rows, each with move-up and move-down buttons (made once: focus stays put)."""
        if not self._order_field.children:
            rows = []
            for position in range(len(self.sequence)):
                up, down = button("↑", "quiz-move-up"), button("↓", "quiz-move-down")
                up.on_click(lambda _, p=position: self.move(p, -1))
                down.on_click(lambda _, p=position: self.move(p, +1))
                rows.append(widgets.HBox([up, down, widgets.HTML()]))
            self._order_field.children = rows
        for position, (item, line) in enumerate(zip(self.sequence, self._order_field.children)):
            up, down, label = line.children
            up.tooltip, down.tooltip = f"Move '{item}' up", f"Move '{item}' down"
            up.disabled, down.disabled = position == 0, position == len(self.sequence) - 1
            label.value = f"{position + 1}. {escape(item)}"

    def move(self, position: int, step: int) -> None:
        """Move the step at ``position`` up (-1) or down (+1)."""
        target = position + step
        if 0 <= target < len(self.sequence):
            self.sequence[position], self.sequence[target] = self.sequence[target], self.sequence[position]
            self._draw_order()

    def response(self):
        """Return the learner's current answer, in the form Question.check reads."""
        if isinstance(self.question, Single):
            return self.input.value
        if isinstance(self.question, Multiple):
            return [i for i, box in enumerate(self.boxes) if box.value]
        if isinstance(self.question, Order):
            return list(self.sequence)
        return self.input.value

    def _set_enabled(self, enabled: bool) -> None:
        """Enable or disable the inputs and the Check button."""
        fields = self.boxes if isinstance(self.question, Multiple) else [self.input]
        if isinstance(self.question, Order):
            fields = [button for row in self._order_field.children for button in row.children[:2]]
        for field in fields:
            field.disabled = not enabled
        if isinstance(self.question, Order) and enabled:
            self._draw_order()
        self.check_button.disabled = not enabled

    def check(self, reveal: bool | None = None):
        """Check the current answer, show feedback, save progress and return the result (None if checking failed)."""
        try:
            result = self.question.check(self.response())
        except Exception:  # the one place a checking bug becomes a message: a lesson must carry on
            LOG.exception("checking question %s of %s failed", self.question.id, self.notebook)
            self.feedback.value = f'<div role="alert"><p><strong>? {escape(CHECK_FAILED)}</strong></p></div>'
            return None
        notice = ""
        if result.readable:
            self.attempts += 1
            saved = progress.record(self.notebook, self.question.id, self.question.objective,
                                    result.response, result.correct)
            notice = saved.notice
            self.counter.value = f"Attempts: {self.attempts}"
            self._set_enabled(False)
        show_answer = result.correct if reveal is None else reveal
        self.feedback.value = feedback_html(self.question, result, reveal=show_answer, notice=notice)
        wrong = result.readable and not result.correct and not self.assessment
        set_visible(self.retry_button, wrong)
        set_visible(self.reveal_button, wrong)
        return result

    def retry(self) -> None:
        """Clear the feedback and let the learner answer again."""
        self.feedback.value = ""
        set_visible(self.retry_button, False)
        set_visible(self.reveal_button, False)
        self._set_enabled(True)

    def reveal(self) -> None:
        """Show the answer, explanation and sources after a wrong answer."""
        self.feedback.value += (f'<div style="padding: 2px 10px;"><p><strong>Answer:</strong> '
                                f"{escape(self.question.answer_text())}</p><p>{escape(self.question.explanation)}</p>"
                                f"{_sources_html(self.question)}</div>")
        set_visible(self.reveal_button, False)


class QuestionSet:
    """Questions shown together, each checked on its own (the usual end-of-section quiz)."""

    def __init__(self, notebook: str, questions):
        last = progress.last_answers(notebook)
        self.items = [QuestionWidget(notebook, question, last=last.get(question.id)) for question in questions]
        self.box = widgets.VBox([item.box for item in self.items])


class AssessmentWidget:
    """A set of questions checked together: answers and explanations appear only after Submit."""

    def __init__(self, notebook: str, questions, pass_mark: float | None = None):
        self.notebook, self.pass_mark = notebook, pass_mark
        self.items = [QuestionWidget(notebook, question, assessment=True) for question in questions]
        self.submit_button = button("Submit all answers", "quiz-submit", "Check every answer and see your score")
        self.again_button = button("Start again", "quiz-again", hidden=True)
        self.score = widgets.HTML(value="")
        self.score.add_class("quiz-score")
        self.submit_button.on_click(lambda _: self.submit())
        self.again_button.on_click(lambda _: self.start_again())
        self.box = widgets.VBox([item.box for item in self.items] +
                                [widgets.HBox([self.submit_button, self.again_button]), self.score])
        self.box.add_class("quiz-assessment")

    def submit(self) -> list:
        """Check every answer, reveal explanations, and show the score and a per-objective breakdown."""
        results = [item.check(reveal=True) for item in self.items]
        self.score.value = score_html([item.question for item in self.items], results, self.notebook, self.pass_mark)
        self.submit_button.disabled = True
        set_visible(self.again_button, True)
        return results

    def start_again(self) -> None:
        """Clear every answer's feedback so the set can be attempted again."""
        for item in self.items:
            item.retry()
        self.score.value = ""
        self.submit_button.disabled = False
        set_visible(self.again_button, False)


def _objective_cell(objective: str, notebook: str) -> str:
    """Return an objective's label linked to the notebook that teaches it (its id when it cannot be read)."""
    owner, _ = course.qualified(objective, notebook)
    try:
        label = course.objective_title(objective, notebook)
    except (OSError, ValueError, KeyError):
        label = objective
    return link_html(f"{owner}.ipynb", label)


def score_html(questions, results, notebook: str = "", pass_mark: float | None = None) -> str:
    """Return the score, the pass or review verdict and the per-objective breakdown, each objective linked."""
    marks = [result is not None and result.correct for result in results]
    right = sum(marks)
    by_objective = {}
    for question, mark in zip(questions, marks):
        done, total = by_objective.get(question.objective, (0, 0))
        by_objective[question.objective] = (done + mark, total + 1)
    rows = "".join(f"<tr><td>{_objective_cell(objective, notebook)}</td><td>{done} of {total}</td>"
                   f"<td>{'review' if done < total else 'done'}</td></tr>"
                   for objective, (done, total) in by_objective.items())
    share = right / max(len(results), 1)
    verdict = ""
    if pass_mark is not None:
        verdict = (f"<p>Pass mark {round(100 * pass_mark)}%: <strong>passed</strong>.</p>" if share >= pass_mark else
                   f"<p>Pass mark {round(100 * pass_mark)}%: <strong>not yet</strong>. Review the objectives marked "
                   "'review' (each links to its notebook), then start again.</p>")
    return (f'<div role="status"><p><strong>Score: {right} of {len(results)} ({round(100 * share)}%)</strong></p>'
            f"{verdict}<table><thead><tr><th>Objective</th><th>Right</th><th>Next</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")
