"""The 'my progress' panel: a live table with refresh, export and reset (reset asks first)."""

from html import escape
from pathlib import Path

import ipywidgets as widgets

from helpers import progress
from helpers.ui import button, set_visible

STATIC_HTML = ("<p><strong>Your progress</strong> appears here when this notebook runs in JupyterLab or "
               "Voilà. Every quiz answer you check is saved on this computer, so it is still here tomorrow.</p>")
STATIC_TEXT = ("Your progress appears here when this notebook runs in JupyterLab or Voila. Every quiz answer "
               "you check is saved on this computer, so it is still here tomorrow.")


def overview_html(table) -> str:
    """Return the progress table as HTML, with a native progress bar per row."""
    if table.empty:
        return "<p>No quiz banks were found.</p>"
    rows = []
    for row in table.itertuples(index=False):
        bar = f'<progress value="{row.answered}" max="{max(row.questions, row.answered, 1)}"></progress>'
        rows.append(f"<tr><td>{escape(row.notebook)}</td><td>{escape(row.objective)}</td><td>{bar} "
                    f"{row.answered} of {row.questions}</td><td>{row.right_first_time}</td><td>{row.attempts}</td></tr>")
    return ("<table><thead><tr><th>Notebook</th><th>Objective</th><th>Answered</th><th>Right first time</th>"
            f"<th>Attempts</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


class ProgressPanel:
    """The live panel: progress table, Refresh, Export and a Reset that asks for confirmation."""

    def __init__(self, notebook: str | None):
        self.notebook = notebook
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
            self.table.value = overview_html(progress.overview(self.notebook))
        except Exception as error:  # the panel must never break a lesson
            self.table.value = f"<p>Your progress could not be read ({escape(str(error))}).</p>"

    def export(self) -> Path | None:
        """Write this learner's answers to a CSV file in the current folder and say where."""
        target = Path.cwd() / f"my-progress-{progress._safe(progress.learner())}.csv"
        try:
            progress.export(target)
        except Exception as error:
            self.message.value = f'<p role="alert">Export failed: {escape(str(error))}</p>'
            return None
        self.message.value = f'<p role="status">Saved your answers to {escape(target.name)} (in this folder).</p>'
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


class ProgressDisplay:
    """The panel's three faces: live widget, static HTML and text (the static faces never vary)."""

    def __init__(self, notebook: str | None):
        self.notebook = notebook
        self.panel = None

    def _repr_html_(self) -> str:
        return STATIC_HTML

    def __repr__(self) -> str:
        return STATIC_TEXT

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Return the live panel with its static faces."""
        self.panel = ProgressPanel(self.notebook)
        bundle = dict(self.panel.box._repr_mimebundle_() or {})
        bundle.update({"text/plain": STATIC_TEXT, "text/html": STATIC_HTML})
        return bundle
