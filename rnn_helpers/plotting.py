"""Figures for the notebooks. Every function takes ``ax=None``, draws one claim, and returns the axes.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common colour-vision
deficiencies. Figures stay PNG (the inline default): nbval skips images but compares text.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
COLORS: list[str] = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "black")]
"""The colour cycle, in order: use ``COLORS[i]`` for the i-th curve."""


def get_ax(ax: Axes | None = None, figsize: tuple[float, float] = (6.0, 3.5)) -> Axes:
    """``ax`` itself, or the axes of a new figure of size ``figsize``."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    ax.set_prop_cycle(color=COLORS)
    return ax


def plot_losses(losses: np.ndarray, ax: Axes | None = None, *, label: str | None = None, every: int = 1) -> Axes:
    """The loss against the iteration, on a log scale; ``every=100`` shows what sampling every 100 keeps.

    Parameters
    ----------
    losses : numpy.ndarray, shape (n_iters + 1,)
    every : int
        Plot only iterations 0, every, 2 every, ...
    """
    ax = get_ax(ax)
    iterations = np.arange(len(losses))[::every]
    ax.plot(iterations, losses[::every], label=label, marker="." if every > 1 else None)
    ax.set_yscale("log")
    ax.set_xlabel("iteration $k$")
    ax.set_ylabel("loss $L(w_k)$")
    if label is not None:
        ax.legend()
    return ax
