"""Practice without code: choose a value from a list and read the matching rows of a course table.

A practice cell used to ask the learner to edit a value in the code and run it again, which a code-free
(Voilà) learner cannot do. ``rows(table, column, start, columns)`` gives the same practice as a list to choose
from; ``local_coverage(state)`` does it for the Medicare contractor of a state. Each works in JupyterLab and
Voilà, and shows the starting choice as its static face.
"""

import pandas as pd

from helpers import data, payers
from helpers.faces import LiveDisplay, Rendered
from helpers.formatting import column_label
from helpers.show import table
from helpers.tools.base import Tool
from helpers.ui import dropdown

LOCAL_COLUMNS = ["document", "kind", "mac", "status", "effective", "confidence", "note"]


def _options(name: str, column: str) -> list[str]:
    """Return the distinct values of a table's column, in the order they first appear."""
    return list(dict.fromkeys(str(value) for value in data.load(name)[column] if data.present(value)))


def matching_rows(name: str, column: str, value, columns) -> Rendered:
    """Return the rows of a course table whose ``column`` equals ``value``, showing ``columns``."""
    frame = data.load(name)
    if column not in frame.columns:
        raise ValueError(f"The {name} table has no column '{column}'.")
    chosen = frame[frame[column].astype(str) == str(value)][list(columns)]
    if chosen.empty:
        return table(pd.DataFrame(columns=list(columns)), caption=f"No rows of {name} have {column} = {value}.")
    return table(chosen, caption=f"{name}: rows where {column} is {value}")


def coverage_for(state: str) -> Rendered:
    """Return the Medicare contractors of a state (all of them, where it is split) and their coverage documents."""
    found = payers.contractor(state)
    frames = [payers.local_policies(row.jurisdiction)[LOCAL_COLUMNS].assign(jurisdiction=row.jurisdiction,
                                                                            covers=row.covers)
              for row in found.itertuples()]
    shown = pd.concat(frames, ignore_index=True)[["jurisdiction", "covers", *LOCAL_COLUMNS]]
    names = " and ".join(found["jurisdiction"])
    return table(shown, caption=f"Local coverage documents the data links to {names} ({state})")


class RowPicker(Tool):
    """A list of values and the table rows that match the one chosen."""

    def __init__(self, label: str, options, start, show):
        self.show = show
        self.choice = dropdown(label, list(options), start)
        super().__init__([[self.choice]])

    def compute(self) -> str:
        """Return the rows for the current choice as HTML."""
        return self.show(self.choice.value).html


def rows(name: str, column: str, start, columns) -> LiveDisplay:
    """Return a practice: choose a value of ``column`` and read the matching rows of the table ``name``."""
    show = lambda value: matching_rows(name, column, value, columns)  # noqa: E731 (a one-line view)
    return LiveDisplay(lambda: RowPicker(column_label(column).capitalize(), _options(name, column), start, show),
                       show(start))


def local_coverage(state: str = "TX") -> LiveDisplay:
    """Return a practice: choose a state or territory and read its Medicare contractor's coverage documents."""
    return LiveDisplay(lambda: RowPicker("State or territory", payers.states(), state, coverage_for),
                       coverage_for(state))
