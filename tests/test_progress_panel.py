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


def _panel(notebook="04_medicare_payment", whole_course=False):
    display = progress_panel.panel(notebook, whole_course)
    display._repr_mimebundle_()
    return display.live


def test_the_panel_labels_objectives_in_words_with_clear_columns():
    progress.record("04_medicare_payment", "which-rvu-differs", "formula", "D", True)
    html = _panel().table.value
    assert "<th" in html and "Right first time" in html and "Attempts" in html
    assert "Compute a Medicare fee schedule amount" in html and ">formula<" not in html
    assert "1 of 1" in html and "The whole course" not in html


def test_the_whole_course_view_puts_this_notebook_first_then_one_row_per_notebook():
    html = _panel("00_start_here", whole_course=True).table.value
    assert html.index("00 · Start here</strong>, by objective") < html.index("The whole course")
    whole = html[html.index("The whole course"):]
    assert whole.count("<tr>") == 1 + len(progress_panel.bank_totals()["notebook"].unique())
    assert "07 · Commercial payers and the checklist" in whole


def test_a_learner_names_themselves_once_and_every_answer_follows(monkeypatch):
    monkeypatch.delenv(progress.LEARNER_VARIABLE)
    field = _panel().name_field
    field.name.value = ""
    field.save()
    assert 'role="alert"' in field.message.value and "Type your name" in field.message.value
    field.name.value = "Ana Lima"
    assert field.save() == "Ana Lima"
    assert "saved as <strong>Ana Lima</strong>" in field.who.value
    progress.record("04_medicare_payment", "q", "formula", "A", True)
    assert progress.attempts()["learner"].tolist() == ["Ana Lima"]


def test_export_writes_to_the_workspace_and_offers_a_download():
    progress.record("04_medicare_payment", "which-rvu-differs", "formula", "D", True)
    panel = _panel()
    target = panel.export()
    assert target.parent == progress_panel.paths.exports_dir()
    assert target.name == f"my-progress-test-learner-{progress.file_id()}.csv"
    assert f'download="{target.name}"' in panel.message.value and "data:text/csv;base64," in panel.message.value
    assert progress_panel.paths.notebooks_dir() not in target.parents


def test_the_static_face_says_what_to_do_in_plain_words():
    text = repr(progress_panel.panel("04_medicare_payment"))
    assert "Run All Cells" in text and "Voila" in text and "still here tomorrow" in text


def test_the_start_notebook_s_name_form_saves_the_name_on_its_own(monkeypatch):
    monkeypatch.delenv(progress.LEARNER_VARIABLE)
    display = progress_panel.name_form()
    assert "type the name your instructor knows you by" in repr(display)
    display._repr_mimebundle_()
    display.live.name.value = "Ben"
    assert display.live.save() == "Ben" and progress.learner() == "Ben"


def test_answers_to_a_notebook_the_course_no_longer_has_are_not_counted():
    progress.record("03_reimbursement", "which-rvu-differs", "formula", "D", True)  # before the split
    table = progress_panel.overview(progress_panel.bank_totals())
    assert "03_reimbursement" not in set(table["notebook"])
    assert len(progress.attempts()) == 1  # still in the store and in exports


def test_the_name_message_says_what_happened_to_earlier_answers(monkeypatch):
    monkeypatch.delenv(progress.LEARNER_VARIABLE)
    assert "before naming yourself" in progress_panel.name_message(progress.NameSaved("Ana", None, 3))
    assert "save Ana again" in progress_panel.name_message(progress.NameSaved("Ben", "Ana", 0))
    monkeypatch.setenv(progress.LEARNER_VARIABLE, "hub-admin-choice")
    assert "this session records answers as hub-admin-choice" in progress_panel.name_message(
        progress.NameSaved("Ben", None, 0))


def test_a_returning_learner_finds_their_name_in_the_field_and_a_visible_download_link(monkeypatch):
    monkeypatch.delenv(progress.LEARNER_VARIABLE)
    progress.save_name("Ana")
    panel = _panel()
    assert panel.name_field.name.value == "Ana"
    progress.record("04_medicare_payment", "which-rvu-differs", "formula", "D", True)
    panel.export()
    assert "text-decoration: underline" in panel.message.value
