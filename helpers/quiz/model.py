"""Quiz questions as validated data, each able to check a learner's response.

``check`` reads any input a learner can type: text it cannot read gets a friendly "unreadable" result. It
does not hide programming errors; the live widget is the one place that turns an exception into a message.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from helpers.quiz.answers import clean, letter, parse_amount, parse_code_line, parse_letters, unit_family

SLUG = r"^[a-z0-9][a-z0-9-]*$"
OBJECTIVE = r"^(\d{2}_[a-z0-9_]+/)?[a-z0-9][a-z0-9-]*$"
"""An objective id, or 'NN_notebook/id' for an objective another notebook teaches (the final assessment's)."""
UNITS = ("USD", "units", "billing units", "weeks", "days", "months", "percent", "RVUs")
VERDICTS = {"right": "Correct.", "wrong": "Not quite.", "unreadable": "I could not read that.",
            "unit": "Check the unit."}


@dataclass(frozen=True)
class CheckResult:
    """What a check found: right, wrong or unreadable, the learner's right and wrong parts, and a message."""

    status: str
    message: str
    right: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    response: str = ""

    @property
    def correct(self) -> bool:
        """Return whether the answer is right."""
        return self.status == "right"

    @property
    def readable(self) -> bool:
        """Return whether the response could be read as an answer (only readable answers count as attempts)."""
        return self.status in ("right", "wrong")


class Option(BaseModel):
    """One answer option of a single- or multiple-choice question."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str = ""


class _Question(BaseModel):
    """Fields every question has."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)
    id: str = Field(pattern=SLUG)
    section: str = Field(pattern=SLUG)
    objective: str = Field(pattern=OBJECTIVE)
    prompt: str = Field(min_length=1)
    explanation: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    history: bool = False
    """True when the question is about a past year: the years it types stay true when the course rolls on."""

    kind_label: ClassVar[str] = "question"
    input_hint: ClassVar[str] = ""

    def hint(self) -> str:
        """Return how to type an answer to this question."""
        return self.input_hint

    def _result(self, status: str, message: str = "", right=(), wrong=(), response="") -> CheckResult:
        """Return a CheckResult whose message starts with the verdict in words."""
        text = " ".join(part for part in (VERDICTS[status], message) if part)
        return CheckResult("unreadable" if status == "unit" else status, text, tuple(right), tuple(wrong), response)

    def _unreadable(self, response) -> CheckResult:
        """Return the friendly result for input that cannot be read as an answer to this question."""
        return self._result("unreadable", self.hint(), response=clean(response))

    def check(self, response) -> CheckResult:
        """Return the result of checking ``response``, whatever a learner typed."""
        raise NotImplementedError


def _rank(question_id: str, text: str) -> str:
    """Return a sort key that shuffles a question's choices the same way on every run."""
    return hashlib.sha256(f"{question_id}\n{text}".encode()).hexdigest()


def _require_unique(texts: list[str], what: str) -> None:
    """Raise ValueError naming any text that appears twice."""
    seen, repeated = set(), []
    for text in texts:
        key = clean(text).casefold()
        if key in seen:
            repeated.append(text)
        seen.add(key)
    if repeated:
        raise ValueError(f"duplicate {what}: {', '.join(repr(t) for t in repeated)}")


class _Choice(_Question):
    """A question answered by choosing among options, shown in a fixed order derived from their text."""

    options: tuple[Option, ...] = Field(min_length=2, max_length=8)

    @model_validator(mode="after")
    def _options_teach(self):
        """Require distinct option texts and feedback on every wrong option."""
        _require_unique([option.text for option in self.options], "option")
        silent = [option.text for option in self.options if not option.correct and not option.feedback.strip()]
        if silent:
            raise ValueError(f"every wrong option needs feedback saying why it is wrong; missing for {silent!r}")
        return self

    def shown(self) -> tuple[Option, ...]:
        """Return the options in the order the learner sees them (the same every run, whatever the file order)."""
        return tuple(sorted(self.options, key=lambda option: _rank(self.id, option.text)))

    def labels(self) -> list[str]:
        """Return the options as shown, each with its letter."""
        return [f"{letter(i)}. {option.text}" for i, option in enumerate(self.shown())]

    def answer_text(self) -> str:
        """Return every correct option as shown to the learner."""
        return "; ".join(label for label, option in zip(self.labels(), self.shown()) if option.correct)

    def _positions(self, response) -> list[int] | None:
        """Return the shown positions a response names: indices, an option's text, or letters such as 'A, C'."""
        if response is None or isinstance(response, bool):
            return None
        if isinstance(response, int):
            return [response] if 0 <= response < len(self.options) else None
        if isinstance(response, (list, tuple, set, frozenset)):
            positions = [self._positions(item) for item in response]
            return None if any(p is None for p in positions) else sorted({i for p in positions for i in p})
        text = clean(response)
        for position, option in enumerate(self.shown()):
            if text.casefold() == clean(option.text).casefold():
                return [position]
        letters = parse_letters(response, len(self.options))
        return None if letters is None else sorted(set(letters))  # 'A, A' ticks A once


class Single(_Choice):
    """Choose the one correct option."""

    type: Literal["single"]
    kind_label: ClassVar[str] = "choose one answer"
    input_hint: ClassVar[str] = "Choose one option (for example B)."

    @model_validator(mode="after")
    def _one_correct(self):
        """Require exactly one correct option."""
        count = sum(option.correct for option in self.options)
        if count != 1:
            raise ValueError(f"a 'single' question needs exactly one correct option, found {count}")
        return self

    def check(self, response) -> CheckResult:
        """Return whether the one chosen option is the correct one, with that option's feedback."""
        positions = self._positions(response)
        if not positions or len(positions) != 1:
            return self._unreadable(response)
        chosen, label = self.shown()[positions[0]], self.labels()[positions[0]]
        if chosen.correct:
            return self._result("right", chosen.feedback, right=[label], response=label)
        return self._result("wrong", chosen.feedback, wrong=[label], response=label)


class Multiple(_Choice):
    """Select every correct option; scored all-or-nothing, with feedback on each option the learner ticked."""

    type: Literal["multiple"]
    kind_label: ClassVar[str] = "select all that apply"
    input_hint: ClassVar[str] = "Select every option that applies (for example A, C)."

    @model_validator(mode="after")
    def _some_correct(self):
        """Require at least one correct option."""
        if not any(option.correct for option in self.options):
            raise ValueError("a 'multiple' question needs at least one correct option")
        return self

    def check(self, response) -> CheckResult:
        """Judge each ticked option, and say how many correct options are missing without naming them."""
        positions = self._positions(response)
        if positions is None:
            return self._unreadable(response)
        right, wrong, notes = [], [], []
        for position in positions:
            option, label = self.shown()[position], self.labels()[position]
            (right if option.correct else wrong).append(label)
            verdict = "right" if option.correct else "not right"
            notes.append(" ".join(part for part in (f"You ticked {letter(position)}: {verdict}.", option.feedback)
                                  if part))
        missing = sum(option.correct for i, option in enumerate(self.shown()) if i not in positions)
        if missing:
            notes.append("One correct option is missing." if missing == 1 else
                         f"{missing} correct options are missing.")
        shown = "; ".join(self.labels()[p] for p in positions) or "(nothing selected)"
        correct = not wrong and not missing
        return self._result("right" if correct else "wrong", "" if correct else " ".join(notes), right, wrong, shown)


def format_amount(value, unit: str) -> str:
    """Return ``value`` formatted for ``unit``: $1,234.56 for dollars, '1,000 units' otherwise."""
    value = Decimal(value)
    if unit == "USD":
        return f"${value:,.2f}"
    if unit == "percent":
        return f"{value.normalize():f}%"
    text = f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,}"
    return f"{text} {unit.removesuffix('s') if value == 1 else unit}"


class Numeric(_Question):
    """Type a number in the question's unit (a dollar amount, a unit count, a time), accepted within a tolerance."""

    type: Literal["numeric"]
    answer: Decimal | dict
    tolerance: Decimal = Field(ge=0)
    unit: Literal[UNITS]
    kind_label: ClassVar[str] = "type a number"

    def hint(self) -> str:
        """Return how to type the number, in this question's unit."""
        return f"Type a number in {self.unit}, for example {format_amount(Decimal(12), self.unit)}."

    def answer_text(self) -> str:
        """Return the expected number with its unit."""
        return format_amount(self.answer, self.unit)

    def check(self, response) -> CheckResult:
        """Return whether the number is within the tolerance; a number in another unit is named as such."""
        amount = parse_amount(response)
        if amount is None:
            return self._unreadable(response)
        if amount.unit is not None and amount.unit != unit_family(self.unit):
            return self._result("unit", f"This question asks for {self.unit}, and you wrote {amount.unit}. "
                                        f"Give the answer in {self.unit}.", response=clean(response))
        expected = Decimal(self.answer)
        shown = format_amount(amount.value, self.unit)
        if abs(amount.value - expected) <= self.tolerance:
            return self._result("right", right=[shown], response=shown)
        direction = "higher" if amount.value > expected else "lower"
        return self._result("wrong", f"{shown} is {direction} than the expected answer.", wrong=[shown], response=shown)


def _units(count: int) -> str:
    """Return '1 unit' or 'N units'."""
    return f"{count} unit" if count == 1 else f"{count} units"


class Code(_Question):
    """Type a claim line: code, modifiers and units (``64612-50 x 1``); spacing, case, dashes and order do not matter.

    A line typed without units is read as one unit. A key with modifiers is a claim line and must state its
    units, and a key that states units must explain the count in ``unit_feedback``.
    """

    type: Literal["code"]
    answer: str
    also_accept: tuple[str, ...] = ()
    modifier_feedback: dict[str, str] = {}
    unit_feedback: str = ""
    kind_label: ClassVar[str] = "type a code line"

    @field_validator("answer", "also_accept")
    @classmethod
    def _parses(cls, value):
        """Require every accepted answer to be a readable code line, with its units when it has modifiers."""
        for text in [value] if isinstance(value, str) else value:
            line = parse_code_line(text)
            if line is None:
                raise ValueError(f"'{text}' is not a code line such as 64612-50 x 1")
            if line.modifiers and line.units is None:
                raise ValueError(f"'{text}' is a claim line: state its units, for example '{text} x 1'")
        return value

    @model_validator(mode="after")
    def _units_explained(self):
        """Require unit_feedback whenever the key states a unit count."""
        if self.is_line() and not self.unit_feedback.strip():
            raise ValueError("a key that states units needs 'unit_feedback' saying what the count should be and why")
        return self

    def accepted(self) -> list:
        """Return the accepted lines, the key first."""
        return [parse_code_line(text) for text in (self.answer, *self.also_accept)]

    def is_line(self) -> bool:
        """Return whether the question asks for a whole claim line (its key states units), not just a code."""
        return parse_code_line(self.answer).units is not None

    def hint(self) -> str:
        """Return how to type a code or a claim line."""
        if self.is_line():
            return "Type a claim line: the code, any modifiers and the units, for example 64612-RT x 1."
        return "Type a code, for example 64612."

    def answer_text(self) -> str:
        """Return the expected code line in its canonical form."""
        return str(self.accepted()[0])

    def check(self, response) -> CheckResult:
        """Return whether the line matches an accepted one in code, modifiers and unit count."""
        line = parse_code_line(response)
        if line is None:
            return self._unreadable(response)
        if any(line.same_as(accepted) for accepted in self.accepted()):
            return self._result("right", right=[str(line)], response=str(line))
        return self._feedback(line, self.accepted()[0])

    def _feedback(self, line, expected) -> CheckResult:
        """Explain which parts of a wrong line are right (code, modifiers, units) and which are not."""
        right, wrong, notes = [], [], []
        if line.code == expected.code:
            right.append(f"code {line.code}")
        else:
            wrong.append(f"code {line.code}")
            notes.append(f"{line.code} is not the code for this service.")
        right += [f"modifier {m}" for m in sorted(line.modifiers & expected.modifiers)]
        for modifier in sorted(line.modifiers - expected.modifiers):
            wrong.append(f"modifier {modifier}")
            notes.append(self.modifier_feedback.get(modifier) or f"Modifier {modifier} does not belong on this line.")
            if modifier.isdigit() and modifier not in self.modifier_feedback:
                notes.append("To give a unit count, write it after an x, for example 'x 30'.")
        missing = len(expected.modifiers - line.modifiers)
        if missing:
            wrong.append("a missing modifier" if missing == 1 else f"{missing} missing modifiers")
            notes.append("The line needs " + ("another modifier." if missing == 1 else f"{missing} more modifiers."))
        notes += self._unit_notes(line, expected, right, wrong)
        return self._result("wrong", " ".join(dict.fromkeys(notes)), right, wrong, response=str(line))

    def _unit_notes(self, line, expected, right: list, wrong: list) -> list[str]:
        """Judge the unit count, adding it to ``right`` or ``wrong``; return the notes that explain it."""
        if line.count == expected.count:
            if expected.units is not None:
                right.append(_units(line.count))
            return []
        wrong.append(_units(line.count))
        notes = ["No unit count was given, so the line reads as 1 unit."] if line.units is None else []
        return notes + [self.unit_feedback or "This question asks for the code itself, reported once."]


class Order(_Question):
    """Put steps in order; shown shuffled in a fixed, content-derived order."""

    type: Literal["order"]
    items: tuple[str, ...] = Field(min_length=3, max_length=8)
    kind_label: ClassVar[str] = "put in order"
    input_hint: ClassVar[str] = "List every step once, in order, by letter (for example C, A, D, B)."

    @model_validator(mode="after")
    def _unique(self):
        """Require distinct steps."""
        _require_unique(list(self.items), "step")
        return self

    def shown(self) -> list[str]:
        """Return the steps in the shuffled order the learner sees (the same every run, never the answer)."""
        order = sorted(self.items, key=lambda item: _rank(self.id, item))
        return order[1:] + order[:1] if tuple(order) == self.items else order

    def labels(self) -> list[str]:
        """Return the shuffled steps, each with its letter."""
        return [f"{letter(i)}. {item}" for i, item in enumerate(self.shown())]

    def answer_text(self) -> str:
        """Return the correct order, with the letters the steps are shown under."""
        letters = {item: letter(i) for i, item in enumerate(self.shown())}
        return "; ".join(f"{n}. {item} ({letters[item]})" for n, item in enumerate(self.items, start=1))

    def check(self, response) -> CheckResult:
        """Return whether every step is in its place, and which are."""
        shown = self.shown()
        if isinstance(response, (list, tuple)) and all(isinstance(item, str) for item in response):
            sequence = [clean(item) for item in response]
        else:
            positions = parse_letters(response, len(shown))
            sequence = None if positions is None else [shown[p] for p in positions]
        if sequence is None or sorted(sequence) != sorted(self.items):
            return self._unreadable(response)
        right = [f"step {n}: {item}" for n, item in enumerate(sequence, 1) if self.items[n - 1] == item]
        wrong = [f"step {n}: {item}" for n, item in enumerate(sequence, 1) if self.items[n - 1] != item]
        message = "" if not wrong else f"{len(right)} of {len(self.items)} steps are in the right place."
        return self._result("wrong" if wrong else "right", message, right, wrong, response=" > ".join(sequence))


Question = Annotated[Union[Single, Multiple, Numeric, Code, Order], Field(discriminator="type")]
