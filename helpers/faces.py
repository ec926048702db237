"""The one display protocol: a static HTML face, a plain-text face and, in a live kernel, a widget.

Jupyter front ends pick the richest face they can render: JupyterLab and Voilà show the widget; a notebook
viewer, a static HTML export or a notebook not yet run shows the HTML; nbval compares the HTML and the
text, which depend on content only, so re-running stores identical output.
"""

from html import escape
from urllib.parse import urlsplit

NO_MATH = '<div class="tex2jax_ignore mathjax_ignore">{}</div>'
"""A wrapper that keeps front ends from typesetting "$141.62 ... $108.22" as a formula (MathJax reads $...$)."""
LINK_SCHEMES = ("", "http", "https")
"""The addresses a course link may have: relative ones and web pages (never javascript:, data: or the like)."""


def shielded(html: str) -> str:
    """Return HTML wrapped so that dollar amounts are shown as written, never as mathematics."""
    return NO_MATH.format(html)


class Rendered:
    """A display object with an HTML face and a plain-text face."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return shielded(self.html)

    def __repr__(self) -> str:
        return self.text


class LiveDisplay:
    """A display whose live face is built when it is shown and whose static faces never vary.

    ``build`` returns an object with a ``box`` widget (a tool, a quiz set, a progress panel); it is kept
    as ``live`` once shown.
    """

    def __init__(self, build, static: Rendered):
        self.build, self.static = build, static
        self.live = None

    def _repr_html_(self) -> str:
        return shielded(self.static.html)

    def __repr__(self) -> str:
        return self.static.text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:  # noqa: ARG002 (Jupyter passes them by name)
        """Return the live widget with the static faces beside it."""
        self.live = self.build()
        bundle = dict(self.live.box._repr_mimebundle_() or {})
        bundle.update({"text/plain": self.static.text, "text/html": shielded(self.static.html)})
        return bundle


def alert_html(message: str) -> str:
    """Return a message a screen reader announces at once: how every tool shows bad input."""
    return f'<p role="alert">{escape(message)}</p>'


def link_html(address: str, text: str) -> str:
    """Return a link to ``address`` showing ``text``, or the text alone when the address is not a page (javascript:)."""
    try:
        scheme = urlsplit(str(address)).scheme.lower()
    except ValueError:  # an address no browser could read either
        scheme = "unreadable"
    if scheme not in LINK_SCHEMES:
        return escape(str(text))
    return f'<a href="{escape(str(address))}">{escape(str(text))}</a>'


def scrolling(inner: str, label: str) -> str:
    """Return HTML that scrolls sideways when too wide, reachable by keyboard and named for screen readers."""
    return (f'<div class="course-table" role="region" aria-label="{escape(label or "table")}" tabindex="0" '
            f'style="overflow-x: auto;">{inner}</div>')
