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
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from helpers import course, paths

MANIFEST = ".course-versions.json"
RETIRED = "retired"
"""Where a working copy goes when its notebook leaves the course (it is moved, never deleted)."""
"""The file in the workspace that records which version of each course notebook each copy started from."""


@dataclass
class SyncReport:
    """What bringing the workspace up to date did, notebook by notebook."""

    folder: Path
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    retired: list = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Your workspace: {self.folder}"]
        if self.created:
            lines.append(f"  new: {', '.join(self.created)}")
        if self.updated:
            lines.append(f"  updated to the course's new version: {', '.join(self.updated)}")
        for mine, beside in self.kept:
            lines.append(f"  kept your edited {mine}; the course's new version is beside it as '{beside}'")
        if self.retired:
            lines.append(f"  no longer in the course, moved to {RETIRED}/: {', '.join(self.retired)}")
        if self.unchanged and not (self.created or self.updated or self.kept or self.retired):
            lines.append("  up to date")
        return "\n".join(lines)


def cells_digest(path: Path) -> str:
    """Return a hash of a notebook's cell types and sources (outputs, counts and metadata are ignored)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    digest = hashlib.sha256()
    for cell in cells:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        digest.update(f"{cell['cell_type']}\0{source}\0".encode())
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict:
    """Return the recorded course version of each copy ({} for a new or unreadable manifest)."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def _write_manifest(folder: Path, recorded: dict) -> None:
    """Write the manifest atomically, so an interrupted sync never leaves half a file."""
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".part", encoding="utf-8") as handle:
        json.dump(recorded, handle, indent=1, sort_keys=True)
    os.replace(handle.name, folder / MANIFEST)


def _beside(mine: Path) -> Path:
    """Return a free name next to a learner's notebook for the course's new version of it."""
    stem = f"{mine.stem} (course update {date.today():%Y-%m-%d})"
    candidate, number = mine.with_name(f"{stem}.ipynb"), 2
    while candidate.exists():
        candidate, number = mine.with_name(f"{stem} {number}.ipynb"), number + 1
    return candidate


def _sync_one(source: Path, folder: Path, recorded: dict, report: SyncReport) -> None:
    """Bring one working copy up to date with its course notebook, recording what was done."""
    mine, now = folder / source.name, cells_digest(source)
    if not mine.exists():
        shutil.copyfile(source, mine)
        report.created.append(source.name)
    elif recorded.get(source.name) == now or cells_digest(mine) == now:
        report.unchanged.append(source.name)
    elif cells_digest(mine) == recorded.get(source.name):
        shutil.copyfile(source, mine)
        report.updated.append(source.name)
    else:
        beside = _beside(mine)
        shutil.copyfile(source, beside)
        report.kept.append((source.name, beside.name))
    recorded[source.name] = now


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
