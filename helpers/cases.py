"""The case studies: fictional notes, each with its claim's context, an optional draft and the model claim.

``cases()`` reads ``data/cases.yaml`` once per change, validating every model claim and draft through the claim
checker's parser; a broken case file raises ``CaseError`` naming the case and the problem.
"""

from dataclasses import dataclass

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


def _case(raw, known_sources: set) -> Case:
    """Return one validated case, or raise CaseError naming it."""
    name = raw.get("id", "?") if isinstance(raw, dict) else "?"
    if not isinstance(raw, dict) or not {"id", "title", "note", "context", "diagnoses", "lines", "why"} <= set(raw):
        raise CaseError(f"data/cases.yaml, case '{name}': needs id, title, note, context, diagnoses, lines and why")
    extra = sorted(set(raw) - FIELDS)
    unknown = sorted(set(raw.get("sources", [])) - known_sources)
    if extra or unknown:
        raise CaseError(f"data/cases.yaml, case '{name}': unknown field(s) {extra} or source id(s) {unknown}")
    context = dict(raw["context"])
    try:
        model = claims.parse({**context, "id": name, "diagnoses": raw["diagnoses"], "lines": raw["lines"]},
                             f"data/cases.yaml, case '{name}', model claim")
        if raw.get("draft"):
            claims.parse({**context, **raw["draft"]}, f"data/cases.yaml, case '{name}', draft")
    except claims.ClaimError as error:
        raise CaseError(str(error)) from None
    return Case(name, raw["title"], raw["note"], context, model, raw["why"], tuple(raw.get("sources", [])),
                raw.get("draft"))


def cases(path=None) -> list[Case]:
    """Return every case study, validated (from data/cases.yaml unless another file is given)."""
    path = path or paths.data_dir() / "cases.yaml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CaseError(f"data/cases.yaml is not valid YAML ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("cases"), list):
        raise CaseError("data/cases.yaml must be a mapping with a list of 'cases'")
    known = set(data.load("sources")["id"])
    return [_case(raw, known) for raw in document["cases"]]


def case(case_id: str) -> Case:
    """Return one case by id, or raise naming the ids."""
    found = {item.id: item for item in cases()}
    if case_id not in found:
        raise KeyError(f"No case '{case_id}'. Cases: {', '.join(found)}.")
    return found[case_id]
