"""Regenerate the course: validate data and quiz banks, then re-execute notebooks in place.

``python -m helpers.build --refresh [NOTEBOOK...]`` re-executes the named notebooks (all by default)
so their stored outputs become the reference that nbval compares. The result is byte-identical when
nothing changed: no widget state, no timing, no kernel version, no random ids. A notebook that fails,
or prints a warning or error, is reported and left untouched.
"""

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from tqdm import tqdm

from helpers import course, data, paths, progress, quiz

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNEL_SPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
TIMEOUT_SECONDS = 300


class BuildError(RuntimeError):
    """Raised when a notebook cannot be executed cleanly; the message names the notebook and cell."""


@contextlib.contextmanager
def isolated_progress():
    """Point quiz progress at a throw-away file so building never touches a learner's progress."""
    saved = {name: os.environ.get(name) for name in (progress.DB_VARIABLE, progress.LEARNER_VARIABLE)}
    with tempfile.TemporaryDirectory() as folder:
        os.environ[progress.DB_VARIABLE] = str(Path(folder) / "progress.sqlite3")
        os.environ[progress.LEARNER_VARIABLE] = "course-build"
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def normalise(notebook) -> None:
    """Remove everything that changes between runs: widget state and views, timing, kernel version."""
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = dict(KERNEL_SPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
            output.get("metadata", {}).pop(WIDGET_VIEW, None)


def _noise(notebook, name: str) -> list[str]:
    """Return a description of every stderr stream or error output (lessons must print no noise)."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr":
                found.append(f"{name}, cell {index}: printed to stderr: {output.text.strip()[:300]}")
            if output.output_type == "error":
                found.append(f"{name}, cell {index}: {output.ename}: {output.evalue}")
    return found


def _nav_cell(tag: str, text: str):
    """Return a course-navigation markdown cell (the build owns it: it is rewritten on every build)."""
    cell = nbformat.v4.new_markdown_cell(text, id=tag)
    cell.metadata["tags"] = [tag]
    return cell


def with_navigation(notebook, name: str) -> None:
    """Put the course menu at the top and previous/next links at the end, replacing old ones."""
    top, bottom = course.navigation(name)
    notebook.cells = [cell for cell in notebook.cells
                      if not {course.NAV_TOP, course.NAV_BOTTOM} & set(cell.metadata.get("tags", []))]
    notebook.cells.insert(0, _nav_cell(course.NAV_TOP, top))
    notebook.cells.append(_nav_cell(course.NAV_BOTTOM, bottom))


def execute(path: Path):
    """Execute a notebook in a fresh kernel from the notebooks folder and return it, normalised and navigable."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)
    if path.stem in {course_path.stem for course_path in course.notebook_paths()}:  # not a test's probe notebook
        with_navigation(notebook, path.stem)
    client = NotebookClient(notebook, timeout=TIMEOUT_SECONDS, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=False, record_timing=False,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    try:
        with isolated_progress():
            client.execute()
    except CellExecutionError as error:
        raise BuildError(f"{path.name} failed:\n{error}") from None
    noise = _noise(notebook, path.name)
    if noise:
        raise BuildError("\n".join(noise))
    normalise(notebook)
    return notebook


def refresh(path: Path) -> bool:
    """Re-execute one notebook in place; return True if its file changed."""
    before = path.read_bytes()
    after = nbformat.writes(execute(path)) + "\n"
    if after.encode() == before:
        return False
    path.write_text(after, encoding="utf-8")
    return True


def _chosen(names: list[str]) -> list[Path]:
    """Return the notebooks named on the command line (all course notebooks when none are named)."""
    if not names:
        return course.notebook_paths()
    chosen = []
    for name in names:
        path = Path(name)
        path = path if path.suffix == ".ipynb" and path.exists() else course.notebook_path(Path(name).stem)
        if not path.exists():
            raise BuildError(f"There is no notebook '{name}' in {paths.notebooks_dir().name}/.")
        chosen.append(path)
    return chosen


def validate_inputs() -> list[str]:
    """Return every problem in the data tables and quiz banks."""
    problems = [str(problem) for problem in data.check()]
    return problems or quiz.check_all()  # banks are only checked against data that is itself valid


def main(argv: list[str] | None = None) -> int:
    """Command line: check the notebooks named, validate data and banks, then refresh the notebooks."""
    parser = argparse.ArgumentParser(prog="python -m helpers.build", description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", action="store_true", help="re-execute notebooks and store their outputs")
    parser.add_argument("notebooks", nargs="*", help="notebook names or paths (default: all)")
    args = parser.parse_args(argv)
    try:
        chosen = _chosen(args.notebooks)
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    problems = validate_inputs()
    if problems:
        print("The data or quiz banks have problems; nothing was rebuilt:", *problems, sep="\n  - ", file=sys.stderr)
        return 1
    print("Data tables and quiz banks are valid.")
    if not args.refresh:
        return 0
    try:
        changed = [path.name for path in tqdm(chosen, desc="Executing notebooks", unit="notebook") if refresh(path)]
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Refreshed {len(chosen)} notebook(s); changed: {', '.join(changed) or 'none'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
