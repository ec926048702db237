"""Check claim files from the command line: ``python -m helpers.claims check FILE [FILE...] [--format json]``.

A file holds one claim (a JSON object), several (a JSON list, JSON lines) or an ASC X12 837P with any number of
claims. Exit status: 0 when no finding is an error, 1 when some are, 2 when some input is not a claim (each
problem is listed; nothing is written anywhere).
"""

import argparse
import json
import sys
import textwrap
from pathlib import Path

from tqdm import tqdm

from helpers.claims import ClaimError, check, parse, x12

LONG = 20
"""From this many claims on, the checker shows a progress bar (on standard error)."""
X12_SUFFIXES = {".x12", ".837", ".edi"}
MAX_BYTES = 20_000_000


def _text(path: Path) -> str:
    """Return a file's text, or raise ClaimError saying why it cannot be read."""
    if not path.exists():
        raise ClaimError(["no such file"], str(path))
    if path.is_dir():
        raise ClaimError(["is a folder, not a file"], str(path))
    if path.stat().st_size > MAX_BYTES:
        raise ClaimError([f"is larger than {MAX_BYTES // 1_000_000} MB; split it"], str(path))
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ClaimError(["is not text (UTF-8): neither JSON nor X12"], str(path)) from None
    except OSError as error:
        raise ClaimError([f"cannot be read ({error.strerror})"], str(path)) from None


class _Repeated(ValueError):
    """A JSON object that names one field twice."""


def _object(pairs: list) -> dict:
    """Return a JSON object as a dict, refusing a field named twice (JSON would silently keep only the last)."""
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise _Repeated(f"the field(s) {', '.join(repeated)} appear twice in one object; JSON would keep only the "
                        "last, so remove the other")
    return dict(pairs)


def _unreadable(error: ValueError | RecursionError) -> str:
    """Return why JSON without a syntax error cannot be read: a field named twice, too deep, or a huge number."""
    if isinstance(error, _Repeated):
        return str(error)
    if isinstance(error, RecursionError):
        return "it is nested too deeply"
    return "a number in it has more than 4,300 digits"


def _json_claims(text: str, path: Path) -> list:
    """Return the claims of a JSON document (an object or a list) or of JSON lines."""
    try:
        document = json.loads(text, object_pairs_hook=_object)
    except (RecursionError, ValueError) as error:
        if not isinstance(error, json.JSONDecodeError):
            raise ClaimError([f"not a JSON document the checker can read: {_unreadable(error)}"], str(path)) from None
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            return [_json_line(line, number, path) for number, line in enumerate(text.splitlines(), start=1)
                    if line.strip()]
        raise ClaimError([f"not JSON (line {error.lineno}, column {error.colno}: {error.msg}) and not X12"],
                         str(path)) from None
    return document if isinstance(document, list) else [document]


def _json_line(line: str, number: int, path: Path):
    """Return one claim of a JSON-lines file, or raise naming the line."""
    try:
        return json.loads(line, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise ClaimError([f"line {number} is not JSON ({error.msg})"], str(path)) from None
    except (RecursionError, ValueError) as error:
        raise ClaimError([f"line {number} is not JSON the checker can read: {_unreadable(error)}"], str(path)) \
            from None


def claims_in(path: Path) -> list:
    """Return the raw claims in a file (dicts as read), or raise ClaimError saying why the file holds none."""
    text = _text(path)
    if not text.strip():
        raise ClaimError(["is empty: it holds no claim"], str(path))
    if path.suffix.lower() in X12_SUFFIXES or text.lstrip().startswith("ISA"):
        return x12.read(text, str(path))
    found = _json_claims(text, path)
    if not found:
        raise ClaimError(["holds no claim"], str(path))
    return found


def _result(path: Path, number: int, raw) -> dict:
    """Return the check of one raw claim: its findings, or the problems that stop it being checked."""
    where = f"{path}, claim {number}"
    try:
        claim = parse(raw, where)
    except ClaimError as error:
        return {"file": str(path), "claim": number, "id": "", "valid": False, "problems": error.problems,
                "findings": []}
    return {"file": str(path), "claim": number, "id": claim.id, "valid": True, "problems": [],
            "findings": [finding.to_dict() for finding in check(claim)]}


def run(paths: list[Path]) -> list[dict]:
    """Return the results of every claim in every file (a file that holds no claim is one invalid result)."""
    work, results = [], []
    for path in paths:
        try:
            work += [(path, number, raw) for number, raw in enumerate(claims_in(path), start=1)]
        except ClaimError as error:
            results.append({"file": str(path), "claim": None, "id": "", "valid": False, "problems": error.problems,
                            "findings": []})
    bar = tqdm(work, desc="Checking claims", unit="claim", disable=len(work) < LONG or None, file=sys.stderr)
    return results + [_result(path, number, raw) for path, number, raw in bar]


def _counts(findings: list[dict]) -> str:
    """Return '2 errors, 1 warning, 0 info' for a claim's findings."""
    counts = {severity: sum(f["severity"] == severity for f in findings) for severity in ("error", "warning", "info")}
    return ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())


def table(results: list[dict]) -> str:
    """Return the results as readable text: a heading per claim, then one wrapped row per finding."""
    out = []
    for result in results:
        name = f"{result['file']}" + (f", claim {result['claim']}" if result["claim"] else "") + \
            (f" ({result['id']})" if result["id"] else "")
        if not result["valid"]:
            out.append(f"{name}: not a claim the checker can read")
            out += [f"  - {problem}" for problem in result["problems"]]
            continue
        out.append(f"{name}: {_counts(result['findings'])}" + ("" if result["findings"] else ", nothing to fix"))
        for finding in result["findings"]:
            where = "claim" if finding["line"] is None else f"line {finding['line']}"
            head = f"  {finding['severity'].upper():<8}{where:<9}{finding['rule']}"
            body = finding["message"] + (f" [{'; '.join(finding['sources'])}]" if finding["sources"] else "")
            out += [head] + textwrap.wrap(body, 100, initial_indent="      ", subsequent_indent="      ")
    return "\n".join(out)


def status(results: list[dict]) -> int:
    """Return the exit status: 2 if some input was not a claim, 1 if some finding is an error, else 0."""
    if any(not result["valid"] for result in results):
        return 2
    return 1 if any(f["severity"] == "error" for result in results for f in result["findings"]) else 0


def main(argv=None) -> int:
    """Run the command line and return its exit status."""
    parser = argparse.ArgumentParser(prog="python -m helpers.claims",
                                     description="Check 64612 claims (JSON, JSON lines or X12 837P).")
    commands = parser.add_subparsers(dest="command", required=True)
    checker = commands.add_parser("check", help="check one or more claim files")
    checker.add_argument("files", nargs="+", type=Path, help="JSON, JSON-lines or 837P files")
    checker.add_argument("--format", choices=("table", "json"), default="table", help="how to print (table)")
    args = parser.parse_args(argv)
    results = run(args.files)
    print(json.dumps(results, indent=1) if args.format == "json" else table(results))
    return status(results)


if __name__ == "__main__":
    sys.exit(main())
