"""Where the course's folders are, found from the installed package.

In a checkout of the course (an editable install, `make lab`) the folders are the repository's own: ``data/``,
``notebooks/``, ``workspace/``. Installed from the wheel, the data and notebooks travel inside the package
(``helpers/course_data``, ``helpers/course_notebooks``, found through importlib.resources) and the learner's
workspace is a ``workspace`` folder beside the notebook being run.
"""

import functools
import importlib.resources
import os
from pathlib import Path

DATA_DIR_VARIABLE = "CPT64612_DATA_DIR"
WORKSPACE_VARIABLE = "CPT64612_WORKSPACE"


@functools.cache
def repo_root() -> Path:
    """Return the repository folder that holds ``helpers/``, ``data/`` and ``notebooks/``."""
    return Path(__file__).resolve().parent.parent


@functools.cache
def in_checkout() -> bool:
    """Return True when the helpers run from a checkout of the course (its pyproject.toml and data/ beside them)."""
    return (repo_root() / "pyproject.toml").is_file() and (repo_root() / "data").is_dir()


def packaged(name: str) -> Path:
    """Return a folder the wheel packs inside the helpers package (course_data, course_notebooks)."""
    return Path(str(importlib.resources.files("helpers").joinpath(name)))


def data_dir() -> Path:
    """Return the data folder, or the one named by ``$CPT64612_DATA_DIR`` (used by tests)."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override)
    return repo_root() / "data" if in_checkout() else packaged("course_data")


def notebooks_dir() -> Path:
    """Return the folder that holds the course notebooks."""
    return repo_root() / "notebooks" if in_checkout() else packaged("course_notebooks")


def workspace_dir() -> Path:
    """Return the learner's folder of working copies (``workspace/``), or the one named by ``$CPT64612_WORKSPACE``."""
    override = os.environ.get(WORKSPACE_VARIABLE)
    if override:
        return Path(override).expanduser()  # a hub's configuration may write ~/workspace
    return repo_root() / "workspace" if in_checkout() else Path.cwd() / "workspace"


def exports_dir() -> Path:
    """Return the folder progress exports are written to (``workspace/exports``), never a course folder."""
    return workspace_dir() / "exports"


def quizzes_dir() -> Path:
    """Return the folder that holds one quiz bank per notebook."""
    return data_dir() / "quizzes"


def shown(path: Path) -> str:
    """Return ``path`` as a message should name it: relative to the repository, never absolute."""
    try:
        return path.resolve().relative_to(repo_root()).as_posix()
    except ValueError:
        return f"{path.parent.name}/{path.name}"
