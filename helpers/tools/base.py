"""The skeleton every lesson tool shares: controls, one output, and bad input shown as a message.

A tool lays its controls out in rows, recomputes whenever one changes, and shows the result in an HTML
output with the CSS class ``tool-output`` (the whole form has ``tool``, for browser tests). The one rule:
input the domain refuses (a ``ValueError`` with a plain-language message) becomes a ``role="alert"``
message in the output, never a traceback.
"""

import ipywidgets as widgets

from helpers.faces import alert_html
from helpers.ui import row


class Tool:
    """A live form: subclasses create their controls, then call ``super().__init__(rows)`` and define ``compute``."""

    refused = (ValueError,)
    """The errors that mean 'the learner's choice cannot be answered', shown as a message."""

    def __init__(self, rows):
        self.output = widgets.HTML()
        self.output.add_class("tool-output")
        for controls in rows:
            for control in controls:
                if hasattr(control, "observe") and not isinstance(control, widgets.Label):
                    control.observe(lambda _, changed=control: self.changed(changed), names="value")
        self.box = widgets.VBox([row(controls) for controls in rows] + [self.output])
        self.box.add_class("tool")
        self.update()

    def compute(self) -> str:
        """Return the answer for the current choices as HTML (raise ValueError for input that cannot be answered)."""
        raise NotImplementedError

    def changed(self, control) -> None:  # noqa: ARG002 (subclasses use it)
        """Recompute after a control changed (a tool may first adjust other controls)."""
        self.update()

    def update(self) -> None:
        """Recompute the output; refused input becomes an alert message."""
        try:
            self.output.value = self.compute()
        except self.refused as error:
            self.output.value = alert_html(str(error))
