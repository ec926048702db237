"""The answer-key audit: every question of every bank, walked through its real check with right and near-miss answers.

A key that accepts a denied claim line, a multiple-choice set with one option missing, a number outside its
tolerance or a swapped step fails here, naming the bank, the question and the answer that got through.
"""

from decimal import Decimal

import pytest
from pydantic import TypeAdapter

from helpers import data, paths, quiz
from helpers.quiz.answers import CodeLine, letter, parse_code_line
from helpers.quiz.model import Code, Multiple, Numeric, Order, Question, Single

OPPOSITES = {"RT": ["LT"], "LT": ["RT"], "JW": ["JZ"], "JZ": ["JW"], "25": ["24", "79"], "24": ["25", "79"],
             "79": ["24", "25"], "50": ["51", "RT", "LT"], "51": ["50"], "59": ["XS"], "XS": ["59"]}
"""For each modifier, the ones a learner confuses it with."""
ADDED = ("RT", "LT", "50", "51", "59", "XS", "25", "24", "79", "76", "JW", "JZ")
"""Modifiers a learner may add to a line."""


def all_questions():
    """Return (bank, question) for every question of every bank."""
    banks = [quiz.load_bank(path.stem) for path in sorted(paths.quizzes_dir().glob("*.yaml"))]
    return [(bank.notebook, question) for bank in banks for question in bank.questions]


QUESTIONS = all_questions()


def family_neighbours(code: str) -> list[str]:
    """Return the codes next to ``code`` in its family (active codes of its group, or the toxin J-codes)."""
    codes = data.load("codes")
    drugs = sorted(data.load("drugs")["hcpcs"])
    if code in drugs:
        family = drugs
    elif code in set(codes["code"]):
        group = codes.loc[codes["code"] == code, "group"].iloc[0]
        family = sorted(codes[(codes["group"] == group) & codes["active"]]["code"])
    else:
        return []
    at = family.index(code)
    return [family[i] for i in (at - 1, at + 1) if 0 <= i < len(family) and family[i] != code]


def mutations(key: CodeLine) -> dict[str, CodeLine]:
    """Return every one-step mutation of a claim line, labelled with what changed."""
    found = {}
    for modifier in ADDED:
        if modifier not in key.modifiers:
            found[f"adds {modifier}"] = CodeLine(key.code, key.modifiers | {modifier}, key.units)
    for modifier in key.modifiers:
        found[f"drops {modifier}"] = CodeLine(key.code, key.modifiers - {modifier}, key.units)
        for other in OPPOSITES.get(modifier, []):
            found[f"swaps {modifier} for {other}"] = CodeLine(key.code, key.modifiers - {modifier} | {other}, key.units)
    for count in (key.count - 1, key.count + 1, key.count * 2):
        if count >= 1 and count != key.count:
            found[f"reports {count} units"] = CodeLine(key.code, key.modifiers, count)
    if key.count != 1:
        found["leaves the units out"] = CodeLine(key.code, key.modifiers, None)
    for neighbour in family_neighbours(key.code):
        found[f"uses neighbour {neighbour}"] = CodeLine(neighbour, key.modifiers, key.units)
    return found


def audit_single(question: Single) -> int:
    """Accept the one correct option; reject every other; return the number of answers tried."""
    for position, option in enumerate(question.shown()):
        assert question.check(letter(position)).correct == option.correct, f"option {letter(position)}"
    return len(question.options)


def audit_multiple(question: Multiple) -> int:
    """Accept exactly the correct set; reject it with one option missing or one wrong option added."""
    shown = question.shown()
    key = {i for i, option in enumerate(shown) if option.correct}
    wrong = set(range(len(shown))) - key
    tried = [(key, True)] + [(key - {i}, False) for i in key] + [(key | {i}, False) for i in wrong]
    tried += [({i}, False) for i in wrong] + [(set(), False)]
    for ticked, expected in tried:
        typed = ", ".join(letter(i) for i in sorted(ticked))
        assert question.check(sorted(ticked)).correct == expected, f"ticked {typed or 'nothing'}"
    return len(tried)


def audit_numeric(question: Numeric) -> int:
    """Accept the key as typed and as shown; reject values just outside the tolerance, on both sides."""
    answer, tolerance = Decimal(question.answer), question.tolerance
    assert question.check(str(answer)).correct and question.check(question.answer_text()).correct
    outside = [answer + sign * (tolerance + step) for sign in (-1, 1) for step in (Decimal("0.01"), Decimal(1))]
    for value in outside:
        assert not question.check(str(value)).correct, f"{value} accepted"
    return 2 + len(outside)


def audit_code(question: Code) -> int:
    """Accept the key; reject every one-step mutation of it that ``also_accept`` does not list."""
    accepted = question.accepted()
    assert question.check(question.answer).correct
    tried = mutations(accepted[0])
    for change, line in tried.items():
        listed = any(line.same_as(other) for other in accepted)
        assert question.check(str(line)).correct == listed, f"the key with one change ({change}): {line}"
    return 1 + len(tried)


def audit_order(question: Order) -> int:
    """Accept the key (as steps and as letters); reject every adjacent swap."""
    items, shown = list(question.items), question.shown()
    assert question.check(items).correct
    assert question.check(", ".join(letter(shown.index(item)) for item in items)).correct
    for i in range(len(items) - 1):
        swapped = items[:i] + [items[i + 1], items[i]] + items[i + 2:]
        assert not question.check(swapped).correct, f"steps {i + 1} and {i + 2} swapped"
    return 2 + len(items) - 1


AUDITS = {Single: audit_single, Multiple: audit_multiple, Numeric: audit_numeric, Code: audit_code, Order: audit_order}


@pytest.mark.parametrize("notebook, question", QUESTIONS, ids=[f"{nb}/{q.id}" for nb, q in QUESTIONS])
def test_answer_key(notebook, question):
    tried = AUDITS[type(question)](question)
    assert tried >= 3


def test_the_audit_covers_every_question_of_every_bank():
    banks = sorted(path.stem for path in paths.quizzes_dir().glob("*.yaml"))
    assert sorted({notebook for notebook, _ in QUESTIONS}) == banks
    assert sum(len(quiz.load_bank(notebook).questions) for notebook in banks) == len(QUESTIONS)


def test_mutations_catch_a_key_that_ignores_units():
    """The audit itself can fail: a line check that ignored units would accept the 'reports 2 units' mutation."""
    key = parse_code_line("64612-50 x 1")
    lenient = [line for line in mutations(key).values() if (line.code, line.modifiers) == (key.code, key.modifiers)]
    assert {line.count for line in lenient} == {2}


def test_every_code_question_rejects_a_wrong_unit_count():
    codes = [question for _, question in QUESTIONS if isinstance(question, Code)]
    assert len(codes) >= 11
    for question in codes:
        key = question.accepted()[0]
        wrong = CodeLine(key.code, key.modifiers, key.count + 1)
        result = question.check(str(wrong))
        assert not result.correct and f"{key.count + 1} units" in result.wrong, question.id


def test_no_wrong_option_feedback_quotes_a_correct_option():
    """Feedback on a wrong choice explains it; it must not hand over the right option's text before Show answer."""
    leaks = []
    for notebook, question in QUESTIONS:
        if isinstance(question, (Single, Multiple)):
            right = [o.text.casefold() for o in question.options if o.correct]
            for option in question.options:
                if not option.correct and any(text in option.feedback.casefold() for text in right):
                    leaks.append(f"{notebook}/{question.id}: {option.text!r}")
    assert not leaks, "\n".join(leaks)


def test_a_multiple_choice_message_never_names_a_missed_correct_option():
    for notebook, question in QUESTIONS:
        if isinstance(question, Multiple):
            shown = question.shown()
            key = [i for i, option in enumerate(shown) if option.correct]
            for missed in key:
                result = question.check([i for i in key if i != missed])
                assert shown[missed].text not in result.message, f"{notebook}/{question.id}"
                assert f"{letter(missed)}." not in " ".join(result.right + result.wrong)


def choice_questions(kind):
    """Return the shown options of every question of one kind."""
    return [question.shown() for _, question in QUESTIONS if isinstance(question, kind)]


@pytest.mark.parametrize("kind", [Single, Multiple], ids=["single", "multiple"])
def test_no_display_position_holds_more_than_40_percent_of_correct_answers(kind):
    positions = [i for shown in choice_questions(kind) for i, option in enumerate(shown) if option.correct]
    for position in set(positions):
        share = positions.count(position) / len(positions)
        assert share <= 0.40, f"{letter(position)} holds {share:.0%} of the correct {kind.__name__} answers"


STRATEGIES = {
    "always the longest option": lambda shown: [max(range(len(shown)), key=lambda i: len(shown[i].text))],
    "always the shortest option": lambda shown: [min(range(len(shown)), key=lambda i: len(shown[i].text))],
    "always A": lambda shown: [0],
    "always the last option": lambda shown: [len(shown) - 1],
}


def single_wins(strategy: str, questions) -> int:
    """Return how many single-choice questions a strategy answers right."""
    return sum(shown[STRATEGIES[strategy](shown)[0]].correct for shown in questions)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_no_naive_strategy_wins_single_choice_questions(strategy):
    questions = choice_questions(Single)
    wins = single_wins(strategy, questions)
    assert wins / len(questions) <= 0.40, f"'{strategy}' wins {wins} of {len(questions)}"


MULTI_STRATEGIES = {
    "tick everything": lambda shown: set(range(len(shown))),
    "tick all but the shortest": lambda shown: set(range(len(shown))) - {min(range(len(shown)),
                                                                             key=lambda i: len(shown[i].text))},
    "tick the longer half": lambda shown: set(sorted(range(len(shown)), key=lambda i: -len(shown[i].text))
                                              [:(len(shown) + 1) // 2]),
    "tick the first two": lambda shown: {0, 1},
}


@pytest.mark.parametrize("strategy", MULTI_STRATEGIES)
def test_no_naive_strategy_wins_multiple_choice_questions(strategy):
    questions = choice_questions(Multiple)
    wins = sum(MULTI_STRATEGIES[strategy](shown) == {i for i, o in enumerate(shown) if o.correct} for shown in questions)
    assert wins / len(questions) <= 0.40, f"'{strategy}' wins {wins} of {len(questions)}"


def test_the_strategy_check_can_fail():
    """A bank where the correct option is always the longest would be caught."""
    rigged = [TypeAdapter(Question).validate_python({
        "id": f"rigged-{n}", "type": "single", "section": "s", "objective": "o", "prompt": "p", "explanation": "e",
        "sources": ["aapmr-neurolysis"], "options": [{"text": "the right answer, at length", "correct": True},
                                                     {"text": "short", "feedback": "f"}, {"text": "brief", "feedback": "f"}]})
        for n in range(5)]
    assert single_wins("always the longest option", [q.shown() for q in rigged]) == 5
