"""Small widget building blocks shared by the quizzes, the progress panel and the lesson tools."""

import ipywidgets as widgets


def button(label: str, css_class: str, tooltip: str = "", hidden: bool = False) -> widgets.Button:
    """Return a labelled button with a CSS class (for styling and browser tests), optionally hidden."""
    made = widgets.Button(description=label, tooltip=tooltip or label,
                          layout=widgets.Layout(width="auto", display="none" if hidden else None))
    made.add_class(css_class)
    return made


def row(controls) -> widgets.HBox:
    """Return controls side by side while they fit, wrapped onto new lines when not (each keeps its width)."""
    for control in controls:
        control.layout.flex = "0 0 auto"
    return widgets.HBox(list(controls), layout=widgets.Layout(flex_flow="row wrap", align_items="center",
                                                              grid_gap="4px 12px"))


def set_visible(widget, visible: bool) -> None:
    """Show or hide a widget without removing it from the page."""
    widget.layout.display = None if visible else "none"


def dropdown(label: str, options, value=None) -> widgets.Dropdown:
    """Return a labelled dropdown wide enough for its options (its first option unless ``value`` is given)."""
    choice = {} if value is None else {"value": value}
    return widgets.Dropdown(options=options, description=label, style={"description_width": "initial"},
                            layout=widgets.Layout(width="auto"), **choice)
