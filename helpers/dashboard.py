"""The instructor's dashboard: a class's exported answers as charts and tables.

``Board(folder)`` reads every learner's export in a folder (the progress panel's Export button, or
``python -m helpers.progress export FILE.csv``) through ``helpers.progress``, and shows: right first time per
question, common wrong answers, time on each notebook (first to last answer, per learner) and who has not
finished (each notebook's quiz bank against the questions answered). Every chart comes with its text
alternative. A folder that cannot be read gives one message saying why, never a traceback. Nothing runs on
import; ``deploy/instructor_dashboard.ipynb`` is the notebook that shows a Board.
"""

import base64
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from helpers import course, figures, progress, quiz
from helpers.faces import Rendered, alert_html
from helpers.formatting import column_label, number, percent

EXPORTS_VARIABLE = "CPT64612_EXPORTS"
"""The environment variable that names the folder of exports when the notebook is not given one."""
DEFAULT_FOLDER = "exports"
STYLE = {"figure.dpi": 96, "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
         "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "cpt64612",
         "text.parse_math": False}  # a learner name with two $ signs is text, not a formula
BAR = "#7b3294"
LEFT = ' style="text-align: left; vertical-align: top;"'


class DashboardError(ValueError):
    """A folder of exports that cannot be read; the message names the folder or file and what to do."""


@dataclass(frozen=True)
class ClassExports:
    """A class's exports: the files, every answer in them, the per-question report, and the report's notes."""

    folder: Path
    files: tuple
    answers: pd.DataFrame
    questions: pd.DataFrame
    notes: tuple = ()


class Chart(figures.Chart):
    """A drawn chart and its text alternative (figures.Chart), shown here with that text as a caption beneath."""

    def html(self) -> str:
        """Return the chart as an image whose alt text is the text alternative, with that text shown beneath."""
        source = "data:image/png;base64," + base64.b64encode(self.png()).decode("ascii")
        return (f'<figure><img alt="{escape(self.alt)}" src="{source}" style="max-width: 100%;">'
                f"<figcaption>{escape(self.alt)}</figcaption></figure>")

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ARG002 (IPython's signature)
        """Return the chart for a notebook: the image with its alt text, and the alt text as plain text."""
        return {"text/html": self.html(), "text/plain": f"[Chart] {self.alt}"}


class View:
    """Several parts (charts, tables, notes) shown as one output, in HTML and in text."""

    def __init__(self, *parts):
        self.parts = parts

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ARG002 (IPython's signature)
        """Return every part's HTML one after another, and every part's text."""
        html = "\n".join(part.html() if isinstance(part, Chart) else part._repr_html_() for part in self.parts)
        text = "\n\n".join(f"[Chart] {part.alt}" if isinstance(part, Chart) else repr(part) for part in self.parts)
        return {"text/html": html, "text/plain": text}


# ---- reading a folder of exports ----------------------------------------------------------------

def chosen_folder(folder=None) -> Path:
    """Return the folder to read: the one given, else $CPT64612_EXPORTS, else ``exports``."""
    return Path(folder or os.environ.get(EXPORTS_VARIABLE) or DEFAULT_FOLDER).expanduser()


def export_files(folder) -> list[Path]:
    """Return the CSV files in ``folder`` in name order; DashboardError if there is no folder or no CSV file."""
    folder = Path(folder)
    if not folder.exists():
        raise DashboardError(f"The folder {folder} does not exist. Put the learners' exported CSV files in one "
                             f"folder and point the dashboard at it (or set ${EXPORTS_VARIABLE}).")
    if not folder.is_dir():
        raise DashboardError(f"{folder} is a file, not a folder: point the dashboard at the folder that holds "
                             "the learners' exported CSV files.")
    files = sorted(path for path in folder.glob("*.csv") if path.is_file())
    if not files:
        raise DashboardError(f"The folder {folder} holds no CSV files. Learners export their answers with the "
                             "progress panel's Export my answers button (or python -m helpers.progress export "
                             "FILE.csv); copy those files here.")
    return files


def combined_answers(files) -> pd.DataFrame:
    """Return every answer in the exports, read as ``progress.report`` reads them (two people sharing a name apart).

    It uses the progress store's own reader of the export format; raises progress.ReportError for a bad file.
    """
    return progress.read_exports(files).reset_index(drop=True)


def read(folder) -> ClassExports:
    """Read a folder of exports; DashboardError (a message, not a traceback) if the folder or a file is bad."""
    folder = chosen_folder(folder)
    files = export_files(folder)
    notes: list[str] = []
    try:
        questions = progress.report(files, notes)
        answers = combined_answers(files)
    except (progress.ReportError, OSError) as error:  # a broken export, or one this account may not read
        raise DashboardError(f"A file in {folder} cannot be read: {error}. Remove it or ask the learner to "
                             "export again, then re-run the dashboard.") from None
    if answers.empty:
        raise DashboardError(f"The exports in {folder} hold no answers yet ({len(files)} file(s), every one "
                             "empty): learners export after answering some quizzes.")
    return ClassExports(folder, tuple(files), answers, questions, tuple(notes))


# ---- the numbers --------------------------------------------------------------------------------

def hardest(questions: pd.DataFrame) -> pd.DataFrame:
    """Return the per-question report, hardest first: lowest right-first-time share, then most learners."""
    ordered = questions.sort_values(["right_first_time", "learners", "notebook", "question"],
                                    ascending=[True, False, True, True])
    return ordered[["notebook", "question", "learners", "attempts", "right_first_time", "right_eventually",
                    "common_wrong_answers"]].reset_index(drop=True)


def wrong_answers(questions: pd.DataFrame) -> pd.DataFrame:
    """Return the questions that drew wrong answers, hardest first, with the most common wrong answers."""
    chosen = hardest(questions)
    chosen = chosen[chosen["common_wrong_answers"].astype(str).str.len() > 0]
    return chosen[["notebook", "question", "learners", "right_first_time", "common_wrong_answers"]]


def notebook_minutes(answers: pd.DataFrame) -> pd.DataFrame:
    """Return, per learner and notebook: answers, first and last answer time, and the minutes between them."""
    stamped = answers.assign(at=pd.to_datetime(answers["answered_at"], utc=True, format="ISO8601", errors="coerce"))
    stamped = stamped.dropna(subset=["at"])
    spans = stamped.groupby(["learner", "notebook"], sort=True).agg(
        answers=("at", "size"), first=("at", "min"), last=("at", "max")).reset_index()
    spans["minutes"] = ((spans["last"] - spans["first"]).dt.total_seconds() / 60).round(1)
    return spans


def time_summary(minutes: pd.DataFrame) -> pd.DataFrame:
    """Return, per notebook: how many learners answered in it and their median, shortest and longest minutes."""
    return minutes.groupby("notebook", sort=True)["minutes"].agg(
        learners="size", median_minutes="median", shortest="min", longest="max").reset_index()


def minutes_grid(minutes: pd.DataFrame) -> pd.DataFrame:
    """Return learners (rows) by notebooks (columns): minutes from first to last answer ('' where none)."""
    grid = minutes.pivot(index="learner", columns="notebook", values="minutes")
    return grid.map(lambda value: "" if pd.isna(value) else number(value)).reset_index().rename_axis(columns=None)


def bank_questions(notebooks=None) -> dict[str, tuple[str, ...]]:
    """Return each notebook's quiz-bank question ids (every course notebook unless ``notebooks`` names some)."""
    names = notebooks if notebooks is not None else [path.stem for path in course.notebook_paths()]
    return {name: tuple(question.id for question in quiz.load_bank(name).questions) for name in names}


def completion(answers: pd.DataFrame, banks: dict, roster=()) -> pd.DataFrame:
    """Return, per learner and notebook of ``banks``: questions, how many answered, finished, which are missing.

    ``roster`` adds learners who exported nothing (they have answered nothing anywhere).
    """
    done = answers.groupby(["learner", "notebook"])["question"].agg(set).to_dict()
    rows = []
    for learner in sorted(set(answers["learner"]) | set(roster)):
        for notebook, questions in banks.items():
            answered = done.get((learner, notebook), set())
            missing = [question for question in questions if question not in answered]
            rows.append({"learner": learner, "notebook": notebook, "questions": len(questions),
                         "answered": len(questions) - len(missing), "finished": not missing,
                         "missing": ", ".join(missing)})
    return pd.DataFrame(rows, columns=["learner", "notebook", "questions", "answered", "finished", "missing"])


def completion_grid(done: pd.DataFrame) -> pd.DataFrame:
    """Return learners (rows) by notebooks (columns): 'answered/questions', a tick where finished."""
    cells = done.assign(cell=[f"{a}/{q}" + (" ✓" if f else "")
                              for a, q, f in zip(done["answered"], done["questions"], done["finished"])])
    grid = cells.pivot(index="learner", columns="notebook", values="cell")
    return grid[list(dict.fromkeys(done["notebook"]))].reset_index().rename_axis(columns=None)


def unfinished(done: pd.DataFrame, started_only: bool = False) -> pd.DataFrame:
    """Return the (learner, notebook) pairs not finished (optionally only those started); 'not started' if none."""
    rows = done[~done["finished"]]
    if started_only:
        rows = rows[rows["answered"] > 0]
    rows = rows.assign(missing=rows["missing"].where(rows["answered"] > 0, "(not started)"))
    return rows[["learner", "notebook", "answered", "questions", "missing"]].reset_index(drop=True)


# ---- tables and charts --------------------------------------------------------------------------

def _cell(value) -> str:
    """Return a table cell's text: a share as a percentage, a flag as yes or no, nothing for a missing value."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return number(value) if isinstance(value, float) else str(value)


def table(frame: pd.DataFrame, caption: str, shares=()) -> Rendered:
    """Return a table as HTML (with a caption) and as text; ``shares`` names columns shown as percentages."""
    shown = frame.astype(object).copy()
    for column in shares:
        shown[column] = [percent(value) if pd.notna(value) else "" for value in frame[column]]
    labels = [str(column) if str(column)[:1].isdigit() else column_label(column) for column in frame.columns]
    shown = shown.map(_cell).set_axis(labels, axis=1)  # a notebook's name stays as written
    head = "".join(f"<th{LEFT} scope=\"col\">{escape(str(label))}</th>" for label in shown.columns)
    body = "".join("<tr>" + "".join(f"<td{LEFT}>{escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in shown.itertuples(index=False))
    html = (f'<div style="overflow-x: auto;"><table><caption style="text-align: left;"><strong>{escape(caption)}'
            f"</strong></caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
    text = shown.to_string(index=False) if len(shown) else "(none)"
    return Rendered(html, f"{caption}\n{text}")


def note(text: str, alert: bool = False) -> Rendered:
    """Return a short paragraph (announced at once by a screen reader when ``alert``)."""
    return Rendered(alert_html(text) if alert else f"<p>{escape(text)}</p>", text)


def right_first_time_chart(questions: pd.DataFrame, limit: int = 15) -> Chart:
    """Draw the hardest questions' share right first time as horizontal bars, hardest at the top."""
    chosen = hardest(questions).head(limit)
    labels = [f"{row.question} ({row.notebook[:2]})" for row in chosen.itertuples()]
    with plt.rc_context(STYLE):
        figure, ax = plt.subplots(figsize=(8, 0.35 * len(chosen) + 1.2))
        ax.barh(labels[::-1], chosen["right_first_time"][::-1] * 100, color=BAR)
        ax.set(xlim=(0, 100), xlabel="Learners right first time (percent)",
               title=f"The {len(chosen)} hardest questions")
    listed = "; ".join(f"{label}: {percent(share)} of {count}" for label, share, count in
                       zip(labels, chosen["right_first_time"], chosen["learners"]))
    return Chart(ax, f"Horizontal bar chart of the share of learners right first time for the {len(chosen)} "
                         f"hardest questions, hardest first: {listed}.")


def time_chart(summary: pd.DataFrame) -> Chart:
    """Draw each notebook's median minutes from first to last answer, with the shortest-to-longest range."""
    low = summary["median_minutes"] - summary["shortest"]
    high = summary["longest"] - summary["median_minutes"]
    with plt.rc_context(STYLE):
        figure, ax = plt.subplots(figsize=(8, 3.6))
        ax.bar(summary["notebook"].str[:2], summary["median_minutes"], yerr=[low, high], color=BAR, capsize=4)
        ax.set(xlabel="Notebook", ylabel="Minutes, first to last answer", title="Time on each notebook")
    listed = "; ".join(f"{row.notebook}: median {number(row.median_minutes)} minutes "
                       f"({number(row.shortest)} to {number(row.longest)}, {row.learners} learner(s))"
                       for row in summary.itertuples())
    return Chart(ax, "Bar chart of the median minutes between each learner's first and last answer in each "
                         f"notebook, with bars from the shortest to the longest: {listed}.")


def completion_chart(done: pd.DataFrame) -> Chart:
    """Draw learners by notebooks as a grid shaded by the share of each bank's questions answered."""
    shares = done.assign(share=done["answered"] / done["questions"].where(done["questions"] > 0))
    grid = shares.pivot(index="learner", columns="notebook", values="share")[list(dict.fromkeys(done["notebook"]))]
    with plt.rc_context(STYLE):
        figure, ax = plt.subplots(figsize=(8, 0.35 * len(grid) + 1.6))
        image = ax.imshow(grid.to_numpy(dtype=float), vmin=0, vmax=1, cmap="Purples", aspect="auto")
        ax.set_xticks(range(len(grid.columns)), [name[:2] for name in grid.columns])
        ax.set_yticks(range(len(grid.index)), list(grid.index))
        ax.set(xlabel="Notebook", title="Questions answered, learner by notebook")
        figure.colorbar(image, ax=ax, label="Share of the bank answered")
    finished = done.groupby("notebook", sort=False)["finished"].sum()
    listed = "; ".join(f"{name}: {count} of {len(grid)}" for name, count in finished.items())
    return Chart(ax, f"Grid of {len(grid)} learners by {len(grid.columns)} notebooks, each square shaded by the "
                         f"share of that notebook's quiz questions the learner answered (darker is more). "
                         f"Learners who answered every question, per notebook: {listed}.")


# ---- the dashboard ------------------------------------------------------------------------------

class Board:
    """One folder of exports as the dashboard's views or, when it cannot be read, the one message that says why."""

    def __init__(self, folder=None, notebooks=None, roster=()):
        self.folder, self.notebooks, self.roster = chosen_folder(folder), notebooks, tuple(roster)
        try:
            self.exports, self.problem = read(self.folder), None
        except DashboardError as error:
            self.exports, self.problem = None, str(error)
        self._banks = None

    def banks(self) -> dict:
        """Return the quiz-bank question ids of the notebooks the dashboard counts (read once)."""
        if self._banks is None:
            self._banks = bank_questions(self.notebooks)
        return self._banks

    def _nothing(self) -> Rendered:
        """Return the message every view shows when the folder could not be read."""
        return note(f"Nothing to show: {self.problem}", alert=True)

    def overview(self):
        """Return what was read: files, learners, answers, questions, and any note about shared names."""
        if self.problem:
            return note(self.problem, alert=True)
        found = self.exports
        learners, notebooks = found.answers["learner"].nunique(), found.answers["notebook"].nunique()
        summary = (f"{len(found.files)} export file(s) in {found.folder}: {learners} learner(s), "
                   f"{len(found.answers)} answer(s) to {len(found.questions)} question(s) in {notebooks} notebook(s).")
        unknown = sorted(set(found.answers["notebook"]) - set(self.banks()))
        notes = [*found.notes, *([f"Answers to notebooks not counted for completion (not in the course's list): "
                                  f"{', '.join(unknown)}."] if unknown else [])]
        return View(note(summary), *(note(text) for text in notes))

    def questions(self, limit: int = 15):
        """Return right first time per question: a chart of the hardest and the full table, hardest first."""
        if self.problem:
            return self._nothing()
        found = hardest(self.exports.questions)
        return View(right_first_time_chart(self.exports.questions, limit),
                    table(found, "Every question, hardest first", shares=("right_first_time", "right_eventually")))

    def wrong_answers(self):
        """Return the common wrong answers of every question that drew some, hardest first."""
        if self.problem:
            return self._nothing()
        found = wrong_answers(self.exports.questions)
        return table(found, "Common wrong answers (count of each), hardest question first",
                     shares=("right_first_time",))

    def time(self):
        """Return time on each notebook: a chart of the medians, the summary, and each learner's minutes."""
        if self.problem:
            return self._nothing()
        minutes = notebook_minutes(self.exports.answers)
        summary = time_summary(minutes)
        return View(time_chart(summary), table(summary, "Minutes from first to last answer, per notebook"),
                    table(minutes_grid(minutes), "Minutes from first to last answer, per learner"),
                    note("Minutes run from a learner's first answer in a notebook to their last: reading before the "
                         "first quiz is not counted, and one answer counts as zero."))

    def completion(self, started_only: bool = True):
        """Return who has finished what: a grid chart, the grid as a table, and the started notebooks not finished.

        ``started_only=False`` lists the notebooks not started too.
        """
        if self.problem:
            return self._nothing()
        done = completion(self.exports.answers, self.banks(), self.roster)
        left = unfinished(done, started_only)
        return View(completion_chart(done),
                    table(completion_grid(done), "Questions answered of each notebook's quiz bank (✓ finished)"),
                    table(left, f"{'Started, not' if started_only else 'Not'} finished: {len(left)} "
                                "learner-notebook pair(s), with the questions not answered"))
