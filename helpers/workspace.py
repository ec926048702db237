"""The learner's own copies of the notebooks, in ``workspace/`` (gitignored).

``notebooks/`` is the course's reference: nbval and the build compare against it, so a learner never works
in it. ``python -m helpers.workspace`` (run by ``make lab`` through ``helpers.launch``) brings the copies up to
date. Bringing the workspace up to date never loses a learner's work. A copy the learner has only run is replaced
when the course changes (outputs come back on the next run; answers live in the progress store). A copy whose
cells the learner edited is kept, and the new course version is written beside it.
"""

import argparse
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from helpers import course, paths

MANIFEST = ".course-versions.json"
"""The file in the workspace that records which version of each course notebook each copy started from."""
RETIRED = "retired"
"""Where a working copy goes when its notebook leaves the course (it is moved, never deleted)."""


@dataclass
class SyncReport:
    """What bringing the workspace up to date did, notebook by notebook."""

    folder: Path
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    retired: list = field(default_factory=list)
    replaced: list = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Your workspace: {self.folder}"]
        if self.created:
            lines.append(f"  new: {', '.join(self.created)}")
        if self.updated:
            lines.append(f"  updated to the course's new version: {', '.join(self.updated)}")
        for mine, beside in self.kept:
            lines.append(f"  kept your edited {mine}; the course's new version is beside it as '{beside}'")
        for mine, damaged in self.replaced:
            lines.append(f"  {mine} could not be read: it was kept as '{damaged}' and a fresh copy took its place")
        if self.retired:
            lines.append(f"  no longer in the course, moved to {RETIRED}/: {', '.join(self.retired)}")
        if self.unchanged and not (self.created or self.updated or self.kept or self.retired or self.replaced):
            lines.append("  up to date")
        return "\n".join(lines)


def file_digest(path: Path) -> str:
    """Return a hash of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cells_digest(path: Path) -> str | None:
    """Return a hash of a notebook's cell types and sources (outputs, counts and metadata are ignored).

    Returns None for a file that is not a readable notebook (a learner's copy damaged by a crash, say).
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None
    digest = hashlib.sha256()
    for cell in cells:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        digest.update(f"{cell['cell_type']}\0{source}\0".encode())
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict:
    """Return, per copy, the course version it was made from: {'cells': ..., 'file': ...} ({} if unreadable)."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    return {name: entry if isinstance(entry, dict) else {"cells": entry, "file": None}  # an older manifest
            for name, entry in recorded.items()}


def _write_manifest(folder: Path, recorded: dict) -> None:
    """Write the manifest atomically, so an interrupted sync never leaves half a file."""
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".part", encoding="utf-8") as handle:
        json.dump(recorded, handle, indent=1, sort_keys=True)
    os.replace(handle.name, folder / MANIFEST)


def _beside(mine: Path, why: str = "course update") -> Path:
    """Return a free name next to a learner's notebook, such as '04_x (course update 2026-12-01).ipynb'."""
    stem = f"{mine.stem} ({why} {date.today():%Y-%m-%d})"
    candidate, number = mine.with_name(f"{stem}.ipynb"), 2
    while candidate.exists():
        candidate, number = mine.with_name(f"{stem} {number}.ipynb"), number + 1
    return candidate


def _copy(source: Path, target: Path) -> None:
    """Copy a notebook through a temporary file, so an interrupted copy never leaves a broken notebook."""
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as handle:
        handle.write(source.read_bytes())
    os.replace(handle.name, target)


def _decision(mine: Path, was: dict, now: dict) -> str:
    """Return what to do with one working copy: create, same, damaged, update or beside.

    A copy still byte for byte as the course gave it follows any change (outputs and metadata too); a copy the
    learner only ran follows a change of the lesson's cells; a copy the learner edited is kept and the course's
    new version goes beside it; a copy that cannot be read is moved aside and a fresh one takes its place.
    """
    if not mine.exists():
        return "create"
    if file_digest(mine) == now["file"]:
        return "same"
    mine_cells = cells_digest(mine)
    if mine_cells is None:
        return "damaged"
    if was.get("file") == file_digest(mine) or (was.get("cells") not in (None, now["cells"])
                                                and mine_cells == was["cells"]):
        return "update"
    if was.get("cells") == now["cells"] or mine_cells == now["cells"]:
        return "same"  # the lesson's cells are as the copy has them: the learner ran it, or edited an unchanged lesson
    return "beside"


def _sync_one(source: Path, folder: Path, recorded: dict, report: SyncReport) -> None:
    """Bring one working copy up to date with its course notebook, recording what was done."""
    mine, now = folder / source.name, {"cells": cells_digest(source), "file": file_digest(source)}
    action = _decision(mine, recorded.get(source.name, {}), now)
    recorded[source.name] = now
    if action == "same":
        report.unchanged.append(source.name)
    elif action == "damaged":
        damaged = _beside(mine, "damaged")
        mine.replace(damaged)
        _copy(source, mine)
        report.replaced.append((source.name, damaged.name))
    elif action == "beside":
        beside = _beside(mine)
        _copy(source, beside)
        report.kept.append((source.name, beside.name))
    else:
        _copy(source, mine)
        (report.created if action == "create" else report.updated).append(source.name)


def _retire(folder: Path, recorded: dict, current: set[str], report: SyncReport) -> None:
    """Move copies of notebooks the course no longer has (a split or a rename) to retired/, keeping them."""
    for name in sorted(set(recorded) - current):
        copy = folder / name
        if copy.exists():
            (folder / RETIRED).mkdir(exist_ok=True)
            target = folder / RETIRED / name
            copy.replace(_beside(target) if target.exists() else target)
            report.retired.append(name)
        del recorded[name]


def sync(folder: Path | None = None) -> SyncReport:
    """Create or refresh the learner's working copies of the course notebooks, never losing an edit."""
    folder = folder or paths.workspace_dir()
    folder.mkdir(parents=True, exist_ok=True)
    recorded, report = _read_manifest(folder), SyncReport(folder)
    sources = course.notebook_paths()
    for source in sources:
        _sync_one(source, folder, recorded, report)
    _retire(folder, recorded, {source.name for source in sources}, report)
    _write_manifest(folder, recorded)
    return report


def main(argv: list[str] | None = None) -> int:
    """Create or refresh the learner's working copies (``python -m helpers.workspace``), and say what was done."""
    argparse.ArgumentParser(prog="python -m helpers.workspace", description=main.__doc__).parse_args(argv)
    try:
        print(sync())
    except OSError as error:
        print(f"Could not prepare your workspace: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
