"""Measure how long the course takes to load, execute and test: a benchmark, never a test.

``python -m helpers.bench`` prints, in one run: the empty-notebook floor (starting a kernel and running
one empty cell), each notebook's execution and its kernel's peak memory after Run All, loading every table
in a fresh process, ``import helpers``, and with ``--tests`` the fast and the full test commands. Each
notebook is also shown above the floor.
Numbers vary with the machine and its load: compare runs on the same machine.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers import build, course, paths

LOAD_TABLES = "from helpers import data; [data.load(name) for name in data.TABLES]"
PEAK_MEMORY = "import resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
"""A last cell that prints the kernel's peak resident memory in MB (Linux reports ru_maxrss in KB)."""


def _seconds(action, repeat: int) -> float:
    """Return the median wall time of ``repeat`` runs of ``action``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _empty_notebook() -> None:
    """Start a kernel and run one empty cell, as the build does for a lesson."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    NotebookClient(notebook, timeout=120, kernel_name="python3", store_widget_state=False, record_timing=False,
                   extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()


def peak_memory(path) -> int:
    """Return the peak memory, in MB, of a kernel that ran the whole notebook (Run All), as a learner's would."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PEAK_MEMORY))
    NotebookClient(notebook, timeout=build.TIMEOUT_SECONDS, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}, store_widget_state=False, record_timing=False,
                   extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()
    return int(notebook.cells[-1].outputs[0]["text"])


def _python(code: str) -> None:
    """Run ``code`` in a fresh Python process, failing loudly if it fails."""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=paths.repo_root())


def _command(args: list[str]) -> None:
    """Run a command in the repository, failing loudly if it fails."""
    subprocess.run(args, check=True, cwd=paths.repo_root(), stdout=subprocess.DEVNULL)


def measurements(repeat: int, tests: bool) -> list[tuple[str, float]]:
    """Return (what, value) for every measurement, in the order they are printed (seconds, or MB for memory)."""
    found = [("empty notebook (floor)", _seconds(_empty_notebook, repeat))]
    with build.isolated_progress():
        for path in course.notebook_paths():
            found.append((f"notebook {path.stem}", _seconds(lambda chosen=path: build.execute(chosen), repeat)))
        for path in course.notebook_paths():
            found.append((f"peak MB, kernel of {path.stem}", float(peak_memory(path))))
    found.append(("python -c pass", _seconds(lambda: _python("pass"), repeat)))
    found.append(("import helpers", _seconds(lambda: _python("import helpers"), repeat)))
    found.append(("load every table, fresh process", _seconds(lambda: _python(LOAD_TABLES), repeat)))
    if tests:
        found.append(("make test-fast", _seconds(lambda: _command(["make", "test-fast"]), 1)))
        found.append(("make test (warm)", _seconds(lambda: _command(["make", "test"]), 1)))
    return found


def report(found: list[tuple[str, float]]) -> str:
    """Return the measurements as a table, notebooks also shown above the floor and as a ratio to it."""
    floor = found[0][1]
    lines = [f"{'measurement':<46} {'value':>8} {'above floor':>12} {'x floor':>8}"]
    for what, seconds in found:
        extra = f"{seconds - floor:>12.2f} {seconds / floor:>8.2f}" if what.startswith("notebook") else ""
        lines.append(f"{what:<46} {seconds:>8.2f} {extra}")
    return "\n".join(lines)


def _copy_repository(target: Path) -> Path:
    """Copy the repository (not its venv, build or workspace) so the build benchmark writes only there."""
    root = paths.repo_root().resolve()
    top = shutil.ignore_patterns(".venv", "build", "workspace*", ".git", ".pytest_cache")

    def skip(folder: str, names: list[str]) -> set[str]:
        """Leave out caches anywhere, and the venv, builds and workspaces at the top (not helpers/workspace.py)."""
        return {"__pycache__"} & set(names) | (set(top(folder, names)) if Path(folder).resolve() == root else set())

    shutil.copytree(paths.repo_root(), target, ignore=skip)
    return target


def _timed(args: list[str], where: Path) -> float:
    """Return the seconds one command takes in the copied repository (its helpers first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(where)}
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=where, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def build_measurements() -> list[tuple[str, float]]:
    """Return the build benchmark: the naive nbconvert baseline, a cold, a warm and a one-table build."""
    with tempfile.TemporaryDirectory() as folder:
        where = _copy_repository(Path(folder) / "course")
        python, out = sys.executable, Path(folder) / "naive"
        naive = sum(_timed([python, "-m", "jupyter", "nbconvert", "--execute", "--to", "html", "--output-dir",
                            str(out), str(path)], where) for path in sorted((where / "notebooks").glob("*.ipynb")))
        cold = _timed([python, "-m", "helpers.build", "--refresh", "--force", "--outputs"], where)
        warm = _timed([python, "-m", "helpers.build", "--refresh", "--outputs"], where)
        table = where / "data" / "muscles.csv"
        table.write_text(table.read_text(encoding="utf-8").replace("this reading is the course's own",
                                                                   "the course's own reading"), encoding="utf-8")
        one = _timed([python, "-m", "helpers.build", "--refresh", "--outputs"], where)
    return [("(a) naive: nbconvert --execute --to html, one by one", naive),
            ("(b) cold build: every notebook and every output", cold), ("(c) warm build, nothing changed", warm),
            ("(d) after touching one table (muscles)", one),
            ("b/a", cold / naive), ("c/a", warm / naive), ("d/a", one / naive)]


def main(argv: list[str] | None = None) -> int:
    """Command line: print the benchmark table."""
    parser = argparse.ArgumentParser(prog="python -m helpers.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is shown)")
    parser.add_argument("--tests", action="store_true", help="also time 'make test-fast' and a warm 'make test'")
    parser.add_argument("--build", action="store_true", help="time the build against the naive nbconvert baseline")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.build:
        print("\n".join(f"{what:<56} {value:>8.2f}" for what, value in build_measurements()))
        return 0
    print(report(measurements(args.repeat, args.tests)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
