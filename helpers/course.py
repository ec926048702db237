"""The course's shape, read from the notebooks themselves: titles, objectives, time and skeleton."""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import paths

NOTEBOOK_NAME = re.compile(r"^(\d{2})_[a-z0-9_]+\.ipynb$")
OBJECTIVE_ITEM = re.compile(r"^\s*[-*]\s+`([a-z0-9-]+)`\s*[:\u2014-]\s*(.+?)\s*$")
SKELETON = ("Learning objectives", "Recap", "Practice", "Your progress")
CITATION = re.compile(r"\[([a-z0-9][a-z0-9-]*[a-z0-9])\](?!\()")
"""A source id cited in markdown, such as [cms-pprrvu-2026] (not a [link](...))."""


@dataclass(frozen=True)
class Outline:
    """What a notebook declares about itself."""

    name: str
    number: int
    title: str
    minutes: int | None
    prerequisites: str
    objectives: dict[str, str]
    recap: dict[str, str]
    headings: tuple[str, ...]


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """Return the course notebooks (``NN_topic.ipynb``) in number order."""
    folder = folder or paths.notebooks_dir()
    return sorted(path for path in folder.glob("*.ipynb") if NOTEBOOK_NAME.match(path.name))


def notebook_path(name: str) -> Path:
    """Return the path of the notebook called ``name`` (with or without .ipynb)."""
    return paths.notebooks_dir() / f"{name.removesuffix('.ipynb')}.ipynb"


def markdown_cells(path: Path) -> list[str]:
    """Return the source of every markdown cell of a notebook (read as JSON: nbformat is slow to import)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


def _items_under(cells: list[str], heading: str) -> dict[str, str]:
    """Return the ``- `id`: text`` items listed under a level-two heading."""
    items, inside = {}, False
    for line in "\n".join(cells).splitlines():
        if line.startswith("## ") or line.startswith("# "):
            inside = line[3:].strip() == heading
            continue
        found = OBJECTIVE_ITEM.match(line) if inside else None
        if found:
            items[found.group(1)] = found.group(2)
    return items


def outline(path: Path) -> Outline:
    """Return the outline a notebook declares in its markdown."""
    cells = markdown_cells(path)
    text = "\n".join(cells)
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    minutes = re.search(r"\*\*Time:\*\*\s*about\s+(\d+)\s+minutes", text)
    prerequisites = re.search(r"\*\*Prerequisites:\*\*\s*([^\n]+)", text)
    headings = tuple(line[3:].strip() for line in text.splitlines() if line.startswith("## "))
    return Outline(
        name=path.stem, number=int(path.name[:2]), title=title,
        minutes=int(minutes.group(1)) if minutes else None,
        prerequisites=prerequisites.group(1).strip() if prerequisites else "",
        objectives=_items_under(cells, "Learning objectives"), recap=_items_under(cells, "Recap"),
        headings=headings,
    )


def objective_label(text: str, width: int = 72) -> str:
    """Return an objective as a short label: plain text, its first clause, cut at a word within ``width``."""
    words = re.split(r"[;:(]", plain(text), maxsplit=1)[0].strip().rstrip(".")
    if len(words) <= width:
        return words
    return words[:width].rsplit(" ", 1)[0].rstrip(",;: ") + "…"


def qualified(objective: str, notebook: str) -> tuple[str, str]:
    """Return (notebook, objective id) for an objective that may name another notebook, as '02_coding/edges'."""
    found = objective.split("/", 1)
    return (found[0], found[1]) if len(found) == 2 else (notebook, objective)


def objective_title(objective: str, notebook: str) -> str:
    """Return an objective's short label, prefixed with its notebook's title when it belongs to another one."""
    owner, key = qualified(objective, notebook)
    label = objective_label(objectives(owner).get(key, key), width=200)
    return label if owner == notebook else f"{short_title(owner)}: {label}"


def short_title(notebook: str) -> str:
    """Return a notebook's title up to its colon ('03 · Reimbursement')."""
    return outline(notebook_path(notebook)).title.split(":")[0].strip()


NAV_TOP, NAV_BOTTOM = "course-nav-top", "course-nav-bottom"
"""Tags of the two markdown cells the build writes into every notebook: the course menu and previous/next."""


def navigation(name: str) -> tuple[str, str]:
    """Return a notebook's course menu (top) and its previous/next links (bottom), as markdown."""
    names = [path.stem for path in notebook_paths()]
    if name not in names:
        raise ValueError(f"'{name}' is not a course notebook: {', '.join(names)}.")
    menu = " · ".join(f"**{short_title(other)}**" if other == name else f"[{short_title(other)}]({other}.ipynb)"
                      for other in names)
    here = names.index(name)
    steps = []
    if here > 0:
        steps.append(f"← Previous: [{short_title(names[here - 1])}]({names[here - 1]}.ipynb)")
    if here < len(names) - 1:
        steps.append(f"Next: [{short_title(names[here + 1])}]({names[here + 1]}.ipynb) →")
    return f"**The course:** {menu}", " · ".join(steps)


def citations(notebook: str) -> list[str]:
    """Return the source ids a notebook's markdown cites, in order of first use."""
    cited = (match for text in markdown_cells(notebook_path(notebook)) for match in CITATION.findall(text))
    return list(dict.fromkeys(cited))


def objectives(notebook: str) -> dict[str, str]:
    """Return the objectives the named notebook declares, by id."""
    return outline(notebook_path(notebook)).objectives


def plain(markdown: str) -> str:
    """Return markdown text without emphasis or code marks."""
    return re.sub(r"[*_`]", "", markdown)


def learning_path() -> pd.DataFrame:
    """Return one row per notebook present: number, title, minutes and objectives."""
    rows = []
    for path in notebook_paths():
        found = outline(path)
        rows.append({"#": f"{found.number:02d}", "notebook": path.name, "title": found.title,
                     "minutes": found.minutes, "before it": found.prerequisites,
                     "you will be able to": "; ".join(plain(text).rstrip(".") for text in found.objectives.values())})
    return pd.DataFrame(rows)


def skeleton_problems(path: Path) -> list[str]:
    """Return what is missing or out of place in a notebook's skeleton (an empty list when it is sound)."""
    found, problems = outline(path), []
    if not found.title:
        problems.append("no '# ' title")
    if found.minutes is None:
        problems.append("no '**Time:** about N minutes' line")
    missing = [heading for heading in SKELETON if heading not in found.headings]
    problems += [f"no '## {heading}' section" for heading in missing]
    if not missing:
        positions = [found.headings.index(heading) for heading in SKELETON]
        if positions != sorted(positions):
            problems.append(f"sections out of order: expected {' → '.join(SKELETON)}")
        if positions[1] - positions[0] < 2:
            problems.append("no body section between 'Learning objectives' and 'Recap'")
    if not found.objectives:
        problems.append("no objectives listed as '- `id`: text' under '## Learning objectives'")
    if set(found.recap) != set(found.objectives):
        problems.append(f"the recap's ids {sorted(found.recap)} do not mirror the objectives "
                        f"{sorted(found.objectives)}")
    return problems


def numbering_problems(folder: Path | None = None) -> list[str]:
    """Return gaps, duplicates and stray notebooks in the ``notebooks/`` folder."""
    folder = folder or paths.notebooks_dir()
    problems = [f"stray notebook {path.name}: name it NN_topic.ipynb"
                for path in sorted(folder.glob("*.ipynb")) if not NOTEBOOK_NAME.match(path.name)]
    numbers = [int(path.name[:2]) for path in notebook_paths(folder)]
    if numbers != list(range(len(numbers))):
        problems.append(f"notebooks are numbered {numbers}; expected 00 to {len(numbers) - 1:02d} without gaps")
    problems += [f"checkpoint folder {path.relative_to(folder)}" for path in folder.rglob(".ipynb_checkpoints")]
    return problems
