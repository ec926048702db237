"""The case studies: fictional notes, each with its claim's context, an optional draft and the model claim.

``cases()`` reads ``data/cases.yaml`` once per change, validating every model claim and draft through the claim
checker's parser; a broken case file raises ``CaseError`` naming the case and the problem.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers import claims, data, paths

FIELDS = {"id", "title", "note", "context", "diagnoses", "lines", "why", "sources", "draft"}


class CaseError(ValueError):
    """A broken case file: the message names the case and every problem."""


@dataclass(frozen=True)
class Case:
    """One case study: what the coder receives and the claim that answers it."""

    id: str
    title: str
    note: str
    context: dict
    model: claims.Claim
    why: str
    sources: tuple[str, ...]
    draft: dict | None = None

    def claim(self, diagnoses, lines) -> dict:
        """Return a claim for this case's context with the learner's diagnoses and lines."""
        return {**self.context, "id": self.id, "diagnoses": list(diagnoses), "lines": list(lines)}


def _shape(raw) -> str | None:
    """Return what is wrong with the shape of one case (a missing field, a field of the wrong kind), or None."""
    if not isinstance(raw, dict) or not {"id", "title", "note", "context", "diagnoses", "lines", "why"} <= set(raw):
        return "needs id, title, note, context, diagnoses, lines and why"
    sources = raw.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(text, str) for text in
                                                [raw["id"], raw["title"], raw["note"], raw["why"], *sources]):
        return "id, title, note and why must be text, and sources a list of source ids"
    if not isinstance(raw["context"], dict) or not isinstance(raw.get("draft") or {}, dict):
        return "context and draft must be mappings of claim fields, such as {payer: medicare}"
    return None


def _case(raw, known_sources: set, file: str = "data/cases.yaml") -> Case:
    """Return one validated case, or raise CaseError naming it."""
    name = raw["id"] if isinstance(raw, dict) and isinstance(raw.get("id"), str) else "?"
    shape = _shape(raw)
    if shape:
        raise CaseError(f"{file}, case '{name}': {shape}")
    extra = sorted(set(raw) - FIELDS)
    unknown = sorted(set(raw.get("sources", [])) - known_sources)
    if extra or unknown:
        found = [f"unknown field(s) {', '.join(extra)}"] if extra else []
        found += [f"source id(s) {', '.join(unknown)} not in data/sources.csv"] if unknown else []
        raise CaseError(f"{file}, case '{name}': {'; '.join(found)}")
    context = dict(raw["context"])
    try:
        model = claims.parse({**context, "id": name, "diagnoses": raw["diagnoses"], "lines": raw["lines"]},
                             f"{file}, case '{name}', model claim")
        if raw.get("draft"):
            claims.parse({**context, **raw["draft"]}, f"{file}, case '{name}', draft")
    except claims.ClaimError as error:
        raise CaseError(str(error)) from None
    return Case(name, raw["title"], raw["note"], context, model, raw["why"], tuple(raw.get("sources", [])),
                raw.get("draft"))


def _document(path: Path, file: str) -> dict:
    """Return the case file's YAML document, or raise CaseError saying why it holds no list of cases."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CaseError(f"{file} is not saved as UTF-8 text") from None
    except OSError as error:
        raise CaseError(f"{file} cannot be read ({error.strerror or error})") from None
    except yaml.YAMLError as error:
        raise CaseError(f"{file} is not valid YAML ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list):
        raise CaseError(f"{file} must be a mapping with a list of 'cases'")
    return document


def cases(path=None) -> list[Case]:
    """Return every case study, validated (from data/cases.yaml unless another file is given)."""
    path = Path(path or paths.data_dir() / "cases.yaml")
    file = paths.shown(path)
    document = _document(path, file)
    known = set(data.load("sources")["id"])
    return [_case(raw, known, file) for raw in document["cases"]]


def case(case_id: str) -> Case:
    """Return one case by id, or raise naming the ids."""
    found = {item.id: item for item in cases()}
    if case_id not in found:
        raise KeyError(f"No case '{case_id}'. Cases: {', '.join(found)}.")
    return found[case_id]
