"""The 'my progress' panel: the bank's questions next to the learner's saved answers, with refresh, export and reset.

The store (``helpers.progress``) knows nothing of quiz banks; this panel counts each bank's questions once,
when it is built, and asks the store for the learner's answers on every Refresh.
"""

import base64
from html import escape
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import yaml

from helpers import course, paths, progress
from helpers.faces import LiveDisplay, Rendered, scrolling
from helpers.quiz.bank import SAFE_LOADER
from helpers.ui import button, row, set_visible

STATIC_TEXT = ("Your saved answers appear here when this notebook runs: in JupyterLab choose Run, then Run All "
               "Cells; in Voila they appear by themselves. Every answer you check is saved on this computer, so it "
               "is still here tomorrow.")
STATIC_HTML = ("<p><strong>Your progress.</strong> Your saved answers appear here when this notebook runs: in "
               "JupyterLab choose <strong>Run → Run All Cells</strong>; in Voilà they appear by themselves. Every "
               "answer you check is saved on this computer, so it is still here tomorrow.</p>")
CELL = "padding: 2px 12px 2px 0; text-align: left; vertical-align: top;"
"""Inline cell style: the panel is a widget, so its table carries its own spacing in every front end."""
COUNTS = ["questions", "answered", "right_first_time", "right_so_far", "attempts"]


def bank_totals() -> pd.DataFrame:
    """Return how many questions each notebook's bank has per objective, read from the YAML as written.

    Counting needs no validation (the lesson validated its own bank when it loaded it); a file that cannot be
    read as a bank is skipped.
    """
    rows = []
    for path in sorted(paths.quizzes_dir().glob("*.yaml")):
        try:
            questions = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)["questions"]
            rows += [{"notebook": path.stem, "objective": str(question["objective"])} for question in questions]
        except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError):
            continue
    frame = pd.DataFrame(rows, columns=["notebook", "objective"])
    return frame.groupby(["notebook", "objective"], sort=True).size().rename("questions").reset_index()


def overview(totals: pd.DataFrame, notebook: str | None = None) -> pd.DataFrame:
    """Return, per notebook and objective of today's banks, the questions next to this learner's progress.

    Answers saved for a notebook the course no longer has (split or renamed) stay in the store and its exports,
    but are not counted here.
    """
    table = totals.merge(progress.summary(), on=["notebook", "objective"], how="left").fillna(0)
    if notebook is not None:
        table = table[table["notebook"] == notebook]
    return table.astype({column: int for column in COUNTS}).reset_index(drop=True)


def by_notebook(table: pd.DataFrame) -> pd.DataFrame:
    """Return an overview summed per notebook (the whole course at a glance)."""
    return table.groupby("notebook", sort=True)[COUNTS].sum().reset_index()


def _labels(notebook: str) -> dict[str, str]:
    """Return a notebook's objectives as short labels by id ({} when the notebook is not found)."""
    try:
        return {key: course.objective_label(text, width=200) for key, text in course.objectives(notebook).items()}
    except (OSError, ValueError, KeyError):
        return {}


def _other(objective: str, notebook: str) -> str:
    """Return the label of an objective that belongs to another notebook (the final assessment's), or its id."""
    try:
        return course.objective_title(objective, notebook)
    except (OSError, ValueError, KeyError):
        return objective


def _title(notebook: str) -> str:
    """Return a notebook's short title, or its file name when it cannot be read."""
    try:
        return course.short_title(notebook)
    except (OSError, ValueError, KeyError, IndexError):
        return notebook


def _table_row(label: str, row) -> str:
    """Return one table row: a label, answered (with a progress bar), right first time and attempts."""
    bar = (f'<progress value="{row.answered}" max="{max(row.questions, row.answered, 1)}" '
           'style="width: 5em;"></progress>')
    cells = (escape(label), f"{bar} {row.answered} of {row.questions}", f"{row.right_first_time} of {row.answered}",
             str(row.attempts))
    return "<tr>" + "".join(f'<td style="{CELL}">{cell}</td>' for cell in cells) + "</tr>"


def _table(first: str, rows: list[str]) -> str:
    """Return a progress table with its four headed columns."""
    heads = (first, "Answered", "Right first time", "Attempts")
    head = "".join(f'<th style="{CELL}">{escape(text)}</th>' for text in heads)
    body = "".join(rows)
    return scrolling(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>", f"Progress by {first}")


def overview_html(totals: pd.DataFrame, notebook: str | None, whole_course: bool = False) -> str:
    """Return the panel's tables: this notebook's objectives first, then (for the whole course) every notebook."""
    table = overview(totals)
    parts = []
    if notebook is not None:
        mine = table[table["notebook"] == notebook]
        labels = _labels(notebook)
        rows = [_table_row(labels.get(row.objective) or _other(row.objective, notebook), row)
                for row in mine.itertuples(index=False)]
        parts.append(f"<p><strong>{escape(_title(notebook))}</strong>, by objective</p>" + _table("Objective", rows))
    if whole_course or notebook is None:
        rows = [_table_row(_title(row.notebook), row) for row in by_notebook(table).itertuples(index=False)]
        parts.append("<p><strong>The whole course</strong>, by notebook</p>" + _table("Notebook", rows))
    return "".join(parts) if not table.empty else "<p>No quiz banks were found.</p>"


def download_link(path: Path) -> str:
    """Return an HTML link that downloads a small file from the page itself (works in Voilà and on Binder)."""
    payload = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<a download="{escape(path.name)}" href="data:text/csv;base64,{payload}" '
            'style="color: var(--jp-content-link-color, #1976d2); text-decoration: underline;">'
            f"Download {escape(path.name)}</a>")


def _saved_name() -> str:
    """Return the name saved on this computer, to show in the name field ('' if none or unreadable)."""
    try:
        return progress.saved_name() or ""
    except Exception:  # the field must never break a lesson
        return ""


def name_message(saved: progress.NameSaved) -> str:
    """Return what saving a name did, in words: where answers go now, and what happened to earlier ones."""
    override = progress.name_override()
    if override and override != saved.name:
        return (f"Your name, {saved.name}, is saved for next time, but this session records answers as {override} "
                "(set by whoever started the course).")
    words = [f"From now on your answers are saved as {saved.name}, in every notebook you run."]
    if saved.moved:
        words.append(f"The {saved.moved} answer{'s' if saved.moved != 1 else ''} you gave before naming yourself "
                     f"{'are' if saved.moved != 1 else 'is'} now under that name too.")
    if saved.previous:
        words.append(f"Answers saved earlier as {saved.previous} stay under that name: save {saved.previous} again "
                     "to see them.")
    return " ".join(words)


class NameField:
    """Who the answers on this computer belong to: a name field, Save, and the name in use."""

    def __init__(self, on_saved=None):
        self.on_saved = on_saved
        self.name = widgets.Text(value=_saved_name(), placeholder="Your name", description="Your name:",
                                 layout=widgets.Layout(width="22em"))
        self.name.add_class("progress-name")
        save = button("Save name", "progress-save-name", "Save your answers under this name from now on")
        save.on_click(lambda _: self.save())
        self.who, self.message = widgets.HTML(value=""), widgets.HTML(value="")
        self.message.add_class("progress-message")
        self.box = widgets.VBox([row([self.name, save]), self.who, self.message])
        self.box.add_class("progress-name-field")
        self.show()

    def show(self) -> None:
        """Say under which name answers are being saved."""
        try:
            self.who.value = f"<p>Your answers are saved as <strong>{escape(progress.learner())}</strong>.</p>"
        except Exception as error:  # the field must never break a lesson
            self.who.value = f"<p>Your name could not be read ({escape(str(error))}).</p>"

    def save(self) -> str | None:
        """Save answers under the typed name from now on (answers already saved keep their name)."""
        try:
            saved = progress.save_name(self.name.value)
        except ValueError as error:
            self.message.value = f'<p role="alert">{escape(str(error))}</p>'
            return None
        except Exception as error:  # the field must never break a lesson
            self.message.value = f'<p role="alert">Your name could not be saved ({escape(str(error))}).</p>'
            return None
        self.message.value = f'<p role="status">{escape(name_message(saved))}</p>'
        self.show()
        if self.on_saved:
            self.on_saved()
        return saved.name


class ProgressPanel:
    """The live panel: your name, progress tables, Refresh, Export and a Reset that asks for confirmation."""

    def __init__(self, notebook: str | None, whole_course: bool = False):
        self.notebook, self.whole_course = notebook, whole_course or notebook is None
        self.totals = bank_totals()
        self.name_field = NameField(on_saved=self.refresh)
        self.table, self.message = widgets.HTML(value=""), widgets.HTML(value="")
        self.message.add_class("progress-message")
        self.box = widgets.VBox([self.name_field.box, self.table, self._buttons(), self.message])
        self.box.add_class("progress-panel")
        self.refresh()

    def _buttons(self) -> widgets.HBox:
        """Return Refresh, Export and Reset (with its hidden confirmation)."""
        scope = "the whole course" if self.whole_course else f"notebook {self.notebook}"
        refresh, export = button("Refresh", "progress-refresh"), button("Export my answers", "progress-export")
        self.reset_button = button("Reset progress…", "progress-reset")
        self.yes = button(f"Yes, erase my answers for {scope}", "progress-confirm", hidden=True)
        self.no = button("Cancel", "progress-cancel", hidden=True)
        refresh.on_click(lambda _: self.refresh())
        export.on_click(lambda _: self.export())
        self.reset_button.on_click(lambda _: self.ask())
        self.yes.on_click(lambda _: self.confirm())
        self.no.on_click(lambda _: self.cancel())
        return row([refresh, export, self.reset_button, self.yes, self.no])

    def refresh(self) -> None:
        """Reload the name and the tables from the progress file."""
        self.name_field.show()
        try:
            self.table.value = overview_html(self.totals, self.notebook, self.whole_course)
        except Exception as error:  # the panel must never break a lesson
            self.table.value = f"<p>Your progress could not be read ({escape(str(error))}).</p>"

    def export(self) -> Path | None:
        """Write this learner's answers to workspace/exports, and offer the file as a download too."""
        try:
            target = paths.exports_dir() / progress.export_name()
            target.parent.mkdir(parents=True, exist_ok=True)
            progress.export(target)
        except Exception as error:
            self.message.value = f'<p role="alert">Export failed: {escape(str(error))}</p>'
            return None
        self.message.value = (f'<p role="status">Saved your answers to {escape(paths.shown(target))}. '
                              f"{download_link(target)} (send this file to your instructor).</p>")
        return target

    def ask(self) -> None:
        """Ask for confirmation before erasing anything."""
        self.message.value = '<p role="alert">This erases your saved answers and cannot be undone.</p>'
        for widget, visible in ((self.reset_button, False), (self.yes, True), (self.no, True)):
            set_visible(widget, visible)

    def cancel(self) -> None:
        """Put the Reset button back without erasing anything."""
        self.message.value = "<p>Nothing was erased.</p>"
        for widget, visible in ((self.reset_button, True), (self.yes, False), (self.no, False)):
            set_visible(widget, visible)

    def confirm(self) -> int:
        """Erase this learner's answers for the panel's scope and refresh."""
        try:
            erased = progress.reset(None if self.whole_course else self.notebook)
        except Exception as error:
            self.message.value = f'<p role="alert">Reset failed: {escape(str(error))}</p>'
            return 0
        self.cancel()
        self.message.value = f'<p role="status">Erased {erased} saved answer{"s" if erased != 1 else ""}.</p>'
        self.refresh()
        return erased


NAME_TEXT = ("Your name: run this notebook to type the name your instructor knows you by; your answers are saved "
             "under it.")


def name_form() -> LiveDisplay:
    """Return the name field on its own (the start notebook asks for a name before the first quiz)."""
    return LiveDisplay(NameField, Rendered(f"<p>{escape(NAME_TEXT)}</p>", NAME_TEXT))


def panel(notebook: str | None = None, whole_course: bool = False) -> LiveDisplay:
    """Return a 'my progress' panel for a notebook (and, with ``whole_course``, every notebook after it)."""
    return LiveDisplay(lambda: ProgressPanel(notebook, whole_course), Rendered(STATIC_HTML, STATIC_TEXT))
