"""Read what a learner typed: numbers, claim lines, option letters and orders. Nothing here raises."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_INPUT = 500
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_CODE = r"\d{5}|\d{4}[A-Z]|[A-Z]\d{4}"
_MODIFIER = r"[0-9A-Z]{2}"


def clean(text) -> str:
    """Return ``text`` as a normalised string: NFKC, dashes unified, trimmed, at most MAX_INPUT characters."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text))[:MAX_INPUT]
    for dash in DASHES:
        text = text.replace(dash, "-")
    return text.strip()


def parse_number(text) -> Decimal | None:
    """Return the number in '$141.62', '141.6', '1,000', '1 000 units' or '12%', or None if there is none."""
    text = clean(text).lower()
    text = re.sub(r"^(usd|us\$|\$)\s*", "", text)
    text = re.sub(r"\s*(usd|dollars?|units?|u|%|percent|weeks?|days?)\.?$", "", text)
    text = text.replace("$", "")
    if re.fullmatch(r"[+-]?\d{1,3}([, \u00a0]\d{3})+(\.\d+)?", text):
        text = re.sub(r"[, \u00a0]", "", text)
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class CodeLine:
    """A claim line such as ``64612-50``: a code and its modifiers (order does not matter)."""

    code: str
    modifiers: frozenset[str]

    def __str__(self) -> str:
        return "-".join([self.code, *sorted(self.modifiers, key=_modifier_order)])


def _modifier_order(modifier: str) -> tuple:
    """Sort pricing modifiers (numbers) before informational ones (letters)."""
    return (not modifier.isdigit(), modifier)


def parse_code_line(text) -> CodeLine | None:
    """Return the CodeLine in '64612-50', '64612 50', ' 64612-rt ', '64612 –RT' or None if unreadable."""
    text = clean(text).upper()
    text = re.sub(r"\s*(X|×)\s*\d+\s*(UNITS?)?$", "", text)
    parts = [part for part in re.split(r"[\s,\-/]+", text) if part]
    if not parts or not re.fullmatch(_CODE, parts[0]):
        return None
    if not all(re.fullmatch(_MODIFIER, part) for part in parts[1:]):
        return None
    return CodeLine(parts[0], frozenset(parts[1:]))


def parse_letters(text, count: int) -> list[int] | None:
    """Return option positions from 'A, C', 'a c', '1 3' or 'AC' (for ``count`` options), or None."""
    text = re.sub(r"\bAND\b", " ", clean(text).upper())
    tokens = re.findall(r"[A-Z]|\d+", text)
    if not tokens or "".join(tokens) != re.sub(r"[\s,;.&/]", "", text):
        return None
    positions = []
    for token in tokens:
        position = ord(token) - ord("A") if token.isalpha() else int(token) - 1
        if not 0 <= position < count:
            return None
        positions.append(position)
    return positions
