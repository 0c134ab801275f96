"""Authoring tools for the notebook series: navigation lines and in-place execution.

    python tools/notebooks.py nav      rewrite every notebook's navigation line from the file list
    python tools/notebooks.py check    exit 1 if a navigation line is out of date (the tests call this)
    python tools/notebooks.py execute  run every notebook top to bottom and save it with its outputs

The navigation line is the markdown cell that starts with NAV_MARKER; it is generated from the numbered
file names and the first heading of each notebook, so it cannot drift when a notebook is added or renamed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NAV_MARKER = "<!-- nav -->"
INDEX = "00_introduction.ipynb"


def notebook_paths(directory: Path = NOTEBOOK_DIR) -> list[Path]:
    """The numbered notebooks, in reading order."""
    return sorted(p for p in directory.glob("[0-9][0-9]_*.ipynb"))


def title(path: Path) -> str:
    """The text of the notebook's first level-1 heading."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^# (.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    raise ValueError(f"{path.name} has no '# Title' heading")


def nav_line(paths: list[Path], i: int) -> str:
    """previous | index | next, as markdown links."""
    parts = []
    if i > 0:
        parts.append(f"&larr; previous: [{title(paths[i - 1])}]({paths[i - 1].name})")
    if paths[i].name != INDEX:
        parts.append(f"[index]({INDEX})")
    if i + 1 < len(paths):
        parts.append(f"next: [{title(paths[i + 1])}]({paths[i + 1].name}) &rarr;")
    return NAV_MARKER + "\n" + " | ".join(parts)


def nav_cells(paths: list[Path]) -> dict[Path, str]:
    """The navigation cell's source that each notebook should have."""
    return {path: nav_line(paths, i) for i, path in enumerate(paths)}


def _nav_cell_index(nb: nbformat.NotebookNode, path: Path) -> int:
    for j, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith(NAV_MARKER):
            return j
    raise ValueError(f"{path.name} has no navigation cell (a markdown cell starting with {NAV_MARKER})")


def stale_nav(directory: Path = NOTEBOOK_DIR) -> list[str]:
    """Names of the notebooks whose navigation line differs from the generated one."""
    stale = []
    for path, source in nav_cells(notebook_paths(directory)).items():
        nb = nbformat.read(path, as_version=4)
        if nb.cells[_nav_cell_index(nb, path)].source != source:
            stale.append(path.name)
    return stale


def write_nav(directory: Path = NOTEBOOK_DIR) -> None:
    for path, source in nav_cells(notebook_paths(directory)).items():
        nb = nbformat.read(path, as_version=4)
        cell = nb.cells[_nav_cell_index(nb, path)]
        if cell.source != source:
            cell.source = source
            nbformat.write(nb, path)
            print(f"updated navigation of {path.name}")


def execute(paths: list[Path]) -> None:
    """Run each notebook in a fresh kernel, in its own folder, and save it with outputs and widget state."""
    from nbclient import NotebookClient

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        # store_widget_state (nbclient's default, stated because the series relies on it): the widgets' state goes
        # into metadata.widgets, so a reader who opens the notebook without running it sees sliders and figures.
        client = NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            store_widget_state=True,
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
        nbformat.write(nb, path)
        print(f"executed {path.name}")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "nav":
        write_nav()
    elif command == "check":
        stale = stale_nav()
        if stale:
            print("navigation out of date in: " + ", ".join(stale) + " (run `make nav`)")
            return 1
    elif command == "execute":
        chosen = [Path(a) for a in argv[2:]] or notebook_paths()
        execute(chosen)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
