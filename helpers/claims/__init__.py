"""Check a 64612 claim and explain every finding: the rules a good scrubber and a good mentor would apply.

``check(claim)`` takes a dict (the JSON form), a ``Claim``, and returns findings, each with a stable rule id,
a severity, the line (1-based, None for the claim), a message in a coder's words and its source ids. Input that
is not a claim raises ``ClaimError`` listing every problem. ``python -m helpers.claims check FILE`` runs it on
JSON, JSON lines or ASC X12 837P files.
"""

from helpers.claims.model import Claim, ClaimError, Line, parse
from helpers.claims.rules import RULES, SEVERITIES, Finding

__all__ = ["RULES", "Claim", "ClaimError", "Finding", "Line", "check", "parse"]


def check(claim) -> list[Finding]:
    """Return every finding for one claim (a dict or a Claim), errors first within each line."""
    claim = parse(claim)
    findings = list({(f.rule, f.line): f for rule in RULES for f in rule(claim)}.values())  # one per rule and line
    return sorted(findings, key=lambda f: (f.line or 0, SEVERITIES.index(f.severity)))
