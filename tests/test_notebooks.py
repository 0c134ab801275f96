"""The notebooks as committed: navigation current, executed top to bottom, the python3 kernel, no errors.

nbval (run by `make test`) re-executes them and compares outputs; these checks catch what it cannot.
"""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_is_an_introduction():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_introduction.ipynb"


def test_navigation_lines_are_current():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "notebooks.py"), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_in_order_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code_cells = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert [c.execution_count for c in code_cells] == list(range(1, len(code_cells) + 1))
    for cell in code_cells:
        for output in cell.outputs:
            if output.output_type == "error":
                assert "raises-exception" in cell.metadata.get("tags", []), cell.source
            if output.output_type == "stream":
                assert output.name != "stderr" or "Warning" not in output.text, output.text


WIDGET_NOTEBOOKS = NOTEBOOKS + sorted((ROOT / "tests" / "browser" / "fixtures").glob("*.ipynb"))


@pytest.mark.parametrize("path", WIDGET_NOTEBOOKS, ids=lambda p: p.name)
def test_every_widget_shown_has_saved_state(path):
    """A reader who opens the notebook without running it sees each widget: its state is saved with the notebook."""
    nb = nbformat.read(path, as_version=4)
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                assert view["model_id"] in state, f"no saved state for the widget shown by:\n{cell.source}"
                model = state[view["model_id"]]
                children = [c.removeprefix("IPY_MODEL_") for c in model["state"].get("children", [])]
                assert all(c in state for c in children), f"a child widget has no saved state:\n{cell.source}"
