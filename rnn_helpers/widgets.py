"""Sliders whose figure answers at once: every frame is drawn up front, the slider only swaps images.

Redrawing an inline matplotlib figure on every slider move takes a few hundred milliseconds. Here the
figure for every slider position is rendered to PNG once, when the widget is built; moving a slider sets
the ``Image`` widget's value to a ready PNG, which takes a few milliseconds. Because the current frame is
part of the widget state saved with the notebook, a reader without a running kernel still sees the sliders
and the figure.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """The PNG bytes of ``fig`` (the figure is left open)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _slider(name: str, values: Sequence[Any], value: Any, fmt: Callable[[Any], str]) -> widgets.SelectionSlider:
    options = [(fmt(v), i) for i, v in enumerate(values)]
    return widgets.SelectionSlider(
        options=options,
        value=list(values).index(value),
        description=name,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="480px"),
    )


def frame_slider(
    draw: Callable[..., Figure],
    controls: dict[str, Sequence[Any]],
    defaults: dict[str, Any] | None = None,
    formats: dict[str, Callable[[Any], str]] | None = None,
    dpi: int = 80,
) -> widgets.VBox:
    """Sliders over a grid of values and the figure that ``draw`` makes for the chosen values.

    Parameters
    ----------
    draw : callable
        ``draw(**values) -> matplotlib Figure`` for one value of each control; called once per grid point
        while the widget is built. It may return a new figure each time (each is closed once rendered) or,
        faster, keep one figure and update its artists (``line.set_ydata``) before returning it.
    controls : dict of str to sequence
        The slider name (also ``draw``'s keyword) and its values, e.g. ``{"lr": lrs, "seed": [0, 1, 2]}``.
    defaults : dict, optional
        The starting value of each slider (default: the first value).
    formats : dict of str to callable, optional
        How a value is shown beside its slider (default ``str``).
    dpi : int
        Resolution of the frames.

    Returns
    -------
    ipywidgets.VBox
        The sliders, then the figure. ``.frames`` maps each tuple of slider indices to its PNG bytes.
    """
    if not controls:
        raise ValueError("controls must name at least one slider, e.g. {'lr': [0.01, 0.1, 1.0]}")
    defaults, formats = dict(defaults or {}), dict(formats or {})
    unknown = set(defaults) - set(controls)
    if unknown:
        raise ValueError(f"defaults name unknown controls {sorted(unknown)}; the controls are {list(controls)}")
    names = list(controls)
    frames: dict[tuple[int, ...], bytes] = {}
    previous = None
    for indices in itertools.product(*(range(len(controls[n])) for n in names)):
        fig = draw(**{n: controls[n][i] for n, i in zip(names, indices, strict=True)})
        frames[indices] = figure_png(fig, dpi)
        if previous is not None and previous is not fig:
            plt.close(previous)
        previous = fig
    plt.close(previous)
    sliders = [_slider(n, controls[n], defaults.get(n, controls[n][0]), formats.get(n, str)) for n in names]
    image = widgets.Image(value=frames[tuple(s.value for s in sliders)], format="png")

    def show(_change: object = None) -> None:
        image.value = frames[tuple(s.value for s in sliders)]

    for slider in sliders:
        slider.observe(show, names="value")
    # flex-start: the figure keeps its own size; the default (stretch) scales it up to the page width, blurred.
    box = widgets.VBox([*sliders, image], layout=widgets.Layout(align_items="flex-start"))
    box.frames = frames
    return box
