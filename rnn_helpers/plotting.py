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


# --- Notebook 06: curvature against 2/lr ------------------------------------------------------------------------


def plot_curvatures(
    steps: np.ndarray,
    curvatures: np.ndarray,
    lr: float,
    ax: Axes | None = None,
    *,
    sharpness_steps: np.ndarray | None = None,
    sharpness: np.ndarray | None = None,
) -> Axes:
    """The curvature c along each step (dots) and the sharpness at the iterates (crosses) against 2/lr (line).

    Parameters
    ----------
    steps, curvatures : numpy.ndarray, shape (M,)
        Step k and c_k of eq. (3), notebook 06; non-positive values are left out (log scale).
    lr : float
    sharpness_steps, sharpness : numpy.ndarray, shape (S,), optional
        Iterations k and lambda_max(w_k).
    """
    ax = get_ax(ax)
    keep = curvatures > 0
    ax.plot(steps[keep], curvatures[keep], ".", ms=3, color=OKABE_ITO["orange"], label="$c_k$ along the step")
    if sharpness is not None:
        ax.plot(sharpness_steps, sharpness, "x", ms=4, color=OKABE_ITO["blue"], label=r"$\lambda_{max}(w_k)$")
    ax.axhline(2 / lr, color=OKABE_ITO["black"], ls="--", lw=1, label=r"$2/\eta$")
    ax.set_yscale("log")
    ax.set_xlabel("iteration $k$")
    ax.set_ylabel("curvature")
    ax.legend(fontsize=8)
    return ax


def plot_flow_time(losses: np.ndarray, lrs: np.ndarray, ax: Axes | None = None, *, t_max: float | None = None) -> Axes:
    """The loss against the flow time t = lr * k, one curve per learning rate (log scale).

    Parameters
    ----------
    losses : numpy.ndarray, shape (K, n + 1) or a list of K arrays
        The loss of run k at iterations 0..n.
    lrs : numpy.ndarray, shape (K,)
    t_max : float, optional
        Right end of the time axis.
    """
    ax = get_ax(ax)
    for row, lr in zip(losses, lrs, strict=True):
        row = np.asarray(row)
        ax.plot(lr * np.arange(len(row)), row, lw=1, label=rf"$\eta$ = {lr:.3g}")
    ax.set_yscale("log")
    if t_max is not None:
        ax.set_xlim(0, t_max)
    ax.set_xlabel(r"flow time $t = \eta k$")
    ax.set_ylabel("loss")
    ax.legend(fontsize=8)
    return ax
