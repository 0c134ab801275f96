"""Figures for the notebooks. Every function takes ``ax=None``, draws one claim, and returns the axes.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common colour-vision
deficiencies. Figures stay PNG (the inline default): nbval skips images but compares text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.ticker import LogLocator, NullLocator

from .encoding import ALPHABET, one_hot
from .gradcheck import RIGHT_BELOW, WRONG_ABOVE, GradCheckReport, verdict

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
    if not ax.lines:  # set the palette once: resetting it on every call would draw every curve in one colour
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


# --- Notebooks 01-04: one-hot words, the unrolled network, floors, gradients and their checks --------------------

VERDICT_COLORS: dict[str, str] = {
    "right": OKABE_ITO["green"],
    "suspicious": OKABE_ITO["orange"],
    "wrong": OKABE_ITO["vermillion"],
}
"""The colour of each verdict of ``gradcheck.verdict``."""


def _box(ax: Axes, xy: tuple[float, float], text: str, color: str, *, size: tuple[float, float] = (0.56, 0.4)) -> None:
    """A rounded box centred at ``xy`` with ``text`` inside."""
    (x, y), (w, h) = xy, size
    patch = FancyBboxPatch(
        (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.04", facecolor=color, edgecolor="black", linewidth=1.0
    )
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], color: str, **kwargs: object) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color, lw=1.4, **kwargs))


def plot_one_hot(word: str, alphabet: str = ALPHABET, ax: Axes | None = None, *, shift: bool = True) -> Axes:
    """A word as its one-hot matrix (eq. (1), notebook 01): one row per letter, a filled cell where the 1 is.

    Parameters
    ----------
    word : str
        Letters of ``alphabet``, at least 2 when ``shift`` is True.
    alphabet : str
        The column order.
    shift : bool
        Bracket the rows that are the inputs x_1..x_T (all but the last letter) and the targets y_1..y_T
        (all but the first).

    Returns
    -------
    matplotlib.axes.Axes
    """
    matrix = one_hot(word, alphabet)  # checks the word and the alphabet
    if shift and len(word) < 2:
        raise ValueError(f"shift=True needs a word of at least 2 letters (an input and a target), got {word!r}")
    n_rows, n_cols = matrix.shape
    ax = get_ax(ax, figsize=(0.6 * n_cols + 2.4, 0.6 * n_rows + 1.0))
    for i in range(n_rows):
        for j in range(n_cols):
            on = matrix[i, j] == 1.0
            ax.add_patch(
                Rectangle((j, i), 1, 1, facecolor=OKABE_ITO["blue"] if on else "#F2F2F2", edgecolor="white", lw=2)
            )
            ax.text(j + 0.5, i + 0.5, "1" if on else "0", ha="center", va="center", color="white" if on else "0.55")
    ax.set_xlim(0, n_cols + (2.6 if shift else 0.1))
    ax.set_ylim(n_rows, 0)
    ax.set_xticks(np.arange(n_cols) + 0.5, list(alphabet))
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(n_rows) + 0.5, [f"'{c}'" for c in word])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_aspect("equal")
    ax.set_title(f'"{word}"', fontsize=11)
    if shift:
        for k, (first, last, label, color) in enumerate(
            [(0, n_rows - 1, "inputs $x_t$", OKABE_ITO["blue"]), (1, n_rows, "targets $y_t$", OKABE_ITO["orange"])]
        ):
            x = n_cols + 0.25 + 1.2 * k
            ax.plot([x, x + 0.15, x + 0.15, x], [first + 0.1, first + 0.1, last - 0.1, last - 0.1], color=color, lw=2)
            ax.text(x + 0.3, (first + last) / 2, label, rotation=90, va="center", ha="left", color=color)
    return ax


def plot_unrolled_rnn(word: str, ax: Axes | None = None, *, backward: bool = False) -> Axes:
    """The network unrolled over ``word``: inputs x_t, hidden states h_t, predictions p_t, targets y_t.

    Forward arrows (black) follow eqs. (2)-(5) of notebook 02: the same W_xh, W_hh and W_hy at every step.
    With ``backward=True`` the error signals of notebook 03 are drawn too (vermillion): each h_t hears from
    its own prediction (W_hy^T dz_t) and from the next step (W_hh^T da_{t+1}), eq. (10).

    Parameters
    ----------
    word : str
        At least 2 letters; the network reads all but the last.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(word, str) or len(word) < 2:
        raise ValueError(f"word must be a str of at least 2 letters (an input and a target), got {word!r}")
    T = len(word) - 1
    ax = get_ax(ax, figsize=(2.0 * T + 2.2, 4.4 if backward else 4.0))
    back = OKABE_ITO["vermillion"]
    _box(ax, (0, 1), "$h_0 = 0$", "#F2F2F2", size=(0.8, 0.4))
    for t in range(1, T + 1):
        _box(ax, (t * 1.6, 0), f"$x_{t}$: '{word[t - 1]}'", "#DCEBF7")
        _box(ax, (t * 1.6, 1), f"$h_{t}$", "#D9F0E7")
        _box(ax, (t * 1.6, 2), f"$p_{t}$", "#FBE5CC")
        ax.text(t * 1.6, 2.55, f"target $y_{t}$ = '{word[t]}'", ha="center", va="bottom", fontsize=10)
        _arrow(ax, (t * 1.6, 0.22), (t * 1.6, 0.78), "black")
        ax.text(t * 1.6 + 0.05, 0.5, "$W_{xh}$", fontsize=9, va="center", ha="left")
        _arrow(ax, (t * 1.6, 1.22), (t * 1.6, 1.78), "black")
        ax.text(t * 1.6 + 0.05, 1.5, "$W_{hy}$", fontsize=9, va="center", ha="left")
        left = (t - 1) * 1.6 + (0.42 if t == 1 else 0.3)
        _arrow(ax, (left, 1.05), (t * 1.6 - 0.3, 1.05), "black")
        ax.text((left + t * 1.6 - 0.3) / 2, 1.12, "$W_{hh}$", fontsize=9, ha="center", va="bottom")
        if backward:
            _arrow(ax, (t * 1.6 - 0.12, 1.78), (t * 1.6 - 0.12, 1.22), back)
            ax.text(t * 1.6 - 0.17, 1.5, rf"$W_{{hy}}^\top\delta^z_{t}$", color=back, fontsize=9, ha="right")
            if t < T:
                _arrow(ax, ((t + 1) * 1.6 - 0.3, 0.93), (t * 1.6 + 0.3, 0.93), back)
                ax.text(
                    t * 1.6 + 0.8,
                    0.86,
                    rf"$W_{{hh}}^\top\delta^a_{t + 1}$",
                    color=back,
                    fontsize=9,
                    ha="center",
                    va="top",
                )
    ax.set_xlim(-0.6, T * 1.6 + 0.8)
    ax.set_ylim(-0.4, 3.0)
    ax.set_aspect("equal")
    ax.axis("off")
    what = "forward (black) and the errors flowing back (vermillion)" if backward else "the same weights at every step"
    ax.set_title(f'The network unrolled over "{word}": {what}', fontsize=10)
    return ax


def plot_loss_floors(
    floors: Mapping[str, float], ax: Axes | None = None, *, marks: Mapping[str, float] | None = None
) -> Axes:
    """The smallest loss each kind of memory allows, as bars, with reference losses as vertical lines.

    Parameters
    ----------
    floors : mapping of label to float
        E.g. ``{"current letter (bigram)": 4.16, ...}``, drawn top to bottom in the given order.
    marks : mapping of label to float, optional
        Losses to compare with, e.g. the untrained network's, drawn as dashed vertical lines.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not floors:
        raise ValueError("floors must hold at least one (label, loss) pair")
    labels, values = list(floors), np.array([float(v) for v in floors.values()])
    if not np.all(np.isfinite(values) & (values >= 0)):
        raise ValueError(f"every floor must be a finite loss >= 0, got {values.tolist()}")
    ax = get_ax(ax, figsize=(7.0, 0.55 * len(labels) + 1.6))
    y = np.arange(len(labels))
    ax.barh(y, values, color=OKABE_ITO["sky_blue"], edgecolor="black", height=0.6)
    inside = 0.2 * values.max()  # a label fits inside bars longer than this; shorter bars get it outside
    for yi, v in zip(y, values, strict=True):
        x, ha = (v - 0.08, "right") if v > inside else (v + 0.08, "left")
        ax.text(x, yi, f"{v:.2f}", va="center", ha=ha, fontsize=10)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    for k, (label, value) in enumerate((marks or {}).items()):
        color = COLORS[(k + 1) % len(COLORS)]
        ax.axvline(value, color=color, ls=("--", ":", "-.")[k % 3], lw=1.8, label=f"{label}: {value:.2f}")
    right = max([*values, *(marks or {}).values()]) * 1.12 + 0.5
    ax.set_xlim(0, right)
    ax.set_xlabel(r"smallest summed loss $L_{\min}$ (nats)")
    if marks:  # below the axes, where it hides neither a bar nor a line
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(marks), fontsize=9, frameon=False)
    return ax


def plot_gradient_sum(
    parts: Mapping[str, np.ndarray],
    axes: Sequence[Axes] | None = None,
    *,
    name: str = "",
    row_labels: Sequence[str] | None = None,
) -> list:
    """Heat maps of gradients that add up, and their sum: part_1 + part_2 + ... = total.

    Parameters
    ----------
    parts : mapping of label to numpy.ndarray
        Arrays of one shape, 1-D or 2-D, e.g. ``{"dogs": g_dogs["W_hy"], "gods": g_gods["W_hy"]}``.
    axes : sequence of len(parts) + 1 axes, optional
    name : str
        The symbol of the gradient, for the titles, e.g. ``r"\\partial L / \\partial W_{hy}"``.
    row_labels : sequence of str, optional
        A label per row, shown left of the first panel (e.g. the letters, for the rows of W_hy).

    Returns
    -------
    list of matplotlib.axes.Axes
        One per part, then the sum's.
    """
    if not parts:
        raise ValueError("parts must hold at least one (label, array) pair")
    arrays = [np.atleast_2d(np.asarray(a, dtype=np.float64)) for a in parts.values()]
    if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 2:
        raise ValueError(f"the parts must be 1-D or 2-D arrays of one shape, got {[a.shape for a in arrays]}")
    total = np.sum(arrays, axis=0)
    panels = [*zip(parts, arrays, strict=True), ("sum", total)]
    if axes is None:
        rows, cols = arrays[0].shape
        fig, axes = plt.subplots(
            1, len(panels), figsize=(2.4 * len(panels) + 1.0, 0.3 * rows + 1.3), layout="constrained"
        )
    axes = list(np.ravel(axes))
    if len(axes) != len(panels):
        raise ValueError(f"axes must hold {len(panels)} axes (one per part and one for the sum), got {len(axes)}")
    limit = max(float(np.abs(a).max()) for _, a in panels) or 1.0
    for k, (ax, (label, array)) in enumerate(zip(axes, panels, strict=True)):
        image = ax.imshow(array, cmap="PuOr_r", vmin=-limit, vmax=limit)
        ax.set_title(f"{label}" if not name else f"${name}$: {label}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        if k < len(panels) - 1:
            sign = "=" if k == len(panels) - 2 else "+"
            ax.text(1.08, 0.5, sign, transform=ax.transAxes, fontsize=18, ha="center", va="center")
    if row_labels is not None:
        if len(row_labels) != arrays[0].shape[0]:
            raise ValueError(f"row_labels must hold {arrays[0].shape[0]} labels, one per row, got {len(row_labels)}")
        axes[0].set_yticks(np.arange(len(row_labels)), list(row_labels))
    axes[-1].figure.colorbar(image, ax=axes, shrink=0.8, aspect=10)
    return axes


def symbol(name: str) -> str:
    """The math-text symbol of a parameter name: "W_xh" -> "$W_{xh}$", "b_h" -> "$b_{h}$"."""
    base, _, sub = name.partition("_")
    return f"${base}_{{{sub}}}$" if sub else f"${base}$"


def _verdict_bands(ax: Axes, *, vertical: bool) -> None:
    """Shade, on a log axis whose limits are set, where a relative error means right, suspicious or wrong."""
    low_limit, high_limit = ax.get_xlim() if vertical else ax.get_ylim()
    edges = [low_limit, RIGHT_BELOW, WRONG_ABOVE, high_limit]
    for k, name in enumerate(("right", "suspicious", "wrong")):
        low, high = edges[k], edges[k + 1]
        span = ax.axvspan if vertical else ax.axhspan
        span(low, high, color=VERDICT_COLORS[name], alpha=0.12, lw=0, zorder=0)
        middle = np.sqrt(low * high)
        if vertical:
            ax.text(middle, 1.01, name, transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=9)
        else:
            ax.text(
                1.01, middle, name, transform=ax.get_yaxis_transform(), ha="left", va="center", fontsize=9, rotation=90
            )
    if vertical:
        ax.set_xlim(low_limit, high_limit)
    else:
        ax.set_ylim(low_limit, high_limit)


def plot_eps_sweep(
    eps: np.ndarray, errors: Mapping[str, np.ndarray], ax: Axes | None = None, *, bands: bool = True
) -> Axes:
    """The relative error of finite differences against the step eps, on log-log axes: the V of notebook 04.

    Parameters
    ----------
    eps : numpy.ndarray, shape (E,)
        The steps.
    errors : mapping of label to numpy.ndarray of shape (E,)
        E.g. ``finite_difference_errors`` for each scheme and dtype.
    bands : bool
        Shade the right / suspicious / wrong ranges of the error.

    Returns
    -------
    matplotlib.axes.Axes
    """
    eps = np.asarray(eps, dtype=np.float64)
    if eps.ndim != 1 or eps.size == 0 or not np.all(eps > 0):
        raise ValueError(f"eps must be a non-empty 1-D array of positive steps, got {eps!r}")
    if not errors:
        raise ValueError("errors must hold at least one (label, errors) pair")
    ax = get_ax(ax, figsize=(7.0, 4.2))
    for k, (label, values) in enumerate(errors.items()):
        values = np.asarray(values, dtype=np.float64)
        if values.shape != eps.shape:
            raise ValueError(f"errors[{label!r}] has shape {values.shape}, eps has shape {eps.shape}")
        style = "-" if "central" in label else "--"
        ax.loglog(eps, values, style, marker="o", ms=3.5, color=COLORS[k], label=label)
    ax.set_ylim(top=3.0)
    if bands:
        _verdict_bands(ax, vertical=False)
    ax.set_xlabel(
        r"finite-difference step $\epsilon$"
        + "\n"
        + r"$\leftarrow$ round-off error $\propto u\,L/\epsilon$"
        + " " * 24
        + r"truncation error $\propto \epsilon$ or $\epsilon^2$ $\rightarrow$"
    )
    ax.set_ylabel(r"relative error $\|g_{\mathrm{FD}} - g\| \,/\, (\|g_{\mathrm{FD}}\| + \|g\|)$")
    ax.legend(fontsize=9, loc="lower left")
    return ax


def plot_check_errors(errors: Mapping[str, float], ax: Axes | None = None) -> Axes:
    """Gradient-check errors as horizontal bars on a log axis, coloured by verdict, the verdict ranges shaded.

    Parameters
    ----------
    errors : mapping of label to float
        Norm-wise relative errors (in [0, 1]), e.g. one per bug of the zoo; drawn top to bottom.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not errors:
        raise ValueError("errors must hold at least one (label, error) pair")
    labels = list(errors)
    values = np.array([float(errors[k]) for k in labels])
    verdicts = [verdict(float(v)) for v in values]  # checks every value is a finite number >= 0
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(labels) + 1.4))
    y = np.arange(len(labels))
    shown = np.maximum(values, 1e-16)  # a log axis cannot show 0
    ax.barh(y, shown, left=1e-16, color=[VERDICT_COLORS[v] for v in verdicts], edgecolor="black", height=0.6)
    for yi, v, name in zip(y, values, verdicts, strict=True):
        ax.text(max(v, 1e-16) * 1.6, yi, f"{v:.1e}  {name}", va="center", fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(1e-14, 1e3)
    _verdict_bands(ax, vertical=True)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(r"norm-wise relative error, worst parameter: $\max_W \|a - n\| / (\|a\| + \|n\|)$")
    return ax


def plot_gradient_entries(report: GradCheckReport, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Every entry of every parameter: the analytic gradient against the finite-difference one.

    A right gradient puts every point on the diagonal; a bug moves the points of the parameters it breaks.

    Parameters
    ----------
    report : GradCheckReport
        From ``gradient_check``.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(report, GradCheckReport):
        raise TypeError(f"report must be a GradCheckReport from gradient_check(...), got {type(report).__name__}")
    ax = get_ax(ax, figsize=(4.2, 4.2))
    limit = 0.0
    for k, check in enumerate(report.checks.values()):
        ax.scatter(check.numeric.ravel(), check.analytic.ravel(), s=14, color=COLORS[k], label=symbol(check.name))
        limit = max(limit, float(np.abs(check.numeric).max()), float(np.abs(check.analytic).max()))
    limit = 1.08 * limit or 1.0
    ax.plot([-limit, limit], [-limit, limit], color="0.6", lw=1, zorder=0)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xlabel("finite differences $n$")
    ax.set_ylabel("analytic (BPTT) $a$")
    if title is not None:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
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
        Step k and c_k of eq. (4), notebook 06; non-positive values are left out (log scale).
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
