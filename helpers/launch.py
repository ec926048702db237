"""How a learner opens the course: JupyterLab on their workspace, or the code-free Voilà view.

``python -m helpers.launch lab`` (``make lab``) brings ``workspace/`` up to date, then starts JupyterLab at the
repository root on ``workspace/00_start_here.ipynb``: the URL it prints opens that notebook, ``data/`` can be
opened, the course's source folders are hidden from the file browser, and nothing reaches the network (no
news, no update checks, a read-only extension manager). ``python -m helpers.launch voila`` (``make voila``)
serves every notebook of ``notebooks/`` code-free, with margins for readable lines, and shuts down kernels
that a closed tab left idle. Options after the command go to JupyterLab or Voilà (``--no-browser``,
``--port=8890``...).
"""

import argparse
import json
import os
import sys
from pathlib import Path

from helpers import paths, workspace

START = "00_start_here.ipynb"
HIDDEN = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "*.egg-info", "notebooks", "helpers", "tests",
          "jupyter", "conftest.py", "Makefile", "pyproject.toml", "environment.yml", "postBuild")
"""What the learner's file browser leaves out: the course's source and machinery (the defaults come first)."""
JUPYTER_FILES = Path(__file__).resolve().parent.parent / "jupyter"
"""The course's Jupyter files: the Lab overrides and the Voilà page template (``voila/templates/course``)."""
SETTINGS = JUPYTER_FILES / "overrides.json"
CULL_IDLE_SECONDS, CULL_EVERY_SECONDS = 600, 60
"""Voilà shuts down a page's kernel this long after its tab went quiet (a tab that closes cleanly stops it at once)."""


def install_lab_settings(prefix: Path | None = None) -> Path:
    """Add the course's JupyterLab overrides (no news, no update checks) to the environment's, and return where.

    Overrides already there for other plugins are kept; an unreadable file is replaced by the course's.
    """
    target = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    try:
        existing = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = {}
    merged = {**(existing if isinstance(existing, dict) else {}), **json.loads(SETTINGS.read_text(encoding="utf-8"))}
    if merged != existing:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return target


LOOPBACK_LAB = {"--ServerApp.ip=127.0.0.1": ("--ServerApp.ip", "--ip")}
"""JupyterLab listens on this computer only (it makes its own token), unless the user names an address."""
LOOPBACK_VOILA = {"--Voila.ip=127.0.0.1": ("--Voila.ip", "--ip"), "--token": ("--token", "--Voila.token")}
"""Voilà listens on this computer only and, like JupyterLab, asks for a token it makes and prints, unless told."""


def unless_given(defaults: dict, extra: list[str]) -> list[str]:
    """Return the default options whose setting the user's own options do not already give."""
    return [option for option, names in defaults.items()
            if not any(given.split("=")[0] in names for given in extra)]


def lab_arguments(folder: Path | None = None) -> list[str]:
    """Return the options JupyterLab needs: the repository as root, the start notebook as the URL it prints."""
    folder = (folder or paths.workspace_dir()).resolve()
    root = paths.repo_root()
    try:
        start = (folder / START).relative_to(root).as_posix()
    except ValueError:
        raise ValueError(f"The workspace {folder} must be inside the course folder {root}, "
                         "so that the data the lessons point to can be opened too.") from None
    return [f"--ServerApp.root_dir={root}", f"--LabApp.default_url=/lab/tree/{start}",
            "--LabApp.extension_manager=readonly",  # no look-ups on PyPI: the course needs no network
            *(f"--ContentsManager.hide_globs={pattern}" for pattern in HIDDEN)]


def voila_arguments() -> list[str]:
    """Return Voilà's options: every course notebook (read-only), the course's page, idle kernels shut down."""
    return [str(paths.notebooks_dir()), "--template=course",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={CULL_EVERY_SECONDS}"]


def voila_environment(environ: dict) -> dict:
    """Return the environment Voilà runs in: the course's template folder first on the Jupyter data path."""
    found = [str(JUPYTER_FILES), *filter(None, environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {**environ, "JUPYTER_PATH": os.pathsep.join(dict.fromkeys(found))}


def _lab(extra: list[str]) -> list[str]:
    """Bring the workspace up to date and return the JupyterLab command line."""
    arguments = lab_arguments()
    print(workspace.sync(), flush=True)
    install_lab_settings()
    return [sys.executable, "-m", "jupyter", "lab", *arguments, *unless_given(LOOPBACK_LAB, extra), *extra]


def main(argv: list[str] | None = None) -> int:
    """Start JupyterLab (``lab``) or Voilà (``voila``), or only install the Lab settings (``settings``)."""
    parser = argparse.ArgumentParser(prog="python -m helpers.launch", description=main.__doc__)
    parser.add_argument("command", choices=("lab", "voila", "settings"))
    options, extra = parser.parse_known_args(argv)
    try:
        if options.command == "settings":
            print(f"JupyterLab settings for the course: {install_lab_settings()}")
            return 0
        command = _lab(extra) if options.command == "lab" else [sys.executable, "-m", "voila", *voila_arguments(),
                                                                 *unless_given(LOOPBACK_VOILA, extra), *extra]
    except (OSError, ValueError) as error:
        print(f"Could not open the course: {error}", file=sys.stderr)
        return 1
    if options.command == "voila":
        os.execve(sys.executable, command, voila_environment(dict(os.environ)))
    os.execv(sys.executable, command)
    return 0  # not reached: execv replaces this process


if __name__ == "__main__":
    raise SystemExit(main())
