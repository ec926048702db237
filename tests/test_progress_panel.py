"""The 'my progress' panel: the banks' questions next to the learner's answers; reset only after confirmation."""

from helpers import progress
from helpers.tools import progress_panel


def test_overview_counts_questions_in_the_banks():
    progress.record("00_start_here", "what-64612-is", "terminology", "A", True)
    table = progress_panel.overview(progress_panel.bank_totals(), "00_start_here").set_index("objective")
    assert table.loc["terminology", "questions"] == 1 and table.loc["terminology", "answered"] == 1
    assert table.loc["preview", "questions"] == 2 and table.loc["preview", "answered"] == 0


def test_progress_panel_resets_only_after_confirmation():
    progress.record("00_start_here", "what-64612-is", "terminology", "A", True)
    panel = progress_panel.panel("00_start_here")
    bundle = panel._repr_mimebundle_()
    assert "Your progress" in bundle["text/html"] and "1 of 1" in panel.live.table.value
    panel.live.reset_button.click()
    assert len(progress.attempts()) == 1 and panel.live.yes.layout.display is None
    panel.live.no.click()
    assert len(progress.attempts()) == 1
    panel.live.reset_button.click()
    panel.live.yes.click()
    assert progress.attempts().empty and "Erased 1 saved answer." in panel.live.message.value


def test_the_store_knows_nothing_of_banks_or_widgets():
    """The progress store is a leaf: it imports no other part of the course."""
    source = (progress_panel.paths.repo_root() / "helpers" / "progress.py").read_text(encoding="utf-8")
    assert "from helpers" not in source and "import helpers" not in source
