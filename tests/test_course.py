"""The course's shape: the notebook skeleton, numbering, citations, and no numbers typed into prose."""

import json
import re

import pytest

from helpers import course, data, paths


NOTEBOOKS = course.notebook_paths()


def markdown_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


def test_there_is_at_least_the_start_notebook():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_skeleton(path):
    assert course.skeleton_problems(path) == []


def test_skeleton_check_finds_a_missing_recap(tmp_path):
    notebook = json.loads(NOTEBOOKS[0].read_text())
    for cell in notebook["cells"]:
        cell["source"] = "".join(cell["source"]).replace("## Recap", "## Summary")
    broken = tmp_path / "00_start_here.ipynb"
    broken.write_text(json.dumps(notebook))
    problems = course.skeleton_problems(broken)
    assert "no '## Recap' section" in problems


def test_notebooks_are_numbered_without_gaps():
    assert course.numbering_problems() == []


def test_numbering_check_finds_gaps_and_strays(tmp_path):
    for name in ("00_start.ipynb", "02_skip.ipynb", "Untitled.ipynb"):
        (tmp_path / name).write_text("{}")
    problems = course.numbering_problems(tmp_path)
    assert "stray notebook Untitled.ipynb: name it NN_topic.ipynb" in problems
    assert any("without gaps" in problem for problem in problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cited_source_exists(path):
    known = set(data.load("sources")["id"])
    cited = {match for text in markdown_cells(path) for match in course.CITATION.findall(text)}
    assert cited <= known, cited - known


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_have_no_memory_addresses_paths_or_warnings(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"at 0x[0-9a-f]{6,}", text)
    assert str(paths.repo_root()) not in text and "/tmp/" not in text
    notebook = json.loads(text)
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr")
        assert cell.get("cell_type") != "code" or cell["execution_count"] is not None, "commit executed notebooks"
    assert "widgets" not in notebook["metadata"]


def test_learning_path_lists_every_notebook():
    table = course.learning_path()
    assert table["notebook"].tolist() == [path.name for path in NOTEBOOKS]
    assert table["minutes"].notna().all()


def test_readme_lists_every_notebook_and_the_two_commands():
    readme = (paths.repo_root() / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"`{path.stem}`" in readme, path.stem
    assert readme.index("make lab") < readme.index("conda env create") < readme.index("Binder")
    assert "make test" in readme


def _table_headers(path):
    """Yield the header cells of every HTML table a notebook's stored outputs show."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            html = "".join(output.get("data", {}).get("text/html", ""))
            for head in re.findall(r"<thead>.*?</thead>", html, re.S):
                yield re.findall(r"<th[^>]*>(.*?)</th>", head)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_mue_and_ptp_figure_shows_its_quarter(path):
    """NCCI edits change every quarter, so a table that shows one also shows the date its file took effect."""
    for headers in _table_headers(path):
        if {"mue", "mai", "modifier_indicator"} & set(headers):
            assert "effective" in headers, headers


@pytest.mark.parametrize("path", course.notebook_paths(), ids=lambda p: p.name)
def test_every_notebook_carries_the_current_course_menu_and_previous_next_links(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    tagged = {tag: "".join(cell["source"]) for cell in cells for tag in cell.get("metadata", {}).get("tags", [])}
    top, bottom = course.navigation(path.stem)
    assert cells[0]["metadata"]["tags"] == [course.NAV_TOP] and tagged[course.NAV_TOP] == top
    assert cells[-1]["metadata"]["tags"] == [course.NAV_BOTTOM] and tagged[course.NAV_BOTTOM] == bottom
    for target in re.findall(r"\]\(([^)]+\.ipynb)\)", top + bottom):
        assert (path.parent / target).exists(), target


def test_the_first_and_last_notebooks_link_only_forward_and_back():
    names = [path.stem for path in course.notebook_paths()]
    assert course.navigation(names[0])[1].startswith("Next:")
    assert course.navigation(names[-1])[1].startswith("← Previous:") and "Next" not in course.navigation(names[-1])[1]
    with pytest.raises(ValueError, match="not a course notebook"):
        course.navigation("99_nothing")
