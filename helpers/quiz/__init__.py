"""Quizzes that teach: banks of questions as data, checked strictly, shown three ways.

``quiz.load_bank("01_procedure")`` returns a validated Bank; ``question.check(text)`` checks an answer;
``helpers.quiz.display.section(bank, "toxin")`` shows a section (a lesson calls ``lesson.quiz("toxin")``).
"""

from helpers.quiz.bank import Bank, QuizBankError, check_all, load_bank
from helpers.quiz.model import CheckResult

__all__ = ["Bank", "CheckResult", "QuizBankError", "check_all", "load_bank"]
