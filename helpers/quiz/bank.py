"""Quiz banks: one YAML file per notebook under data/quizzes/, validated on load.

A bank names the current year and the example dates as placeholders (``{fee_year}``, ``{session_date}``, the
sources of the newest rows as ``{rvu_source}`` ...), filled from data before the YAML is read (helpers.current),
so rolling the course to a new year changes no bank.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from helpers import course, current, data, paths
from helpers.quiz import lookups
from helpers.formatting import problem_report
from helpers.quiz.model import Numeric, Question, format_amount

_QUESTION = TypeAdapter(Question)
NUMERIC_ANSWER = ("must be a number such as 20, or a reference to data such as "
                  "{table: mue, where: {code: '64612'}, column: mue}")
"""What a numeric answer may be (pydantic names the two forms as two separate errors)."""
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
"""A placeholder as a bank writes it: a name in braces (a YAML mapping has a colon or a space inside)."""
"""PyYAML's safe loader, in C where it is built (several times faster)."""


class QuizBankError(ValueError):
    """Raised when a quiz bank is broken; the message names file, question and field for every problem."""

    def __init__(self, file: str, problems: list[str]):
        self.file, self.problems = file, problems
        super().__init__(problem_report(problems, f"quiz bank {file}"))


@dataclass(frozen=True)
class Bank:
    """The validated questions of one notebook, in file order."""

    notebook: str
    file: str
    questions: tuple

    def question(self, question_id: str):
        """Return the question with ``question_id``."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"Quiz bank {self.file} has no question '{question_id}'.")

    def sections(self) -> list[str]:
        """Return the section names, in the order they first appear."""
        return list(dict.fromkeys(question.section for question in self.questions))

    def in_section(self, section: str) -> list:
        """Return the questions of one section."""
        chosen = [question for question in self.questions if question.section == section]
        if not chosen:
            raise KeyError(f"Quiz bank {self.file} has no section '{section}'. Sections: {', '.join(self.sections())}.")
        return chosen

    def sources(self) -> list[str]:
        """Return the source ids the bank's questions cite, in order of first use."""
        return list(dict.fromkeys(source for question in self.questions for source in question.sources))


def bank_path(notebook: str) -> Path:
    """Return the path of a notebook's quiz bank."""
    return paths.quizzes_dir() / f"{notebook}.yaml"


def _text(path: Path, file: str) -> str:
    """Return a bank's text, or raise QuizBankError saying why it cannot be read."""
    if not path.exists():
        raise QuizBankError(file, ["the file does not exist"])
    if path.is_dir():
        raise QuizBankError(file, ["is a folder, not a YAML file"])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QuizBankError(file, ["is not saved as UTF-8 text"]) from None
    except OSError as error:
        raise QuizBankError(file, [f"cannot be read ({error.strerror or error})"]) from None


def _yaml_problem(error: yaml.YAMLError, text: str) -> str:
    """Return where and why YAML could not be read, in one line."""
    mark = getattr(error, "problem_mark", None)
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML refuses, such as a control character
        line = text.count("\n", 0, error.position) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return f"line {line}: not valid YAML (the character U+{code:04X} is not allowed in YAML text)"
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    return f"{where}not valid YAML ({getattr(error, 'problem', None) or error})"


MAX_VALUES = 100_000
"""The most values a bank may hold with its aliases (*name) expanded; the largest shipped bank holds about 1,500."""


def _expansion_problem(text: str) -> str | None:
    """Return where aliases make the document grow past MAX_VALUES (a YAML bomb), or None; nothing is expanded."""
    sizes, open_nodes = {}, [[None, 0]]  # an anchor's expanded size; per open collection, its anchor and size so far
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append([event.anchor, 1])
            continue
        if isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_nodes.pop()
        else:
            continue
        sizes[anchor] = size
        open_nodes[-1][1] += size
        if sum(node[1] for node in open_nodes) > MAX_VALUES:
            mark = event.start_mark
            return (f"line {mark.line + 1}, column {mark.column + 1}: aliases (*name) make the bank more than "
                    f"{MAX_VALUES:,} values long (a YAML bomb?); write the values out")
    return None


def _read_yaml(path: Path, file: str):
    """Return the parsed YAML document, or raise QuizBankError saying where it breaks."""
    text = _text(path, file)
    try:
        text = current.fill(text)
    except (KeyError, ValueError) as error:  # a broken table (DataError is a ValueError) or a missing column
        raise QuizBankError(file, [f"the current year and example dates could not be worked out from data: {error}"]) \
            from None
    unknown = sorted({found for found in PLACEHOLDER.findall(text) if found != "{answer}"})
    if unknown:
        raise QuizBankError(file, [f"unknown placeholder(s) {', '.join(unknown)}; known: {{answer}}, "
                                   + ", ".join("{" + name + "}" for name in current.placeholders())])
    try:
        bomb = _expansion_problem(text)
        document = None if bomb else yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        raise QuizBankError(file, [_yaml_problem(error, text)]) from None
    if bomb:
        raise QuizBankError(file, [bomb])
    return document


def _pydantic_problems(error: ValidationError, label: str) -> list[str]:
    """Translate pydantic's errors into 'question ..., field ...: message' lines."""
    problems = []
    for detail in error.errors():
        if detail["type"] in ("union_tag_invalid", "union_tag_not_found"):
            given = detail.get("ctx", {}).get("tag", "")
            problems.append(f"{label}, field 'type': {f'{given!r} is not a question type; ' if given else ''}"
                            "use one of single, multiple, numeric, code, order")
            continue
        location = [str(part) for part in detail["loc"]]
        if location and location[0] in ("single", "multiple", "numeric", "code", "order"):
            location = location[1:]
        field = ".".join(location) or "(whole question)"
        message = detail["msg"].removeprefix("Value error, ")
        if location[:1] == ["answer"] and len(location) > 1:  # a numeric answer is a number or a reference
            field, message = "answer", NUMERIC_ANSWER
        problems.append(f"{label}, field '{field}': {message}")
    return list(dict.fromkeys(problems))


def _parse_questions(document) -> tuple[list, list[str]]:
    """Validate each question on its own, so one broken question does not hide the others."""
    if not isinstance(document, dict) or not isinstance(document.get("questions"), list):
        return [], ["the file must be a mapping with 'notebook' and a list of 'questions'"]
    questions, problems = [], []
    for number, raw in enumerate(document["questions"], start=1):
        label = f"question '{raw.get('id')}'" if isinstance(raw, dict) and raw.get("id") else f"question #{number}"
        if not isinstance(raw, dict):
            problems.append(f"{label}: must be a mapping of fields (id, section, objective, type, prompt ...); "
                            f"got {type(raw).__name__}")
            continue
        try:
            questions.append(_QUESTION.validate_python(raw))
        except ValidationError as error:
            problems += _pydantic_problems(error, label)
    extra = sorted(set(document) - {"notebook", "questions"})
    if extra:
        problems.append(f"bank: unexpected top-level field(s) {', '.join(extra)}; expected 'notebook' and 'questions'")
    if not document["questions"]:
        problems.append("bank, field 'questions': the list is empty")
    return questions, problems


def _bank_problems(questions: list, notebook: str, objectives: dict, known_sources: set) -> list[str]:
    """Return problems that span questions: repeated ids, undeclared objectives, unknown sources."""
    problems, seen = [], set()
    for question in questions:
        label = f"question '{question.id}'"
        if question.id in seen:
            problems.append(f"{label}, field 'id': the id is used more than once")
        seen.add(question.id)
        owner, key = course.qualified(question.objective, notebook)
        declared = objectives if owner == notebook else _declared(owner)
        if key not in declared:
            shown = ", ".join(declared) or "none"
            problems.append(f"{label}, field 'objective': '{key}' is not an objective {owner} declares "
                            f"(declared: {shown})")
        for source_id in question.sources:
            if source_id not in known_sources:
                problems.append(f"{label}, field 'sources': source id '{source_id}' is not in data/sources.csv")
    return problems


def _declared(notebook: str) -> dict:
    """Return another notebook's objectives ({} when there is no such notebook)."""
    return course.objectives(notebook) if course.notebook_path(notebook).exists() else {}


def _resolve(question):
    """Return a numeric question with its answer resolved from data and '{answer}' filled into its text."""
    if not isinstance(question, Numeric):
        return question
    answer = lookups.resolve(question.answer)
    shown = format_amount(answer, question.unit)
    return question.model_copy(update={
        "answer": answer,
        "prompt": question.prompt.replace("{answer}", shown),
        "explanation": question.explanation.replace("{answer}", shown),
    })


def _resolved(questions: list) -> tuple[list, list[str]]:
    """Resolve every numeric answer, collecting the references that fail."""
    resolved, problems = [], []
    for question in questions:
        try:
            resolved.append(_resolve(question))
        except Exception as error:  # a bad reference in data is reported, never raised mid-lesson
            problems.append(f"question '{question.id}', field 'answer': {error}")
    return resolved, problems


def load_bank(notebook: str, objectives: dict | None = None, path: Path | None = None) -> Bank:
    """Load, validate and resolve a notebook's quiz bank, raising QuizBankError listing every problem."""
    path = path or bank_path(notebook)
    file = paths.shown(path)
    document = _read_yaml(path, file)
    questions, problems = _parse_questions(document)
    if isinstance(document, dict) and document.get("notebook") not in (None, notebook):
        problems.append(f"bank, field 'notebook': says '{document.get('notebook')}' but the file belongs to "
                        f"'{notebook}'")
    if objectives is None:
        notebook_file = course.notebook_path(notebook)
        objectives = course.objectives(notebook) if notebook_file.exists() else {}
        if not notebook_file.exists():
            problems.append(f"bank: there is no notebook notebooks/{notebook}.ipynb")
    problems += _bank_problems(questions, notebook, objectives, set(data.load("sources")["id"]))
    questions, unresolved = _resolved(questions)
    problems += unresolved
    if problems:
        raise QuizBankError(file, problems)
    return Bank(notebook, file, tuple(questions))


def check_all() -> list[str]:
    """Validate every bank under data/quizzes/ and return all problems found."""
    problems = []
    for path in sorted(paths.quizzes_dir().glob("*.yaml")):
        try:
            load_bank(path.stem)
        except QuizBankError as error:
            problems += [f"{error.file}: {problem}" for problem in error.problems]
    return problems
