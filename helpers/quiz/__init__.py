"""Quizzes that teach: banks of questions as data, checked without ever raising, shown three ways.

``quiz.load_bank("01_procedure")`` returns a Bank; ``bank.section("toxin")`` displays a section's
questions; ``bank.assessment()`` displays an assessment; ``question.check(text)`` checks an answer.
"""

from helpers.quiz.bank import Bank, QuizBankError, check_all, load_bank
from helpers.quiz.model import CheckResult

__all__ = ["Bank", "CheckResult", "QuizBankError", "check_all", "load_bank"]
