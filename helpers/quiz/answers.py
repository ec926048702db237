"""Read what a learner typed: amounts and their unit, claim lines and their units, option letters; never raises."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_INPUT = 500
MAX_UNITS = 99_999
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_CODE = r"\d{5}|\d{4}[A-Z]|[A-Z]\d{4}"
_MODIFIER = r"[0-9A-Z]{2}"

UNIT_WORDS = {
    "USD": ("$", "usd", "us$", "dollar", "dollars"),
    "units": ("unit", "units", "u", "un", "billing unit", "billing units"),
    "weeks": ("week", "weeks", "wk", "wks"),
    "days": ("day", "days", "d", "calendar days", "calendar day"),
    "months": ("month", "months", "mo", "mos", "mth", "mths"),
    "percent": ("%", "percent", "per cent", "pct"),
    "RVUs": ("rvu", "rvus", "rvu's"),
}
"""The spellings a learner may type after a number, by the unit they name ('billing units' reads as units)."""

_UNIT_OF_WORD = {word: unit for unit, words in UNIT_WORDS.items() for word in words}

_LINE_UNITS = (
    r"(?:X|×|\*)\s*(?P<n>\d+)(?:\s*(?:UNITS?|U))?",   # x 2, ×2, * 2, x 2 units
    r"(?P<n>\d+)\s*(?:UNITS?|U)",                      # 2 units, 2 U
    r"\(\s*(?P<n>\d+)\s*(?:UNITS?|U)?\s*\)",           # (2)
    r"UN\s*:?\s*(?P<n>\d+)",                           # UN 2, the claim's unit qualifier
)


def _as_text(value) -> str:
    """Return what a learner gave as text ('' for None, and for an integer too long to write out)."""
    if value is None:
        return ""
    try:
        return str(value)
    except ValueError:  # Python refuses to write out an integer of more than 4,300 digits
        return ""


def too_long(text) -> bool:
    """Return True for input longer than any answer (MAX_INPUT characters): it is not read, only refused."""
    return len(_as_text(text)) > MAX_INPUT


def clean(text) -> str:
    """Return ``text`` as a normalised string: NFKC, dashes and digits unified, no invisible marks, trimmed."""
    text = unicodedata.normalize("NFKC", _as_text(text)[:MAX_INPUT])[:MAX_INPUT]
    for dash in DASHES:
        text = text.replace(dash, "-")
    return "".join(_plain(character) for character in text).strip()


def _plain(character: str) -> str:
    """Return a character as typed for reading: any script's digit as 0-9, invisible marks (RLM, ZWSP) dropped."""
    if character.isdigit() and not character.isascii():
        return str(unicodedata.digit(character, "")) if unicodedata.category(character) == "Nd" else ""
    return "" if unicodedata.category(character) in ("Cf", "Cc") and character not in "\t\n" else character


@dataclass(frozen=True)
class Amount:
    """A typed number and the unit the learner wrote after it (None when they wrote none)."""

    value: Decimal
    unit: str | None = None


def unit_family(unit: str) -> str:
    """Return the unit a question's unit is checked as: billing units and units are the same thing on a claim."""
    return "units" if unit == "billing units" else unit


def _number(text: str) -> Decimal | None:
    """Return the plain number in '141.62', '1,000' or '1 000', or None."""
    if re.fullmatch(r"[+-]?\d{1,3}([, \u00a0]\d{3})+(\.\d+)?", text):
        text = re.sub(r"[, \u00a0]", "", text)
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_amount(text) -> Amount | None:
    """Return the Amount in '$141.62', '3 months', '24 billing units', '1,000' or '12%', or None if unreadable."""
    if too_long(text):
        return None
    text = clean(text).lower()
    unit = None
    if re.match(r"^(usd|us\$|\$)\s*", text):
        text, unit = re.sub(r"^(usd|us\$|\$)\s*", "", text), "USD"
    match = re.fullmatch(r"(?P<number>.*?\d)\s*(?P<word>[a-z$%'][a-z$%' ]*?)\.?", text)
    if match:
        word = _UNIT_OF_WORD.get(match["word"].strip())
        if word is None or (unit and word != unit):
            return None
        text, unit = match["number"], word
    value = _number(text.strip())
    return None if value is None else Amount(value, unit)


@dataclass(frozen=True)
class CodeLine:
    """A claim line such as ``64612-50 x 1``: a code, its modifiers (order does not matter) and its units.

    ``units`` is None when the line states no count; such a line is read as one unit.
    """

    code: str
    modifiers: frozenset[str]
    units: int | None = None

    @property
    def count(self) -> int:
        """Return the number of units the line reports (1 when none was stated)."""
        return 1 if self.units is None else self.units

    def same_as(self, other: "CodeLine") -> bool:
        """Return whether two lines report the same code, modifiers and unit count."""
        return (self.code, self.modifiers, self.count) == (other.code, other.modifiers, other.count)

    def __str__(self) -> str:
        text = "-".join([self.code, *sorted(self.modifiers, key=_modifier_order)])
        return text if self.units is None else f"{text} x {self.units}"


def _modifier_order(modifier: str) -> tuple:
    """Sort pricing modifiers (numbers) before informational ones (letters)."""
    return (not modifier.isdigit(), modifier)


def _split_units(text: str) -> tuple[str, int | None]:
    """Return the line without its trailing unit count, and the count (None when none is written)."""
    for pattern in _LINE_UNITS:
        match = re.search(rf"\s*{pattern}$", text)
        if match and match.start() > 0:
            return text[:match.start()], int(match["n"])
    return text, None


def parse_code_line(text) -> CodeLine | None:
    """Return the CodeLine in '64612-50', '64612 rt x 2', 'J0585-JW 70 units', 'J0585 (30)', or None if unreadable."""
    if too_long(text):
        return None
    text, units = _split_units(clean(text).upper())
    if units is not None and not 1 <= units <= MAX_UNITS:
        return None
    parts = [part for part in re.split(r"[\s,\-/]+", text) if part]
    if not parts or not re.fullmatch(_CODE, parts[0]):
        return None
    if not all(re.fullmatch(_MODIFIER, part) for part in parts[1:]):
        return None
    return CodeLine(parts[0], frozenset(parts[1:]), units)


def parse_letters(text, count: int) -> list[int] | None:
    """Return option positions from 'A, C', 'a c', '1 3' or 'AC' (for ``count`` options), or None."""
    if too_long(text):
        return None
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


def letter(position: int) -> str:
    """Return the letter shown beside option ``position`` (A, B, C ...)."""
    return chr(ord("A") + position)
