"""The notebooks as readers meet them: JupyterLab in headless Chromium (`make test-browser`).

For every notebook of the series (and the fixtures in tests/browser/fixtures/): open it, clear the outputs, run all
cells, and check what the page shows: no error, every figure drawn, every slider moves its figure (timed), one
screenshot. Then open a notebook with sliders WITHOUT running it: its saved widget state must show the slider and
the figure once the notebook is trusted, as `make lab` does.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from . import jupyterlab as jl
from .conftest import ROOT, SCREENSHOTS, SERIES, SLIDER_BOUND_MS, notebook_files, served_path

NOTEBOOKS = notebook_files()
# The README shows docs/screenshots/slider.png: the first notebook with a slider (the series first, then fixtures).
SHOWCASE = next((p for p in NOTEBOOKS if jl.expected(p).sliders), None)
STDERR_PROBLEM = re.compile(r"Traceback|Error|Warning")


def open_and_run(page: Any, server: jl.LabServer, path: Path) -> tuple[float, float, bool]:
    """Open and run the notebook; on a first failure (a timeout, a dead kernel) start over once in a new kernel."""
    for attempt in (1, 2):
        try:
            open_s = jl.open_notebook(page, server, served_path(path), workspace=f"{path.stem}-{attempt}")
            return open_s, jl.clear_and_run_all(page), attempt > 1
        except PlaywrightError:
            if attempt == 2:
                raise
            server.shut_down_sessions()


def check_outputs(page: Any, path: Path, want: jl.Expected) -> int:
    """Ran top to bottom in a fresh kernel; no error (unless tagged raises-exception); every figure drawn."""
    code = [c for c in jl.cells(page) if c["source"].strip()]
    for cell in code:
        for out in cell["outputs"]:
            where = f"{path.name}, cell {cell['index']}:\n{cell['source'][:200]}"
            if out["type"] == "error":
                assert "raises-exception" in cell["tags"], f"{out['error']} in {where}"
            if out["type"] == "stream" and out["name"] == "stderr":
                assert not STDERR_PROBLEM.search(out["text"]), f"stderr {out['text'][:300]!r} in {where}"
    assert [c["count"] for c in code] == list(range(1, want.code_cells + 1)), "cells did not all run, in order"
    mimes = [m for c in code for out in c["outputs"] for m in out["mimes"]]
    assert mimes.count("image/png") == want.figures, "a different number of figures than the committed notebook"
    assert mimes.count(jl.WIDGET_VIEW) == want.widget_views, "a different number of widgets than committed"
    assert "Error displaying widget" not in page.inner_text(".jp-NotebookPanel .jp-Notebook")
    shown = jl.images(page)
    on_page = sum(not img["widget"] for img in shown)
    assert on_page == want.figures, f"{on_page} figures on the page, {want.figures} in the committed notebook"
    blank = [img for img in shown if not (img["complete"] and img["width"] > 0 and img["height"] > 0)]
    assert not blank, f"{len(blank)} image(s) not drawn: {blank}"
    return want.figures + sum(img["widget"] for img in shown)


def check_sliders(page: Any, path: Path, want: jl.Expected) -> list[dict[str, float]]:
    """Each slider, moved one step with the keyboard and back, swaps its figure to a new one and back again."""
    handles = jl.slider_handles(page)
    assert handles.count() == want.sliders, "a different number of sliders than the committed widget state"
    moves = []
    for k in range(handles.count()):
        handle = handles.nth(k)
        handle.scroll_into_view_if_needed()
        image = jl.partner_image(handle.element_handle())
        assert image is not None, f"slider {k} of {path.name} has no Image beside it (use rnn_helpers.frame_slider)"
        size = image.evaluate("img => [img.getBoundingClientRect().width, img.naturalWidth]")
        assert size[0] <= size[1] + 1, f"slider {k}'s figure is scaled up from {size[1]} to {size[0]:.0f} px"
        now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        there, back = ("ArrowRight", "ArrowLeft") if now < top else ("ArrowLeft", "ArrowRight")
        before = jl.image_digest(image)
        for key, wanted_value in ((there, now + 1 if now < top else now - 1), (back, now)):
            times = jl.move_slider(page, handle, key)
            assert float(handle.get_attribute("aria-valuenow")) == wanted_value
            assert times["decoded_ms"] < SLIDER_BOUND_MS, f"slider {k}: figure changed after {times}"
            moves.append(times)
            digest = jl.image_digest(image)
            assert (digest == before) == (key == back), f"slider {k} ({key}): the figure did not follow the slider"
    return moves


def screenshot(page: Any, path: Path) -> Path:
    """The first slider's cell (else the first figure's, else the first cell) at the top of the viewport."""
    target = SCREENSHOTS[path.parent] / f"{path.stem}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    for selector in (".jp-Cell:has(.widget-slider)", ".jp-Cell:has(.jp-OutputArea-output img)", ".jp-Cell"):
        found = page.locator(f".jp-NotebookPanel {selector}")
        if found.count():
            found.first.evaluate("cell => cell.scrollIntoView({block: 'start'})")
            break
    page.wait_for_function(jl.IMAGES_SETTLED)
    page.screenshot(path=str(target), animations="disabled")
    return target


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_jupyterlab(page, server, record, path):
    want = jl.expected(path)
    open_s, run_s, retried = open_and_run(page, server, path)
    figures = check_outputs(page, path, want)
    moves = check_sliders(page, path, want)
    shot = screenshot(page, path)
    if path == SHOWCASE:
        SCREENSHOTS[SERIES].mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOTS[SERIES] / "slider.png")
    record(
        {
            "notebook": path.name,
            "open_s": open_s,
            "run_s": run_s,
            "figures": figures,
            "sliders": want.sliders,
            "moves": moves,
            "retried": retried,
            "screenshot": shot.relative_to(ROOT),
        }
    )


def test_the_series_is_covered():
    """Discovery works: every notebook of the series and at least one slider fixture are in the run."""
    names = [p.name for p in NOTEBOOKS]
    assert "00_introduction.ipynb" in names
    assert SHOWCASE is not None, "no notebook with a slider: the slider checks never run"


def saved_slider_notebook() -> Path:
    """The first notebook (series first, then fixtures) whose saved widget state holds a slider and an image."""
    for path in NOTEBOOKS:
        want = jl.expected(path)
        if want.sliders and want.saved_image:
            return path
    raise AssertionError("no committed notebook carries a saved slider and image (tools/notebooks.py execute)")


def test_saved_widgets_show_without_running_once_trusted(page, server):
    """Open without running: untrusted, JupyterLab shows only text; trusted (`make lab`), the slider and figure."""
    source = saved_slider_notebook()
    copy = server.root / "saved_state" / source.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(source, copy)  # a fresh copy: never opened, never run, not signed
    want = jl.expected(source)
    relpath = f"saved_state/{source.name}"

    jl.open_notebook(page, server, relpath, workspace="untrusted")
    page.wait_for_function("() => document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output').length > 0")
    assert page.locator(".jp-NotebookPanel .widget-slider").count() == 0, (
        "JupyterLab now draws saved widgets in untrusted notebooks: `make lab` no longer needs `jupyter trust`"
    )
    server.shut_down_sessions()

    server.trust([copy])
    jl.open_notebook(page, server, relpath, workspace="trusted")
    image = page.locator(".jp-NotebookPanel .jp-OutputArea-output img.widget-image").first
    image.wait_for(state="attached", timeout=30_000)
    page.wait_for_function(jl.IMAGES_SETTLED)
    assert page.locator(".jp-NotebookPanel .widget-slider").count() == want.sliders
    assert image.evaluate("img => img.naturalWidth") > 0
    assert jl.image_digest(image.element_handle()) == jl.sha256(want.saved_image), "not the saved figure"
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty") is False, "it ran"
