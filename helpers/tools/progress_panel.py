"""The 'my progress' panel: the bank's questions next to the learner's saved answers, with refresh, export and reset.

The store (``helpers.progress``) knows nothing of quiz banks; this panel counts each bank's questions once,
when it is built, and asks the store for the learner's answers on every Refresh.
"""

from html import escape
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import yaml

from helpers import paths, progress
from helpers.faces import LiveDisplay, Rendered
from helpers.quiz.bank import SAFE_LOADER
from helpers.ui import button, set_visible

STATIC_HTML = ("<p><strong>Your progress</strong> appears here when this notebook runs in JupyterLab or "
               "Voilà. Every quiz answer you check is saved on this computer, so it is still here tomorrow.</p>")
STATIC_TEXT = ("Your progress appears here when this notebook runs in JupyterLab or Voila. Every quiz answer "
               "you check is saved on this computer, so it is still here tomorrow.")


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
    """Return, per notebook and objective, the questions in the banks next to this learner's progress."""
    table = totals.merge(progress.summary(), on=["notebook", "objective"], how="outer").fillna(0)
    if notebook is not None:
        table = table[table["notebook"] == notebook]
    counts = ["questions", "answered", "right_first_time", "right_so_far", "attempts"]
    return table.astype({column: int for column in counts}).reset_index(drop=True)


def overview_html(table) -> str:
    """Return the progress table as HTML, with a native progress bar per row."""
    if table.empty:
        return "<p>No quiz banks were found.</p>"
    rows = []
    for row in table.itertuples(index=False):
        bar = f'<progress value="{row.answered}" max="{max(row.questions, row.answered, 1)}"></progress>'
        rows.append(f"<tr><td>{escape(row.notebook)}</td><td>{escape(row.objective)}</td><td>{bar} "
                    f"{row.answered} of {row.questions}</td><td>{row.right_first_time}</td>"
                    f"<td>{row.attempts}</td></tr>")
    return ("<table><thead><tr><th>Notebook</th><th>Objective</th><th>Answered</th><th>Right first time</th>"
            f"<th>Attempts</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


class ProgressPanel:
    """The live panel: progress table, Refresh, Export and a Reset that asks for confirmation."""

    def __init__(self, notebook: str | None):
        self.notebook = notebook
        self.totals = bank_totals()
        scope = f"notebook {notebook}" if notebook else "the whole course"
        self.table = widgets.HTML(value="")
        self.message = widgets.HTML(value="")
        self.message.add_class("progress-message")
        refresh, export = button("Refresh", "progress-refresh"), button("Export to CSV", "progress-export")
        self.reset_button = button("Reset progress…", "progress-reset")
        self.yes = button(f"Yes, erase my answers for {scope}", "progress-confirm", hidden=True)
        self.no = button("Cancel", "progress-cancel", hidden=True)
        refresh.on_click(lambda _: self.refresh())
        export.on_click(lambda _: self.export())
        self.reset_button.on_click(lambda _: self.ask())
        self.yes.on_click(lambda _: self.confirm())
        self.no.on_click(lambda _: self.cancel())
        buttons = widgets.HBox([refresh, export, self.reset_button, self.yes, self.no])
        self.box = widgets.VBox([self.table, buttons, self.message])
        self.box.add_class("progress-panel")
        self.refresh()

    def refresh(self) -> None:
        """Reload the table from the progress file."""
        try:
            self.table.value = overview_html(overview(self.totals, self.notebook))
        except Exception as error:  # the panel must never break a lesson
            self.table.value = f"<p>Your progress could not be read ({escape(str(error))}).</p>"

    def export(self) -> Path | None:
        """Write this learner's answers to a CSV file in the workspace's exports folder and say where."""
        target = paths.exports_dir() / f"my-progress-{progress.safe_name(progress.learner())}.csv"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            progress.export(target)
        except Exception as error:
            self.message.value = f'<p role="alert">Export failed: {escape(str(error))}</p>'
            return None
        self.message.value = f'<p role="status">Saved your answers to {escape(paths.shown(target))}.</p>'
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
            erased = progress.reset(self.notebook)
        except Exception as error:
            self.message.value = f'<p role="alert">Reset failed: {escape(str(error))}</p>'
            return 0
        self.cancel()
        self.message.value = f'<p role="status">Erased {erased} saved answer{"s" if erased != 1 else ""}.</p>'
        self.refresh()
        return erased


def panel(notebook: str | None = None) -> LiveDisplay:
    """Return a 'my progress' panel for one notebook (or the whole course) with refresh, export and reset."""
    return LiveDisplay(lambda: ProgressPanel(notebook), Rendered(STATIC_HTML, STATIC_TEXT))
