"""Shared helpers for the CPT 64612 course: data, quizzes, progress, fees and display.

Import what a notebook needs, e.g. ``from helpers import data, quiz, show``.
Importing this package has no side effects.
"""

__version__ = "0.1.0"
