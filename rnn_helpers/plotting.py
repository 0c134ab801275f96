"""Figures for the notebooks. Every function takes ``ax=None``, draws one claim, and returns the axes.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common colour-vision
deficiencies. Figures stay PNG (the inline default): nbval skips images but compares text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator

if TYPE_CHECKING:  # for type hints only
    from .plateau import PlateauAnalysis
    from .training import TrainHistory

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


# Notebook 05: training runs, the learner's curve, the plateau.


def _diverged_label(history: TrainHistory) -> str:
    return f"diverged at iteration {history.diverged_at}"


def plot_history(history: TrainHistory, ax: Axes | None = None, *, every: int = 1, label: str | None = None) -> Axes:
    """A training run's loss curve (see ``plot_losses``); a diverged run ends in a cross labelled
    "diverged at iteration k".

    Parameters
    ----------
    history : TrainHistory
        From ``train_full_batch`` or ``SweepHistory.run(k)``.
    """
    ax = plot_losses(history.losses, ax, label=label, every=every)
    if history.diverged:
        last = int(np.flatnonzero(np.isfinite(history.losses))[-1])
        ax.plot([last], [history.losses[last]], "x", color=OKABE_ITO["vermillion"], markersize=10)
        ax.annotate(
            _diverged_label(history),
            (last, history.losses[last]),
            textcoords="offset points",
            xytext=(-8, 8),
            ha="right",
            color=OKABE_ITO["vermillion"],
        )
    return ax


def plot_learner_view(losses: np.ndarray, ax: Axes | None = None, *, every: int = 100) -> Axes:
    """The loss at every iteration (thin, grey) and what the learner saw: every ``every``-th value (dots)."""
    ax = get_ax(ax, figsize=(7.0, 3.5))
    ax.plot(np.arange(len(losses)), losses, color="0.75", linewidth=0.5, label="every iteration")
    plot_losses(losses, ax, label=f"every {every} iterations (what the learner saw)", every=every)
    return ax


class RunFigure:
    """One loss-curve figure whose curve is replaced run after run: each frame of a slider costs one redraw.

    Parameters
    ----------
    n_iters : int
        The runs' number of iterations; the x axis is 0..n_iters.
    ylim : (float, float)
        The fixed y range (log scale), the same for every run so that frames compare.
    every : int
        The cost is drawn at every iteration (thin) and, with dots, every ``every`` iterations.
    """

    def __init__(self, n_iters: int, ylim: tuple[float, float] = (1e-5, 1e3), every: int = 100) -> None:
        self.ax = get_ax(figsize=(6.4, 3.4))
        self.figure = self.ax.figure
        self.every = every
        (self.line,) = self.ax.plot(np.arange(n_iters + 1), np.full(n_iters + 1, np.nan), linewidth=0.6)
        (self.seen,) = self.ax.plot(
            np.arange(n_iters + 1)[::every],
            np.full(len(range(0, n_iters + 1, every)), np.nan),
            ".",
            color=COLORS[1],
            label=f"every {every} iterations",
        )
        (self.cross,) = self.ax.plot([], [], "x", color=OKABE_ITO["vermillion"], markersize=10)
        self.ax.set_yscale("log")
        self.ax.set_ylim(*ylim)
        self.ax.yaxis.set_major_locator(LogLocator(numticks=10))
        self.ax.yaxis.set_minor_locator(NullLocator())  # fewer tick labels: each frame draws faster
        self.ax.set_xlim(0, n_iters)
        self.ax.set_xlabel("iteration $k$")
        self.ax.set_ylabel("loss $L(w_k)$")
        self.ax.set_title("lr")  # reserves the title's room in the layout
        self.note = self.ax.text(0.98, 0.95, "", transform=self.ax.transAxes, ha="right", va="top")
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")  # the layout is fixed now: no frame recomputes it

    def draw(self, history: TrainHistory, title: str = "") -> Figure:
        """Show ``history``'s curve; the note says the final loss, or "diverged at iteration k"."""
        self.line.set_ydata(history.losses)
        self.seen.set_ydata(history.losses[:: self.every])
        if history.diverged:
            last = int(np.flatnonzero(np.isfinite(history.losses))[-1])
            self.cross.set_data([last], [history.losses[last]])
            self.note.set_text(_diverged_label(history))
            self.note.set_color(OKABE_ITO["vermillion"])
        else:
            self.cross.set_data([], [])
            self.note.set_text(f"final loss {history.losses[-1]:.2g}")
            self.note.set_color("black")
        self.ax.set_title(title)
        return self.figure


def plot_plateau(analysis: PlateauAnalysis, ax: Axes | None = None) -> Axes:
    """The loss against the plateau value 2 ln 2, and (right axis) how much the network remembers the first
    letter, with the onset of memory marked."""
    from .plateau import PLATEAU_LOSS

    ax = get_ax(ax, figsize=(7.0, 3.5))
    ax.plot(analysis.iterations, analysis.losses, color=COLORS[0], label="loss $L(w_k)$")
    ax.axhline(PLATEAU_LOSS, color="0.4", linestyle=":", label=r"$2 \ln 2$")
    ax.set_yscale("log")
    ax.set_xlabel("iteration $k$")
    ax.set_ylabel("loss $L(w_k)$")
    right = ax.twinx()
    right.plot(analysis.iterations, analysis.memory, color=COLORS[1], label="memory of the first letter")
    right.set_ylim(-0.05, 1.05)
    right.set_ylabel(r"$p(g \mid d\,o) - p(g \mid g\,o)$")
    if analysis.memory_onset is not None:
        ax.axvline(analysis.memory_onset, color=COLORS[2], linestyle="--", label="memory starts")
    lines = ax.get_lines() + right.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="center right")
    return ax


def plot_hidden_states(
    hidden: np.ndarray, words: tuple[str, ...], axes: np.ndarray | None = None, title: str = ""
) -> np.ndarray:
    """Heat maps of the hidden states h_0..h_T (columns) of each word, unit by unit (rows), on [-1, 1].

    Parameters
    ----------
    hidden : numpy.ndarray, shape (T + 1, N, H)
        ``forward(params, inputs).h``.
    words : tuple of str
        The N words (the column labels are their letters).
    axes : sequence of N Axes, optional

    Returns
    -------
    numpy.ndarray of Axes
    """
    n_words = hidden.shape[1]
    if axes is None:
        _, axes = plt.subplots(1, n_words, figsize=(2.4 * n_words + 1.0, 2.8), layout="constrained", sharey=True)
    axes = np.atleast_1d(axes)
    for n, ax in enumerate(axes):
        image = ax.imshow(hidden[:, n, :].T, cmap="PuOr", vmin=-1, vmax=1, aspect="auto")
        ax.set_xticks(range(hidden.shape[0]), ["$h_0$"] + [f"after {c}" for c in words[n][:-1]], fontsize=8)
        ax.set_title(f"{title}{words[n]}")
    axes[0].set_ylabel("hidden unit")
    axes[0].figure.colorbar(image, ax=list(axes), shrink=0.8, label="$h_t$")
    return axes
