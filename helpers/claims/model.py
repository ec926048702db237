"""A 64612 claim as the checker reads it: parsed from a dict (or JSON), every problem listed, nothing guessed.

``parse(obj)`` returns a ``Claim`` or raises ``ClaimError`` whose message lists every problem at once, each
naming the field (``lines[2].units``) and what is wrong with it.
"""

import math
import reprlib
from dataclasses import dataclass, field
from datetime import date

from helpers import fees

PAYER_KEYS = {"medicare": "Medicare", "aetna": "Aetna", "bcbs": "Blue Cross Blue Shield", "cigna": "Cigna",
              "uhc": "UnitedHealthcare", "other": None}
"""The payers a claim may name, and the payer each is in the course's data (None: no payer data)."""
DRUG_SOURCE_KEYS = {"practice": "practice", "specialty_pharmacy": "specialty pharmacy",
                    "no_cost": "no cost to the practice", "facility": "facility", "unknown": None}
"""The drug sources a claim may name, and the drug_sources row each is."""
REQUIRED = ("payer", "date_of_service", "place_of_service", "diagnoses", "lines")
OPTIONAL = ("prior_treatments", "prior_authorization", "drug_source", "id")
LINE_FIELDS = ("code", "modifiers", "units", "diagnosis_pointers", "dose_administered", "charge")
MAX_TEXT = 50
"""The longest text a claim field holds (an 837P claim id is at most 38 characters, a code 5)."""
_SHOWN = reprlib.Repr()
_SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlevel, _SHOWN.maxlist, _SHOWN.maxdict = 60, 60, 2, 4, 4


def shown(value) -> str:
    """Return a value as a message quotes it: its repr cut short, so a pasted document is never echoed whole."""
    try:
        return _SHOWN.repr(value)
    except ValueError:  # an integer too long for Python to write out
        return "a number too long to write out"


class ClaimError(ValueError):
    """A claim that cannot be checked: its message lists every problem found."""

    def __init__(self, problems: list[str], where: str = "The claim"):
        self.problems = problems
        super().__init__(f"{where} cannot be checked ({len(problems)} problem"
                         f"{'s' if len(problems) != 1 else ''}):\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Line:
    """One service line: code, modifiers, units, the diagnoses it points to, and (for a drug) the dose given."""

    number: int
    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    diagnosis_pointers: tuple[int, ...] = ()
    dose_administered: float | None = None
    charge: float | None = None

    @property
    def label(self) -> str:
        """Return the line as a coder writes it: 64612-50 x 1."""
        return "-".join((self.code, *self.modifiers)) + f" x {self.units}"


@dataclass(frozen=True)
class Claim:
    """A professional claim for one date of service, as the checker reads it."""

    payer: str
    date_of_service: date
    place_of_service: str
    diagnoses: tuple[str, ...]
    lines: tuple[Line, ...]
    prior_treatments: tuple[tuple[date, str], ...] = ()
    prior_authorization: bool | None = None
    drug_source: str = "practice"
    id: str = ""
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return the claim in the JSON form the checker reads."""
        lines = []
        for line in self.lines:
            item = {"code": line.code, "modifiers": list(line.modifiers), "units": line.units}
            if line.diagnosis_pointers:
                item["diagnosis_pointers"] = list(line.diagnosis_pointers)
            if line.dose_administered is not None:
                item["dose_administered"] = line.dose_administered
            if line.charge is not None:
                item["charge"] = line.charge
            lines.append(item)
        out = {"payer": self.payer, "date_of_service": self.date_of_service.isoformat(),
               "place_of_service": self.place_of_service, "diagnoses": list(self.diagnoses), "lines": lines,
               "drug_source": self.drug_source}
        if self.id:
            out["id"] = self.id
        if self.prior_treatments:
            out["prior_treatments"] = [{"date": day.isoformat(), "code": code} for day, code in self.prior_treatments]
        if self.prior_authorization is not None:
            out["prior_authorization"] = self.prior_authorization
        return out


def _plain(text: str, where: str, problems: list) -> bool:
    """Return True for short printable text; else note what is wrong with it (too long, an invisible character)."""
    if len(text) > MAX_TEXT:
        problems.append(f"{where}: is {len(text):,} characters long, more than any claim field holds ({MAX_TEXT}); "
                        f"got {shown(text)}")
        return False
    if not text.isprintable():
        problems.append(f"{where}: holds a control or invisible character; got {shown(text)}")
        return False
    return True


def _date(value, where: str, problems: list) -> date | None:
    """Return a date from YYYY-MM-DD text, or note the problem."""
    if not isinstance(value, str):
        problems.append(f"{where}: must be a date written YYYY-MM-DD, such as \"2026-03-02\"; got {shown(value)}")
        return None
    if not _plain(value, where, problems):
        return None
    try:
        return fees.parse_date(value)
    except ValueError as error:
        problems.append(f"{where}: {error}")
        return None


def _huge(value) -> bool:
    """Return True for a whole number too large for any claim (and too large for float checks)."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**9


def _whole(value, where: str, problems: list, minimum: int = 1) -> int | None:
    """Return a whole number at least ``minimum``, or note the problem."""
    if _huge(value):
        problems.append(f"{where}: {shown(value)} is far too large to be a number of units")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != int(value):
        problems.append(f"{where}: must be a whole number; got {shown(value)}")
        return None
    if value < minimum:
        problems.append(f"{where}: must be {minimum} or more; got {shown(value)}")
        return None
    return int(value)


def _amount(value, where: str, problems: list) -> float | None:
    """Return a positive number (a dose or a charge), or note the problem."""
    if value is None:
        return None
    if _huge(value):
        problems.append(f"{where}: {shown(value)} is far too large")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        problems.append(f"{where}: must be a number more than 0; got {shown(value)}")
        return None
    return float(value)


def _text_list(value, where: str, problems: list, example: str = "RT") -> tuple[str, ...]:
    """Return a list of short texts in upper case, or note the problem."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        problems.append(f"{where}: must be a list of texts, such as [\"{example}\"]; got {shown(value)}")
        return ()
    if not all(_plain(item.strip(), where, problems) for item in value):
        return ()
    return tuple(item.strip().upper() for item in value)


def _pointers(value, where: str, count: int | None, problems: list) -> tuple[int, ...]:
    """Return diagnosis pointers (1-based, within the diagnoses), or note the problem."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{where}: must be a list of numbers, such as [1]; got {shown(value)}")
        return ()
    pointers = tuple(_whole(item, where, problems) for item in value)
    for pointer in pointers:
        if pointer is not None and count is not None and pointer > count:
            problems.append(f"{where}: points to diagnosis {pointer}, but the claim lists {count}")
    return tuple(p for p in pointers if p is not None)


def _line(number: int, item, count: int, problems: list) -> Line | None:
    """Return one service line, or note its problems."""
    where = f"lines[{number}]"
    if not isinstance(item, dict):
        problems.append(f"{where}: must be an object with code and units; got {shown(item)}")
        return None
    unknown = sorted(set(item) - set(LINE_FIELDS))
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)}; a line has {', '.join(LINE_FIELDS)}")
    code = item.get("code")
    if not isinstance(code, str) or not code.strip():
        problems.append(f"{where}.code: must be a procedure or drug code such as \"64612\"; got {shown(code)}")
    elif not _plain(code.strip(), f"{where}.code", problems):
        code = None
    units = _whole(item.get("units"), f"{where}.units", problems) if "units" in item else None
    if "units" not in item:
        problems.append(f"{where}.units: missing")
    line = Line(number, str(code).strip().upper() if isinstance(code, str) else "",
                _text_list(item.get("modifiers"), f"{where}.modifiers", problems), units or 1,
                _pointers(item.get("diagnosis_pointers"), f"{where}.diagnosis_pointers", count, problems),
                _amount(item.get("dose_administered"), f"{where}.dose_administered", problems),
                _amount(item.get("charge"), f"{where}.charge", problems))
    return line


def _prior(value, problems: list) -> tuple:
    """Return the prior treatments as (date, code) pairs, or note the problems."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"prior_treatments: must be a list of {{\"date\", \"code\"}} objects; got {shown(value)}")
        return ()
    found = []
    for index, item in enumerate(value, start=1):
        where = f"prior_treatments[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            problems.append(f"{where}: must be an object with a date and a code; got {shown(item)}")
            continue
        day = _date(item.get("date"), f"{where}.date", problems)
        if day is not None and _plain(item["code"].strip(), f"{where}.code", problems):
            found.append((day, item["code"].strip().upper()))
    return tuple(found)


def _choice(value, keys: dict, where: str, problems: list, default=None):
    """Return a value that must be one of ``keys``, or note the problem."""
    if value is None:
        return default
    if not isinstance(value, str) or value.strip().lower() not in keys:
        problems.append(f"{where}: must be one of {', '.join(keys)}; got {shown(value)}")
        return default
    return value.strip().lower()


def _place(value, problems: list) -> str:
    """Return a two-digit place of service, or note the problem."""
    number = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100
    text = value.strip() if isinstance(value, str) else str(value) if number else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 2):
        problems.append(f"place_of_service: must be a two-digit code such as \"11\"; got {shown(value)}")
        return ""
    return text.zfill(2)


def _dotted(code: str) -> str:
    """Return an ICD-10-CM code with its dot (G5131 -> G51.31), as coders often type it without."""
    return f"{code[:3]}.{code[3:]}" if "." not in code and len(code) > 3 else code


def _diagnoses(value, problems: list) -> tuple[str, ...]:
    """Return the diagnosis codes (at least one), or note the problem."""
    codes = tuple(_dotted(code) for code in _text_list(value, "diagnoses", problems, "G51.31"))
    if value is not None and isinstance(value, list) and not value:
        problems.append("diagnoses: list at least one ICD-10-CM code, such as [\"G51.31\"]")
    return codes


def _top(obj: dict, problems: list) -> tuple:
    """Return the claim's payer, date, place and diagnoses, noting missing and unknown fields."""
    problems += [f"{name}: missing" for name in REQUIRED if name not in obj]
    unknown = sorted(set(obj) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)}; a claim has {', '.join(REQUIRED + OPTIONAL)}")
    if "payer" in obj and obj["payer"] is None:
        problems.append("payer: must be one of " + ", ".join(PAYER_KEYS))
    payer = _choice(obj.get("payer"), PAYER_KEYS, "payer", problems, "")
    day = _date(obj["date_of_service"], "date_of_service", problems) if "date_of_service" in obj else None
    place = _place(obj["place_of_service"], problems) if "place_of_service" in obj else ""
    diagnoses = _diagnoses(obj["diagnoses"], problems) if "diagnoses" in obj else ()
    return payer, day, place, diagnoses


def _lines(obj: dict, count: int, problems: list) -> tuple[Line, ...]:
    """Return the claim's service lines, noting a missing or empty list."""
    raw = obj.get("lines")
    if "lines" in obj and (not isinstance(raw, list) or not raw):
        problems.append(f"lines: must be a list of at least one service line; got {shown(raw)}")
        return ()
    return tuple(_line(number, item, count, problems) for number, item in enumerate(raw or [], start=1))


def _authorization(value, problems: list) -> bool | None:
    """Return whether the claim shows prior authorization (None: not said), noting a value that is not a flag."""
    if value is not None and not isinstance(value, bool):
        problems.append(f"prior_authorization: must be true or false; got {shown(value)}")
        return None
    return value


def _id(value, problems: list) -> str:
    """Return the claim's id as text ('' when it has none), noting one that is not short printable text."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or _huge(value):
        problems.append(f"id: must be short text such as \"MS-R\"; got {shown(value)}")
        return ""
    text = str(value).strip()
    return text if _plain(text, "id", problems) else ""


def parse(obj, where: str = "The claim") -> Claim:
    """Return a Claim from a dict, or raise ClaimError listing every problem (missing fields, types, values)."""
    if isinstance(obj, Claim):
        return obj
    if not isinstance(obj, dict):
        raise ClaimError([f"a claim must be a JSON object with {', '.join(REQUIRED)}; got {type(obj).__name__}"],
                         where)
    if not all(isinstance(key, str) for key in obj):
        raise ClaimError(["every field name must be text, such as \"payer\""], where)
    problems: list[str] = []
    payer, day, place, diagnoses = _top(obj, problems)
    lines = _lines(obj, len(diagnoses) or None, problems)  # no pointer is checked against broken diagnoses
    prior = _prior(obj.get("prior_treatments"), problems)
    authorization = _authorization(obj.get("prior_authorization"), problems)
    source = _choice(obj.get("drug_source"), DRUG_SOURCE_KEYS, "drug_source", problems, "practice")
    claim_id = _id(obj.get("id"), problems)
    if problems:
        raise ClaimError(problems, where)
    return Claim(payer, day, place, diagnoses, lines, prior, authorization, source, claim_id)
