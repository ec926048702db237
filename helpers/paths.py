"""Where the course's folders are, found from the installed package."""

import functools
import os
from pathlib import Path

DATA_DIR_VARIABLE = "CPT64612_DATA_DIR"
WORKSPACE_VARIABLE = "CPT64612_WORKSPACE"


@functools.cache
def repo_root() -> Path:
    """Return the repository folder that holds ``helpers/``, ``data/`` and ``notebooks/``."""
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Return the data folder, or the one named by ``$CPT64612_DATA_DIR`` (used by tests)."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else repo_root() / "data"


def notebooks_dir() -> Path:
    """Return the folder that holds the course notebooks."""
    return repo_root() / "notebooks"


def workspace_dir() -> Path:
    """Return the learner's folder of working copies (``workspace/``), or the one named by ``$CPT64612_WORKSPACE``."""
    override = os.environ.get(WORKSPACE_VARIABLE)
    return Path(override) if override else repo_root() / "workspace"


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
