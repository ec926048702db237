"""Quiz questions as validated data, each able to check a learner's response without ever raising."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from helpers.quiz.answers import clean, parse_code_line, parse_letters, parse_number

SLUG = r"^[a-z0-9][a-z0-9-]*$"
UNITS = ("USD", "units", "billing units", "weeks", "days", "months", "percent", "RVUs")
VERDICT_RIGHT = "Correct."
VERDICT_WRONG = "Not quite."
VERDICT_UNREADABLE = "I could not read that."


@dataclass(frozen=True)
class CheckResult:
    """What a check found: right or wrong, what was right and wrong, and the explanation with its sources."""

    correct: bool
    readable: bool
    message: str
    explanation: str
    sources: tuple = ()
    right: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    response: str = ""

    @property
    def verdict(self) -> str:
        """Return the one-word verdict shown first, in words rather than colour."""
        if not self.readable:
            return VERDICT_UNREADABLE
        return VERDICT_RIGHT if self.correct else VERDICT_WRONG


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
    objective: str = Field(pattern=SLUG)
    prompt: str = Field(min_length=1)
    explanation: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    kind_label: ClassVar[str] = "question"
    input_hint: ClassVar[str] = ""

    def _result(self, correct, message, right=(), wrong=(), response="", readable=True) -> CheckResult:
        """Return a CheckResult carrying this question's explanation and cited sources."""
        from helpers import data

        verdict = VERDICT_RIGHT if correct else (VERDICT_WRONG if readable else VERDICT_UNREADABLE)
        text = " ".join(part for part in (verdict, message) if part)
        sources = tuple(data.source(source_id) for source_id in self.sources)
        return CheckResult(correct, readable, text, self.explanation, sources, tuple(right), tuple(wrong), response)

    def _unreadable(self, response) -> CheckResult:
        """Return the friendly result for input that cannot be read as an answer to this question."""
        return self._result(False, self.input_hint, response=clean(response), readable=False)

    def check(self, response) -> CheckResult:
        """Return the result of checking ``response``; never raises, whatever the input."""
        try:
            return self._check(response)
        except Exception:  # a learner's input must never crash a lesson
            return self._unreadable(response)

    def _check(self, response) -> CheckResult:
        raise NotImplementedError


def _choice_positions(response, options: tuple[Option, ...]) -> list[int] | None:
    """Return the option positions a response names: indices, option texts, or letters such as 'A, C'."""
    if response is None or isinstance(response, bool):
        return None
    if isinstance(response, int):
        return [response] if 0 <= response < len(options) else None
    if isinstance(response, (list, tuple, set, frozenset)):
        positions = [_choice_positions(item, options) for item in response]
        return None if any(p is None for p in positions) else sorted({i for p in positions for i in p})
    text = clean(response)
    for position, option in enumerate(options):
        if text.casefold() == clean(option.text).casefold():
            return [position]
    return parse_letters(text, len(options))


def _letter(position: int) -> str:
    """Return the letter shown beside option ``position`` (A, B, C ...)."""
    return chr(ord("A") + position)


class Single(_Question):
    """Choose the one correct option."""

    type: Literal["single"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=8)
    kind_label: ClassVar[str] = "choose one answer"
    input_hint: ClassVar[str] = "Choose one option (for example B)."

    @model_validator(mode="after")
    def _one_correct(self):
        """Require exactly one correct option and no repeated option texts."""
        count = sum(option.correct for option in self.options)
        if count != 1:
            raise ValueError(f"a 'single' question needs exactly one correct option, found {count}")
        _require_unique([option.text for option in self.options], "option")
        return self

    def answer_text(self) -> str:
        """Return the correct option as shown to the learner."""
        position = next(i for i, option in enumerate(self.options) if option.correct)
        return f"{_letter(position)}. {self.options[position].text}"

    def _check(self, response) -> CheckResult:
        positions = _choice_positions(response, self.options)
        if not positions or len(positions) != 1:
            return self._unreadable(response)
        chosen = self.options[positions[0]]
        shown = f"{_letter(positions[0])}. {chosen.text}"
        if chosen.correct:
            return self._result(True, chosen.feedback, right=[shown], response=shown)
        return self._result(False, chosen.feedback, wrong=[shown], response=shown)


class Multiple(_Question):
    """Select every correct option; scored all-or-nothing, with feedback per option."""

    type: Literal["multiple"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=8)
    kind_label: ClassVar[str] = "select all that apply"
    input_hint: ClassVar[str] = "Select every option that applies (for example A, C)."

    @model_validator(mode="after")
    def _some_correct(self):
        """Require at least one correct option and no repeated option texts."""
        if not any(option.correct for option in self.options):
            raise ValueError("a 'multiple' question needs at least one correct option")
        _require_unique([option.text for option in self.options], "option")
        return self

    def answer_text(self) -> str:
        """Return every correct option as shown to the learner."""
        return "; ".join(f"{_letter(i)}. {o.text}" for i, o in enumerate(self.options) if o.correct)

    def _check(self, response) -> CheckResult:
        positions = _choice_positions(response, self.options)
        if positions is None:
            return self._unreadable(response)
        right, wrong, notes = [], [], []
        for position, option in enumerate(self.options):
            chosen = position in positions
            label = f"{_letter(position)}. {option.text}"
            (right if chosen == option.correct else wrong).append(label)
            if chosen != option.correct:
                notes.append(option.feedback or _default_option_note(label, option.correct))
        shown = ", ".join(_letter(p) for p in positions) or "(nothing selected)"
        message = "" if not wrong else f"{len(right)} of {len(self.options)} options judged right. " + " ".join(notes)
        return self._result(not wrong, message, right, wrong, response=shown)


def _default_option_note(label: str, correct: bool) -> str:
    """Return the feedback for a misjudged option that has none of its own."""
    return f"'{label}' applies too." if correct else f"'{label}' does not apply."


class Numeric(_Question):
    """Type a number (a dollar amount or a unit count), accepted within a tolerance."""

    type: Literal["numeric"]
    answer: Decimal | dict
    tolerance: Decimal = Field(ge=0)
    unit: Literal[UNITS]
    kind_label: ClassVar[str] = "type a number"
    input_hint: ClassVar[str] = "Type a number, for example 20 or 141.62."

    def answer_text(self) -> str:
        """Return the expected number with its unit."""
        return format_amount(self.answer, self.unit)

    def _check(self, response) -> CheckResult:
        value = parse_number(response)
        if value is None:
            return self._unreadable(response)
        shown = format_amount(value, self.unit)
        if abs(value - Decimal(self.answer)) <= self.tolerance:
            return self._result(True, "", right=[shown], response=shown)
        direction = "higher" if value > Decimal(self.answer) else "lower"
        return self._result(False, f"{shown} is {direction} than the expected answer.", wrong=[shown], response=shown)


def format_amount(value, unit: str) -> str:
    """Return ``value`` formatted for ``unit``: $1,234.56 for dollars, '1,000 units' otherwise."""
    value = Decimal(value)
    if unit == "USD":
        return f"${value:,.2f}"
    if unit == "percent":
        return f"{value.normalize():f}%"
    text = f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,}"
    return f"{text} {unit.removesuffix('s') if value == 1 else unit}"


class Code(_Question):
    """Type a claim line such as 64612-50; spacing, case, dashes and modifier order do not matter."""

    type: Literal["code"]
    answer: str
    also_accept: tuple[str, ...] = ()
    modifier_feedback: dict[str, str] = {}
    kind_label: ClassVar[str] = "type a code line"
    input_hint: ClassVar[str] = "Type a code with any modifiers, for example 64612-RT."

    @field_validator("answer", "also_accept")
    @classmethod
    def _parses(cls, value):
        """Require every accepted answer to be a readable code line."""
        for line in [value] if isinstance(value, str) else value:
            if parse_code_line(line) is None:
                raise ValueError(f"'{line}' is not a code line such as 64612-50")
        return value

    def answer_text(self) -> str:
        """Return the expected code line in its canonical form."""
        return str(parse_code_line(self.answer))

    def _check(self, response) -> CheckResult:
        line = parse_code_line(response)
        if line is None:
            return self._unreadable(response)
        accepted = [parse_code_line(text) for text in (self.answer, *self.also_accept)]
        if line in accepted:
            return self._result(True, "", right=[f"{line.code}", *sorted(line.modifiers)], response=str(line))
        return self._code_feedback(line, accepted[0])

    def _code_feedback(self, line, expected) -> CheckResult:
        """Explain which part of a wrong code line is right and which is not."""
        right, wrong, notes = [], [], []
        if line.code == expected.code:
            right.append(f"code {line.code}")
        else:
            wrong.append(f"code {line.code}")
            notes.append(f"{line.code} is not the code for this service.")
        for modifier in sorted(line.modifiers & expected.modifiers):
            right.append(f"modifier {modifier}")
        for modifier in sorted(line.modifiers - expected.modifiers):
            wrong.append(f"modifier {modifier}")
            notes.append(self.modifier_feedback.get(modifier) or f"Modifier {modifier} does not belong on this line.")
        missing = len(expected.modifiers - line.modifiers)
        if missing:
            wrong.append("a missing modifier" if missing == 1 else f"{missing} missing modifiers")
            notes.append("The line needs " + ("another modifier." if missing == 1 else f"{missing} more modifiers."))
        return self._result(False, " ".join(notes), right, wrong, response=str(line))


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
        """Return the steps in the shuffled order the learner sees (the same every run)."""
        def rank(item):
            return hashlib.sha256(f"{self.id}\n{item}".encode()).hexdigest()

        order = sorted(self.items, key=rank)
        return order[1:] + order[:1] if tuple(order) == self.items else order

    def answer_text(self) -> str:
        """Return the correct order, with the letters the steps are shown under."""
        letters = {item: _letter(i) for i, item in enumerate(self.shown())}
        return "; ".join(f"{n}. {item} ({letters[item]})" for n, item in enumerate(self.items, start=1))

    def _check(self, response) -> CheckResult:
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
        return self._result(not wrong, message, right, wrong, response=" > ".join(sequence))


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


Question = Annotated[Union[Single, Multiple, Numeric, Code, Order], Field(discriminator="type")]

