"""The bad-input corpus (tests/corpus/cases.yaml): broken data tables, quiz banks, claims, learner answers and
command lines, each with the message it must produce.

Every case checks that the answer names where and what (the manifest's texts), that no traceback escapes, that a
command exits with the status the manifest gives, and that nothing on disk changed: data/, notebooks/, helpers/,
examples/ (and build/ for the build command) and the case's own temporary folder are hashed before and after.
Big and hostile inputs (5 MB files, a billion-laughs YAML bomb, binary garbage) are made here, not committed.
"""

import csv
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pydantic import TypeAdapter

from helpers import cases, data, paths
from helpers.claims import x12
from helpers.claims import parse as parse_claim
from helpers.claims.__main__ import main as claims_main
from helpers.quiz.answers import MAX_INPUT
from helpers.quiz.bank import QuizBankError, load_bank
from helpers.quiz.model import Question

CORPUS = Path(__file__).parent / "corpus"
FILES = CORPUS / "files"
MANIFEST = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
SECTIONS = ("data", "banks", "claims", "answers", "commands")
WATCHED = ("data", "notebooks", "helpers", "examples")
"""The repository's folders a command could write to; each case hashes them before and after."""
OBJECTIVES = {"terminology": "Explain the words", "units": "Compute units"}
NOTEBOOK = "99_corpus"
SEED = 64612
REQUIRED = {
    "data": {"missing-column", "wrong-type", "bad-date", "duplicate-key", "unknown-source", "invalid-icd10-code",
             "negative-rvu", "overlapping-conversion-factor-periods", "byte-order-mark", "crlf-line-ends",
             "stray-quote", "empty-file", "not-utf8-latin1"},
    "banks": {"yaml-list-not-mapping", "yaml-scalar-not-mapping", "yaml-bomb-billion-laughs"},
    "answers": {"empty", "one-megabyte-of-letters", "nul-character", "terminal-escape-sequence", "arabic-indic-digits",
                "chinese-numerals", "cyrillic-letters-that-look-latin", "right-to-left-marks", "right-to-left-override",
                "script-tag", "html-image-with-handler"},
    "claims": {"units-zero", "line-not-an-object", "not-json", "json-lines-bad-line", "binary-garbage",
               "x12-json-under-837-name", "x12-truncated", "x12-units-as-text", "x12-impossible-date"},
    "commands": {"claims-unknown-flag", "claims-missing-file", "claims-unreadable-file", "claims-folder-given-as-file",
                 "claims-binary-garbage", "claims-five-megabytes-of-text"},
}
"""The cases the issue names: the corpus must keep them."""


# ---- the manifest ---------------------------------------------------------------------------------------------------

def params(section: str) -> list:
    """Return the section's cases as pytest parameters; a case with a known bug is a strict expected failure."""
    found = []
    for case in MANIFEST[section]:
        marks = [pytest.mark.xfail(reason=case["known_bug"], strict=True)] if case.get("known_bug") else []
        found.append(pytest.param(case, id=case["id"], marks=marks))
    return found


def value(spec):
    """Return a manifest value, making the big ones here: {repeat: [text, n]} and {huge_integer: digits}."""
    if isinstance(spec, dict) and set(spec) == {"repeat"}:
        text, count = spec["repeat"]
        return text * count
    if isinstance(spec, dict) and set(spec) == {"huge_integer"}:
        return 10 ** spec["huge_integer"]
    return spec


def filled(text: str, values: dict) -> str:
    """Return an expected text with {line}, {row}, {first}, {tmp} and {file} filled in (other braces stay)."""
    for name, known in values.items():
        text = text.replace("{" + name + "}", str(known))
    return text


def random_bytes(count: int) -> bytes:
    """Return the same binary garbage on every run."""
    return random.Random(SEED).randbytes(count)


def billion_laughs(levels: int = 9) -> str:
    """Return a YAML alias bomb: nine levels of nine references each, about 387 million strings if expanded."""
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        name, below = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join(['*' + below] * 9)}]")
    return "\n".join(lines) + f"\nnotebook: {NOTEBOOK}\nquestions: [*{chr(ord('a') + levels - 1)}]\ncases: [*a]\n"


def make_unreadable(path: Path) -> None:
    """Make a file that exists but cannot be read: mode 000, or (for root, who reads anything) a read that fails."""
    path.write_text("private\n", encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):
        path.unlink()
        path.symlink_to("/proc/self/mem")  # opens, but reading it fails with an input/output error


# ---- nothing changes on disk ----------------------------------------------------------------------------------------

def _digest(path: Path) -> str:
    """Return a file's fingerprint: content hash and time written (a link: its target; unreadable: mode and size)."""
    if path.is_symlink():
        return "link:" + os.readlink(path)
    stat = path.stat()
    try:
        return f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{stat.st_mtime_ns}"
    except OSError:
        return f"unreadable:{stat.st_mode}:{stat.st_size}:{stat.st_mtime_ns}"


def tree(folder: Path) -> dict[str, str]:
    """Return every file and folder under ``folder`` with its fingerprint (bytecode caches left out)."""
    if not folder.exists():
        return {}
    found = {}
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in folders:
            found[os.path.join(root, name)] = "folder"
        for name in files:
            found[os.path.join(root, name)] = _digest(Path(root, name))
    return found


def snapshot(*extra: Path) -> dict[str, str]:
    """Return the fingerprints of the repository's watched folders and of ``extra`` folders."""
    found = {}
    for folder in [*(paths.repo_root() / name for name in WATCHED), *extra]:
        found.update(tree(folder))
    return found


def _changes(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def without_writes(action, *extra: Path):
    """Run ``action`` and return what it returns, failing if a watched file was written, added or removed.

    Other people may save files in the same working tree while a case runs. A change seen only in the repository's
    folders is confirmed by running the action once more: input that makes it write makes it write again (times
    are part of the fingerprint, so even rewriting the same bytes shows).
    """
    repository = str(paths.repo_root()) + os.sep
    for attempt in (1, 2):
        before = snapshot(*extra)
        result = action()
        changed = _changes(before, snapshot(*extra))
        if not changed or attempt == 2 or not all(name.startswith(repository) for name in changed):
            break
    assert not changed, f"rejected input changed files on disk: {changed[:10]}"
    return result


def raised(error, function, *args, **kwargs) -> Exception:
    """Return the ``error`` that ``function(*args, **kwargs)`` raises; fail if it raises nothing."""
    with pytest.raises(error) as caught:
        function(*args, **kwargs)
    return caught.value


def assert_clean(text: str, expected: list, values: dict, limit: int | None = None) -> None:
    """Assert the answer holds every expected text, no traceback, and (with ``limit``) is short."""
    assert "Traceback" not in text, text[-3000:]
    for words in expected:
        assert filled(words, values) in text, f"missing {filled(words, values)!r} in:\n{text[:3000]}"
    if limit is not None:
        assert len(text) <= limit, f"{len(text)} characters of output: a big input is echoed back"


# ---- data tables ----------------------------------------------------------------------------------------------------

def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _matching(rows: list[list[str]], where: dict) -> int:
    """Return the index of the first row whose cells match ``where`` (the header is row 0)."""
    header = rows[0]
    for index, row in enumerate(rows[1:], start=1):
        if all(row[header.index(column)] == str(wanted) for column, wanted in where.items()):
            return index
    raise AssertionError(f"no row matches {where}")


def set_cell(folder, name, where, column, new) -> dict:
    """Change one cell of the first row matching ``where``."""
    path = folder / name
    rows = _rows(path)
    index = _matching(rows, where)
    rows[index][rows[0].index(column)] = value(new)
    _write_rows(path, rows)
    return {"line": index + 1, "row": index}


def duplicate_row(folder, name, where) -> dict:
    """Append a copy of the first row matching ``where``."""
    path = folder / name
    rows = _rows(path)
    index = _matching(rows, where)
    rows.append(list(rows[index]))
    _write_rows(path, rows)
    return {"line": len(rows), "row": len(rows) - 1, "first": index + 1}


def drop_column(folder, name, column) -> dict:
    path = folder / name
    rows = _rows(path)
    position = rows[0].index(column)
    _write_rows(path, [row[:position] + row[position + 1:] for row in rows])
    return {}


def add_column(folder, name, column, filler) -> dict:
    path = folder / name
    rows = _rows(path)
    _write_rows(path, [rows[0] + [column]] + [row + [filler] for row in rows[1:]])
    return {}


def rename_column(folder, name, old, new) -> dict:
    path = folder / name
    rows = _rows(path)
    rows[0][rows[0].index(old)] = new
    _write_rows(path, rows)
    return {}


def append_line(folder, name, line) -> dict:
    """Append a raw line; it starts the CSV record after the last one (the loader numbers lines by record)."""
    path = folder / name
    records = len(_rows(path))
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return {"line": records + 1, "row": records}


def insert(folder, name, line, position, text) -> dict:
    """Insert raw text at a character position of a line (1-based), such as a stray quote."""
    path = folder / name
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = lines[line - 1][:position] + text + lines[line - 1][position:]
    path.write_text("\n".join(lines), encoding="utf-8")
    return {}


def _raw(function):
    """Return an edit that rewrites a file's bytes with ``function`` (bytes -> bytes)."""
    def edit(folder, name, *args) -> dict:
        path = folder / name
        path.write_bytes(function(path.read_bytes(), *args))
        return {}
    return edit


def _replace_path(folder, name, how) -> dict:
    path = folder / name
    path.unlink()
    {"folder": path.mkdir, "unreadable": lambda: make_unreadable(path), "delete": lambda: None}[how]()
    return {}


EDITS = {
    "set_cell": set_cell, "duplicate_row": duplicate_row, "drop_column": drop_column, "add_column": add_column,
    "rename_column": rename_column, "append_line": append_line, "insert": insert,
    "append_text": _raw(lambda raw, text: raw + text.encode()),
    "prefix": _raw(lambda raw, text: text.encode() + raw),
    "crlf": _raw(lambda raw: raw.replace(b"\n", b"\r\n")),
    "write": _raw(lambda _raw_bytes, text: text.encode()),
    "header_only": _raw(lambda raw: raw.split(b"\n")[0] + b"\n"),
    "encode": _raw(lambda raw, encoding: raw.decode("utf-8").encode(encoding)),
    "random_bytes": _raw(lambda _raw_bytes, count: random_bytes(count)),
    "folder": lambda folder, name: _replace_path(folder, name, "folder"),
    "unreadable": lambda folder, name: _replace_path(folder, name, "unreadable"),
    "delete": lambda folder, name: _replace_path(folder, name, "delete"),
    "delete_folder": lambda folder, _flag: shutil.rmtree(folder) or {},
}
"""The edits a data case makes to its copy of data/; each returns where it landed ({line}, {row}, {first})."""


def edit_data(folder: Path, edits: list) -> dict:
    """Apply a case's edits to a copy of data/ and return the placeholders they fill."""
    values = {}
    for edit in edits:
        (kind, args), = edit.items()
        values.update(EDITS[kind](folder, *(args if isinstance(args, list) else [args])))
    return values


@pytest.mark.parametrize("case", params("data"))
def test_a_broken_data_table_is_named_by_file_row_and_column(case, data_copy, capsys):
    original = data.load(case["same_table"]) if case.get("same_table") else None
    values = edit_data(data_copy, case["edit"])
    capsys.readouterr()
    status, out = without_writes(lambda: (data.main(["check"]), capsys.readouterr()), data_copy.parent)
    assert status == case["exit"], out.err
    assert_clean(out.out + out.err, case["expect"], values)
    if original is not None:
        pd.testing.assert_frame_equal(data.load(case["same_table"]), original)


# ---- quiz banks -----------------------------------------------------------------------------------------------------

BANK_GENERATORS = {
    "billion_laughs": lambda: billion_laughs().encode(),
    "deep_nesting": lambda: (f"notebook: {NOTEBOOK}\nquestions: " + "[" * 100_000 + "]" * 100_000 + "\n").encode(),
    "random_bytes": lambda: random_bytes(4096),
}


def bank_bytes(case: dict) -> bytes:
    """Return the bytes of a case's bank: generated, a whole text, or files/bank.yaml edited."""
    if "generate" in case:
        return BANK_GENERATORS[case["generate"]]()
    text = case["text"] if "text" in case else (FILES / "bank.yaml").read_text(encoding="utf-8")
    for old, new in case.get("replace", []):
        assert old in text, f"{old!r} is not in files/bank.yaml"
        text = text.replace(old, new)
    return (text + case.get("append", "")).encode(case.get("encoding", "utf-8"))


def write_bank(folder: Path, case: dict) -> Path:
    """Write the case's bank in ``folder`` (or a folder, an unreadable file, nothing) and return its path."""
    path = folder / f"{NOTEBOOK}.yaml"
    how = case.get("path")
    if how == "folder":
        path.mkdir()
    elif how == "unreadable":
        make_unreadable(path)
    elif how != "missing":
        path.write_bytes(bank_bytes(case))
    return path


@pytest.mark.parametrize("case", params("banks"))
def test_a_broken_quiz_bank_is_named_by_file_question_and_field(case, tmp_path):
    folder = tmp_path / "banks"
    folder.mkdir()
    path = write_bank(folder, case)
    objectives = None if case.get("objectives") == "from_notebook" else OBJECTIVES
    started = time.perf_counter()
    error = without_writes(lambda: raised(QuizBankError, load_bank, NOTEBOOK, objectives=objectives, path=path),
                           tmp_path)
    assert time.perf_counter() - started < 20, "a hostile bank took too long to refuse"
    message = str(error)
    assert message.startswith(f"{len(error.problems)} problem") and f"quiz bank banks/{path.name}:" in message
    assert len(error.problems) == case.get("problems", len(error.problems)), message
    assert_clean(message, case["expect"], {}, limit=20_000)


# ---- claims ---------------------------------------------------------------------------------------------------------

def base_claim() -> dict:
    return json.loads((FILES / "claim.json").read_text(encoding="utf-8"))


def _walk(claim: dict, dotted: str):
    """Return the container and the last key of a dotted path such as lines.0.units."""
    *parents, last = [int(part) if part.isdigit() else part for part in dotted.split(".")]
    node = claim
    for part in parents:
        node = node[part]
    return node, last


def edited_claim(case: dict) -> dict:
    """Return files/claim.json with the case's `set` and `drop` applied."""
    claim = base_claim()
    for dotted, new in case.get("set", {}).items():
        node, key = _walk(claim, dotted)
        node[key] = value(new)
    for dotted in case.get("drop", []):
        node, key = _walk(claim, dotted)
        del node[key]
    return claim


def _with_units(token: str) -> str:
    """Return files/claim.json as text with the first line's units written as a raw JSON token."""
    claim = base_claim()
    claim["lines"][0]["units"] = "@UNITS@"
    return json.dumps(claim).replace('"@UNITS@"', token)


CLAIM_FILES = {
    "text": lambda spec: spec["text"].encode(spec.get("encoding", "utf-8")),
    "copy": lambda spec: (FILES / spec["copy"]).read_bytes(),
    "random_bytes": lambda spec: random_bytes(spec["random_bytes"]),
    "json_units": lambda spec: _with_units(value(spec["json_units"])).encode(),
    "nested": lambda spec: ("[" * spec["nested"] + "]" * spec["nested"]).encode(),
    "lines_then_nested": lambda spec: (json.dumps(base_claim()) + "\n" + "[" * spec["lines_then_nested"]
                                       + "]" * spec["lines_then_nested"] + "\n").encode(),
    "lines_then_digits": lambda spec: (json.dumps(base_claim()) + '\n{"units": ' + "9" * spec["lines_then_digits"]
                                       + "}\n").encode(),
    "text_then_random": lambda spec: spec["text_then_random"][0].encode() + random_bytes(spec["text_then_random"][1]),
}


def x12_text(spec: dict) -> str:
    """Return an 837P written from files/claim.json, then broken as the case says."""
    text = x12.write([parse_claim(base_claim())])
    for old, new in spec.get("replace", []):
        assert old in text, f"{old!r} is not in the 837P"
        text = text.replace(old, new)
    if "truncate" in spec:
        text = text[:spec["truncate"]]
    dropped = tuple(f"{segment}*" for segment in spec.get("drop_segments", []))
    return "\n".join(line for line in text.split("\n") if not line.startswith(dropped)) if dropped else text


def write_claim(folder: Path, case: dict) -> Path:
    """Write the case's claim file in ``folder`` and return its path."""
    if "file" in case:
        spec = case["file"]
        path = folder / spec["name"]
        kind = next(key for key in CLAIM_FILES if key in spec)
        path.write_bytes(CLAIM_FILES[kind](spec))
    elif "x12" in case:
        path = folder / "claim.837"
        path.write_text(x12_text(case["x12"]), encoding="utf-8")
    else:
        path = folder / "claim.json"
        path.write_text(json.dumps(edited_claim(case)), encoding="utf-8")
    return path


def write_case_file(folder: Path, spec: dict) -> Path:
    """Write a broken copy of files/cases.yaml and return its path."""
    path = folder / "cases.yaml"
    if spec.get("generate") == "billion_laughs":
        path.write_text(billion_laughs(), encoding="utf-8")
        return path
    text = spec["text"] if "text" in spec else (FILES / "cases.yaml").read_text(encoding="utf-8")
    for old, new in spec.get("replace", []):
        assert old in text, f"{old!r} is not in files/cases.yaml"
        text = text.replace(old, new)
    path.write_bytes(text.encode(spec.get("encoding", "utf-8")))
    return path


def _check_case_file(case: dict, folder: Path) -> None:
    path = write_case_file(folder, case["case_file"])
    message = str(without_writes(lambda: raised(cases.CaseError, cases.cases, path), folder))
    assert f"{folder.name}/cases.yaml" in message, message
    assert_clean(message, case["expect"], {}, limit=20_000)


@pytest.mark.parametrize("case", params("claims"))
def test_input_that_is_not_a_claim_gets_exit_2_and_every_problem_named(case, tmp_path, capsys):
    folder = tmp_path / "claims"
    folder.mkdir()
    if "case_file" in case:
        _check_case_file(case, folder)
        return
    path = write_claim(folder, case)
    capsys.readouterr()
    status, out = without_writes(lambda: (claims_main(["check", str(path)]), capsys.readouterr()), tmp_path)
    text = out.out + out.err
    assert status == case.get("exit", 2), text[:3000]
    assert f"{path}" in text and "not a claim the checker can read" in text, text[:3000]
    listed = sum(line.startswith("  - ") for line in out.out.splitlines())
    assert listed == case.get("problems", listed), text[:3000]
    assert_clean(text, case["expect"], {"file": path}, limit=case.get("max_output", 20_000))


# ---- learner answers ------------------------------------------------------------------------------------------------

def corpus_questions() -> dict:
    """Return the five questions of files/bank.yaml by type, validated as the quiz model reads them."""
    document = yaml.safe_load((FILES / "bank.yaml").read_text(encoding="utf-8"))
    adapter = TypeAdapter(Question)
    return {raw["type"]: adapter.validate_python(raw) for raw in document["questions"]}


QUESTIONS = corpus_questions()
STATUSES = {"readable": {"right", "wrong"}, "right": {"right"}, "wrong": {"wrong"}, "unreadable": {"unreadable"}}
HOSTILE_MARKUP = ("<script", "<img", "<b>", "onerror=")
VERDICTS = ("Correct.", "Not quite.", "I could not read that.", "Check the unit.")


def _visible(text: str) -> bool:
    """Return True when text holds no control character (a newline or tab aside) a terminal or page would act on."""
    return not any(ord(character) < 32 and character not in "\n\t" or ord(character) == 127 for character in text)


@pytest.mark.parametrize("case", params("answers"))
def test_a_hostile_answer_gets_a_clear_verdict_and_never_an_exception(case, tmp_path):
    from helpers.quiz.widgets import feedback_html

    answer = value(case["answer"])
    assert set(case["expect"]) == set(QUESTIONS), "an answer case says what every question type makes of it"
    results = without_writes(lambda: {kind: question.check(answer) for kind, question in QUESTIONS.items()}, tmp_path)
    for kind, question in QUESTIONS.items():
        result = results[kind]
        assert result.status in STATUSES[case["expect"][kind]], (kind, result)
        assert result.message.startswith(VERDICTS), (kind, result)
        assert len(result.response) <= 2 * MAX_INPUT and len(result.message) <= 4 * MAX_INPUT, kind
        assert _visible(result.response) and _visible(result.message), (kind, result)
        html = feedback_html(question, result, reveal=False)
        assert not any(markup in html for markup in HOSTILE_MARKUP), (kind, html)


# ---- command lines --------------------------------------------------------------------------------------------------

FILE_MAKERS = {
    "copy": lambda path, spec: path.write_bytes((FILES / spec).read_bytes()),
    "folder": lambda path, _spec: path.mkdir(),
    "unreadable": lambda path, _spec: make_unreadable(path),
    "random_bytes": lambda path, spec: path.write_bytes(random_bytes(spec)),
    "repeat": lambda path, spec: path.write_text(spec[0] * spec[1], encoding="utf-8"),
    "text": lambda path, spec: path.write_text(spec, encoding="utf-8"),
}


def command_env(case: dict, folder: Path) -> dict:
    """Return the environment of a command: progress and workspace in ``folder`` (set by the autouse fixture)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop(paths.DATA_DIR_VARIABLE, None)
    if "data_copy" in case:
        copy = folder / "data"
        shutil.copytree(paths.repo_root() / "data", copy)
        edit_data(copy, case["data_copy"])
        env[paths.DATA_DIR_VARIABLE] = str(copy)
    if "data_dir" in case:
        env[paths.DATA_DIR_VARIABLE] = filled(case["data_dir"], {"tmp": folder})
    return env


@pytest.mark.slow
@pytest.mark.parametrize("case", params("commands"))
def test_a_command_refuses_bad_input_with_its_exit_status_and_a_message(case, tmp_path):
    folder = tmp_path / "command"
    folder.mkdir()
    for name, spec in case.get("files", {}).items():
        (kind, argument), = spec.items()
        FILE_MAKERS[kind](folder / name, argument)
    env = command_env(case, folder)
    argv = [filled(part, {"tmp": folder}) for part in case["run"]]
    extra = [paths.repo_root() / "build"] if argv[0] == "helpers.build" else []
    result = without_writes(lambda: subprocess.run([sys.executable, "-m", *argv], cwd=folder, env=env,
                                                   capture_output=True, text=True, errors="replace", timeout=240),
                            tmp_path, *extra)
    text = result.stdout + result.stderr
    assert result.returncode == case["exit"], text[-3000:]
    assert_clean(text, case["expect"], {"tmp": folder}, limit=case.get("max_output", 50_000))


# ---- the counts -----------------------------------------------------------------------------------------------------

def test_the_corpus_counts_its_cases_per_section():
    counts = {section: len(MANIFEST[section]) for section in SECTIONS}
    known = [case["id"] for section in SECTIONS for case in MANIFEST[section] if case.get("known_bug")]
    tolerated = [case["id"] for case in MANIFEST["data"] if case["exit"] == 0]
    total = sum(counts.values())
    print(f"count: bad-input corpus: {', '.join(f'{section} {count}' for section, count in counts.items())} = {total} cases "
          f"(each answer typed into all {len(QUESTIONS)} question types); {total - len(known) - len(tolerated)} "
          f"refused with their message or verdict, {len(tolerated)} read exactly as the original "
          f"({', '.join(tolerated)}), {len(known)} known bugs in files this change could not edit, expected to fail "
          f"({', '.join(known)}); every case also checks: no traceback, the exit status, 0 files changed on disk")
    assert total >= 60 and all(count >= 10 for count in counts.values()), counts
    ids = Counter(f"{section}/{case['id']}" for section in SECTIONS for case in MANIFEST[section])
    assert [name for name, seen in ids.items() if seen > 1] == []
    for section, names in REQUIRED.items():
        assert names <= {case["id"] for case in MANIFEST[section]}, names - {case["id"] for case in MANIFEST[section]}
    assert all(case["expect"] for section in SECTIONS for case in MANIFEST[section])
