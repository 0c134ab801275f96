"""Showing the package's own code in a notebook, instead of pasting a second copy that could drift."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
from IPython.display import Markdown

from ._checks import check_dataset, check_int
from .encoding import Dataset


def show_source(obj: Callable | type) -> Markdown:
    """The source code of a function or class of the package, as a highlighted Markdown code block.

    Parameters
    ----------
    obj : function or class

    Returns
    -------
    IPython.display.Markdown
        Its text is the same on every machine, so nbval can compare it.
    """
    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj)):
        raise TypeError(f"show_source takes a function or a class, got {type(obj).__name__}")
    return Markdown(f"```python\n{inspect.getsource(obj).rstrip()}\n```")


def show_lines(obj: Callable | type, *markers: str) -> Markdown:
    """Only the lines of a package function that contain one of ``markers``, e.g. ``"eq. (7)"``.

    Notebook 03 points at the line of the backward pass that computes each equation this way, so the text
    and the package cannot drift. Skipped lines are shown as ``...``.

    Parameters
    ----------
    obj : function or class
    *markers : str
        At least one; a line is kept when it contains any of them.

    Returns
    -------
    IPython.display.Markdown
    """
    if not markers or not all(isinstance(m, str) and m for m in markers):
        raise ValueError(f"show_lines needs at least one non-empty marker string, e.g. 'eq. (7)', got {markers!r}")
    lines = show_source(obj).data.splitlines()[1:-1]  # without the ``` fences
    kept: list[str] = []
    previous = -1
    for number, line in enumerate(lines):
        if any(m in line for m in markers):
            if kept and number != previous + 1:
                kept.append("...")
            kept.append(line.strip())
            previous = number
    if not kept:
        raise ValueError(f"no line of {obj.__qualname__} contains any of {list(markers)}")
    return Markdown("```python\n" + "\n".join(kept) + "\n```")


def prediction_table(probs: np.ndarray, dataset: Dataset, digits: int = 2) -> str:
    """A text table of next-letter probabilities: one row per word and step, the target's in [brackets].

    Parameters
    ----------
    probs : numpy.ndarray, shape (N, T, V)
        E.g. ``predict_proba(params, dataset)`` or ``baselines.best_probabilities(dataset, memory)``.
    dataset : Dataset
        The words the probabilities are for.
    digits : int
        Decimals shown, 1 to 6 (the rounding keeps the table the same on every machine).

    Returns
    -------
    str
        Ends with the summed -ln p(next), the loss L of eq. (6).
    """
    dataset = check_dataset(dataset)
    N, T, V = dataset.inputs.shape
    if not isinstance(probs, np.ndarray) or probs.shape != (N, T, V):
        shape = getattr(probs, "shape", type(probs).__name__)
        raise ValueError(f"probs must be an array of shape (N, T, V) = {(N, T, V)} for this dataset, got {shape}")
    digits = check_int(digits, "digits", minimum=1)
    if digits > 6:
        raise ValueError(f"digits must be at most 6, got {digits}")
    width = digits + 5  # "[0.25]" plus a space
    w = max(4, len(dataset.words[0]))
    head = f"{'word':<{w}}  t  read  next  " + "".join(f"{'p(' + c + ')':^{width}}" for c in dataset.alphabet)
    rows = [head + "  -ln p(next)"]
    total = 0.0
    for n, word in enumerate(dataset.words):
        for t in range(T):
            y = int(dataset.targets[n, t])
            cells = [f" {p:.{digits}f} " for p in probs[n, t]]
            cells[y] = f"[{probs[n, t, y]:.{digits}f}]"
            with np.errstate(divide="ignore"):
                term = max(float(-np.log(probs[n, t, y])), 0.0) + 0.0  # -ln 1 must print 0.00, not -0.00
            total += term
            letters = f"{word:<{w}}  {t + 1}  {word[t]:^4}  {word[t + 1]:^4}  "
            rows.append(letters + "".join(f"{c:^{width}}" for c in cells) + f"{term:>13.{digits}f}")
    rows.append(f"{'sum over words and steps: the loss L':>{len(head)}}{total:>13.{digits}f}")
    return "\n".join(rows)
