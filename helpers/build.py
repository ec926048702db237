"""Regenerate the course: validate data and quiz banks, then re-execute the notebooks whose inputs changed.

``python -m helpers.build --refresh [NOTEBOOK...]`` re-executes the named notebooks (all by default) whose
inputs changed, so their stored outputs become the reference that nbval compares. A notebook's inputs are
recorded in its metadata when it runs: its own cells, the course menu the build writes into it, the data
tables it loaded, the helper modules it imported and the other files it read (quiz banks, cases, other
notebooks' text), each by content hash. ``--check`` recomputes them without running anything and names every
stale notebook and why. ``--force`` re-executes regardless; ``--jobs N`` runs N notebooks at once. The result
is byte-identical when nothing changed, and a notebook is written whole (a temporary file, then a rename) or
not at all.
"""

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from tqdm import tqdm

from helpers import course, data, editions, paths, progress, publish, quiz

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
INPUTS_KEY = "course_build"
"""The notebook metadata key that records the content hashes of everything the notebook's run read."""
TRACE_START = """import sys as _sys
_course_opened = set()
def _course_audit(event, args, _root=%r):
    if event == "open" and isinstance(args[0], str) and args[0].startswith(_root):
        _course_opened.add(args[0])
_sys.addaudithook(_course_audit)"""
TRACE_END = """import json as _json, sys as _sys
from helpers import data as _data
_json.dump({"opened": sorted(_course_opened), "tables": _data.used_tables(),
            "modules": sorted(m.__file__ for n, m in list(_sys.modules.items())
                              if n.startswith("helpers") and getattr(m, "__file__", None))},
           open(%r, "w", encoding="utf-8"))"""
TRACED_SUFFIXES = {".yaml", ".ipynb"}
"""The files a notebook opens that count as its inputs (tables and modules are recorded by name)."""
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


def _digest(data_bytes: bytes) -> str:
    """Return a short content hash."""
    return hashlib.sha256(data_bytes).hexdigest()[:16]


def _cells_digest(notebook, only_markdown: bool = False) -> str:
    """Return the hash of a notebook's cell sources (outputs left out), optionally of its markdown only."""
    sources = [f"{cell.cell_type}:{cell.source}" for cell in notebook.cells
               if not only_markdown or cell.cell_type == "markdown"]
    return _digest("\n\x00".join(sources).encode())


def _is_menu(cell) -> bool:
    """Return True for a course-menu cell the build writes into every notebook."""
    return bool({course.NAV_TOP, course.NAV_BOTTOM} & set(cell.metadata.get("tags", [])))


def _file_digest(path: Path) -> str:
    """Return the hash of an input file: a notebook's markdown (what other notebooks read), else its bytes."""
    if not path.exists():
        return "missing"
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = [cell for cell in notebook.cells if not _is_menu(cell)]  # the menu is the build's own
        return _cells_digest(notebook, only_markdown=True)
    return _digest(path.read_bytes())


def _relative(path: Path) -> str:
    """Return a path relative to the repository, with forward slashes."""
    return path.resolve().relative_to(paths.repo_root().resolve()).as_posix()


def _inputs(trace: dict, own: Path) -> dict:
    """Return a notebook's inputs, each by content hash: tables, helper modules and the other files it read."""
    root = paths.repo_root().resolve()
    files = {Path(name).resolve() for name in trace["opened"] if Path(name).suffix in TRACED_SUFFIXES}
    files |= {Path(name).resolve() for name in trace["modules"] if Path(name).resolve().is_relative_to(root)}
    files -= {own.resolve(), (paths.notebooks_dir() / own.name).resolve()}  # its own text is in its cells' hash
    recorded = {_relative(path): _file_digest(path) for path in sorted(files)}
    recorded.update({f"data/{name}.csv": _file_digest(_input_path(f"data/{name}.csv")) for name in trace["tables"]})
    recorded["helpers/build.py"] = _file_digest(Path(__file__))  # how a notebook is executed and stored
    return dict(sorted(recorded.items()))


def _input_path(name: str) -> Path:
    """Return where an input named in a notebook's record is now (data/ follows the course's data folder)."""
    return paths.data_dir() / name.removeprefix("data/") if name.startswith("data/") else paths.repo_root() / name


def _traced(notebook) -> str:
    """Add the tracing cells around a notebook's cells and return the file the last one writes."""
    handle, trace_file = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    start = TRACE_START % str(paths.repo_root().resolve())
    notebook.cells.insert(0, nbformat.v4.new_code_cell(start, id="course-trace-start"))
    notebook.cells.append(nbformat.v4.new_code_cell(TRACE_END % trace_file, id="course-trace-end"))
    return trace_file


def _untraced(notebook) -> None:
    """Remove the tracing cells and number the remaining code cells from one again."""
    notebook.cells = [cell for cell in notebook.cells if not cell.get("id", "").startswith("course-trace-")]
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.get("execution_count"):
            cell.execution_count -= 1
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = cell.execution_count


def _run_traced(notebook, path: Path) -> dict:
    """Execute a notebook with the tracing cells around it and return what its run read."""
    trace_file = _traced(notebook)
    client = NotebookClient(notebook, timeout=TIMEOUT_SECONDS, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=False, record_timing=False,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    try:
        with isolated_progress():
            client.execute()
        return json.loads(Path(trace_file).read_text(encoding="utf-8"))
    except CellExecutionError as error:
        raise BuildError(f"{path.name} failed:\n{error}") from None
    finally:
        Path(trace_file).unlink(missing_ok=True)


def execute(path: Path):
    """Execute a notebook in a fresh kernel from the notebooks folder and return it, normalised, with its inputs."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)
    notebook.metadata.pop(INPUTS_KEY, None)
    if path.stem in {course_path.stem for course_path in course.notebook_paths()}:  # not a test's probe notebook
        with_navigation(notebook, path.stem)
    source = _cells_digest(notebook)
    trace = _run_traced(notebook, path)
    _untraced(notebook)
    noise = _noise(notebook, path.name)
    if noise:
        raise BuildError("\n".join(noise))
    normalise(notebook)
    notebook.metadata[INPUTS_KEY] = {"cells": source, "inputs": _inputs(trace, path)}
    return notebook


def _umask() -> int:
    """Return the process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_whole(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then an atomic rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, mode)  # mkstemp makes the file owner-only; keep the file's own permissions
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sweep_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files a killed build left beside the notebooks (``write_whole``'s) and return them."""
    stale = sorted(folder.glob(".*.ipynb.*.tmp"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def refresh(path: Path) -> bool:
    """Re-execute one notebook in place; return True if its file changed."""
    before = path.read_bytes()
    after = nbformat.writes(execute(path)) + "\n"
    if after.encode() == before:
        return False
    write_whole(path, after)
    return True


def stale_reasons(path: Path) -> list[str]:
    """Return why a notebook's stored outputs are out of date with its inputs (an empty list when current)."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except (ValueError, OSError) as error:  # a merge conflict or a truncated file is not JSON
        return [f"it cannot be read as a notebook ({type(error).__name__}: {str(error)[:80]})"]
    recorded = notebook.metadata.get(INPUTS_KEY)
    if not recorded:
        return ["it has no record of its inputs (never built by this build)"]
    if path.stem in {course_path.stem for course_path in course.notebook_paths()}:
        with_navigation(notebook, path.stem)
    reasons = [] if _cells_digest(notebook) == recorded["cells"] else ["its cells or the course menu changed"]
    for name, digest in recorded["inputs"].items():
        if _file_digest(_input_path(name)) != digest:
            reasons.append(f"{name} changed")
    return reasons


def _refresh_job(name: str) -> tuple[str, bool]:
    """Refresh one notebook by path (a worker's job) and return its name and whether it changed."""
    path = Path(name)
    return path.name, refresh(path)


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


def check(chosen: list[Path]) -> int:
    """Print every stale notebook and why; return 1 when some are stale, 0 when all are current."""
    stale = {path.name: stale_reasons(path) for path in chosen}
    stale = {name: reasons for name, reasons in stale.items() if reasons}
    for name, reasons in stale.items():
        print(f"{name} is stale: {'; '.join(reasons)}", file=sys.stderr)
    if (paths.repo_root() / "build").exists() and not outputs_current():
        stale["build/"] = ["written from older inputs"]
        print("build/ is stale: it was written from older inputs (run `make build`).", file=sys.stderr)
    if stale:
        print(f"Run `make build` to refresh {len(stale)} stale item(s).", file=sys.stderr)
        return 1
    print(f"All {len(chosen)} notebook(s) are current with their inputs"
          f"{', and so is build/' if (paths.repo_root() / 'build').exists() else ''}.")
    return 0


def _run(chosen: list[Path], jobs: int) -> list[str]:
    """Refresh notebooks, several at once when ``jobs`` > 1, and return the names of those that changed."""
    names = [str(path) for path in chosen]
    bar = tqdm(total=len(names), desc="Executing notebooks", unit="notebook")
    changed = []
    if jobs <= 1 or len(names) <= 1:
        for name in names:
            changed += [done for done, differs in [_refresh_job(name)] if differs]
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for done, differs in pool.map(_refresh_job, names):
                changed += [done] if differs else []
                bar.update()
    bar.close()
    return changed


def main(argv: list[str] | None = None) -> int:
    """Command line: validate data and banks, then check or refresh the notebooks named (all by default)."""
    parser = argparse.ArgumentParser(prog="python -m helpers.build", description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", action="store_true", help="re-execute notebooks whose inputs changed")
    parser.add_argument("--force", action="store_true", help="with --refresh: re-execute even current notebooks")
    parser.add_argument("--check", action="store_true", help="name stale notebooks without running anything")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks run at once (cores)")
    parser.add_argument("--outputs", action="store_true",
                        help="also write build/: learner and instructor editions, the site and the handouts")
    parser.add_argument("--class-exports", type=Path, help="a folder of learners' exports for the session plans")
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
    if args.check:
        return check(chosen)
    status = _refresh_stale(chosen, args.force, max(1, args.jobs)) if args.refresh else 0
    return _write_outputs(args.class_exports) if status == 0 and args.outputs else status


OUTPUTS_RECORD = ".inputs"
"""The file in build/ that records the digest of everything build/ was written from."""


def outputs_digest(exports: Path | None = None) -> str:
    """Return one hash of everything build/ is written from: notebooks, data, helpers and the class's exports."""
    root = paths.repo_root()
    files = [*sorted((root / "notebooks").glob("*.ipynb")), *sorted(paths.data_dir().rglob("*")),
             *sorted((root / "helpers").rglob("*.py")), *sorted((root / "helpers" / "templates").rglob("*")),
             *sorted((root / "helpers" / "vendor").rglob("*")), *(sorted(exports.glob("*.csv")) if exports else [])]
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def outputs_current(exports: Path | None = None) -> bool:
    """Return True when build/ was written from exactly the current inputs."""
    record = paths.repo_root() / "build" / OUTPUTS_RECORD
    if not record.exists():
        return False
    digest, _, folder = record.read_text(encoding="utf-8").strip().partition(" ")
    exports = exports or (Path(folder) if folder else None)  # check with the exports the plans were written from
    return digest == outputs_digest(exports if exports is None or exports.is_dir() else None)


def _write_outputs(exports: Path | None) -> int:
    """Write everything under build/ (editions, site, handouts) and say how many files; return the exit status."""
    if exports is not None and not exports.is_dir():
        print(f"--class-exports: {exports} is not a folder of exported CSV files.", file=sys.stderr)
        return 1
    if outputs_current(exports):
        print("build/ is current with its inputs: nothing to write.")
        return 0
    out = paths.repo_root() / "build"
    (out / OUTPUTS_RECORD).unlink(missing_ok=True)  # an interrupted write is never taken for a current one
    for folder in ("learner", "instructor", "site", "slides", "handouts"):  # nothing old (a renamed notebook) stays
        shutil.rmtree(out / folder, ignore_errors=True)
    stages = [("editions", lambda: editions.write(exports=exports)), ("site, slides and handouts", publish.publish)]
    for name, make in tqdm(stages, desc="Writing build/", unit="stage"):
        try:
            written = make()
        except (progress.ReportError, OSError, subprocess.SubprocessError) as error:
            print(f"Writing the {name} stopped: {error}", file=sys.stderr)
            return 1
        print(f"{name}: {len(written)} file(s)")
    record = outputs_digest(exports) + (f" {exports.resolve()}" if exports else "")
    write_whole(out / OUTPUTS_RECORD, record + "\n")
    return 0


def _refresh_stale(chosen: list[Path], force: bool, jobs: int) -> int:
    """Re-execute the stale notebooks (all with ``force``), say why for each, and return the exit status."""
    for leftover in sweep_temporaries(paths.notebooks_dir()):
        print(f"Removed {leftover.name}, left by a build that was stopped part way.")
    reasons = {path: stale_reasons(path) for path in chosen}
    todo = chosen if force else [path for path in chosen if reasons[path]]
    for path in todo:
        print(f"{path.name}: {'; '.join(reasons[path]) or 'forced'}")
    try:
        changed = _run(todo, jobs)
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Refreshed {len(todo)} notebook(s), reused {len(chosen) - len(todo)}; "
          f"changed: {', '.join(changed) or 'none'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
