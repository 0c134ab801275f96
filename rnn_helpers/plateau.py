"""The plateau at 2 ln 2 and the moment the network learns to remember the first letter (notebook 05).

After reading "d o" the next letter is "g" (dogs); after "g o" it is "d" (gods). A network that does not yet
remember the first letter sees the same input "o" in both words and can do no better than even odds between
"g" and "d": each word then costs ln 2 at that step, while every other step can be learned from the current
letter alone. So the summed loss first falls to a plateau near 2 ln 2 (with two such words), and stays there
until the hidden state carries the first letter to the second step. This module measures that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._checks import check_int, check_positive_finite
from .encoding import Dataset
from .rnn import Params, check_model_args, forward, loss, predict_proba
from .training import train_full_batch

PLATEAU_LOSS: float = 2 * math.log(2)
"""2 ln 2: the loss of a network that predicts everything right except the letter after "o", where it says
even odds between "g" and "d" (ln 2 for each of the two words)."""


def ambiguous_step(dataset: Dataset) -> int:
    """The step (index t - 1 into the time axis) at which every word reads the same letter but the words must
    predict different ones: only a memory of an earlier letter can tell them apart.

    For "dogs" and "gods" it is 1: both read "o", then "g" and "d" must follow.

    Raises
    ------
    ValueError
        If the dataset has fewer than two words or no such step.
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(f"dataset must be a Dataset from make_dataset(...), got {type(dataset).__name__}")
    letters = dataset.inputs.argmax(axis=-1)  # (N, T)
    for t in range(dataset.n_steps):
        same_input = np.all(letters[:, t] == letters[0, t])
        if dataset.n_words >= 2 and same_input and len(np.unique(dataset.targets[:, t])) > 1:
            return t
    raise ValueError(
        f"no step of {list(dataset.words)} has the same input letter in every word and different next letters; "
        "memory is measured on words such as ('dogs', 'gods')"
    )


def first_letter_memory(params: Params, dataset: Dataset) -> float:
    """How much the prediction at the ambiguous step depends on the earlier letters, between 0 and 1.

    With words 0 and 1 and their targets y_0 != y_1 at the ambiguous step t: p_0(y_0) - p_1(y_0), the
    probability that word 0 gives its own next letter minus the probability that word 1 gives it. 0 on the
    plateau (both words get the same prediction), near 1 once the first letter is remembered.
    """
    params, dataset = check_model_args(params, dataset)
    t = ambiguous_step(dataset)
    probs = predict_proba(params, dataset)  # (N, T, V)
    y0 = dataset.targets[0, t]
    return float(probs[0, t, y0] - probs[1, t, y0])


@dataclass(frozen=True)
class PlateauAnalysis:
    """Snapshots of a training run every ``every`` iterations, and what they show about the plateau.

    Attributes
    ----------
    iterations : numpy.ndarray of int, shape (S,)
        0, every, 2 every, ..., n_iters.
    losses : numpy.ndarray, shape (S,)
        The summed loss at each snapshot.
    memory : numpy.ndarray, shape (S,)
        ``first_letter_memory`` at each snapshot.
    hidden : numpy.ndarray, shape (S, T + 1, N, H)
        The hidden states h_0..h_T of every word at each snapshot (time first, as ``forward`` gives them).
    plateau_start : int or None
        The first snapshot iteration, before the memory starts, whose loss is within ``tol`` of 2 ln 2 (None if
        the run never gets there).
    memory_onset : int or None
        The first snapshot iteration at which ``memory`` reaches ``threshold``: the network has started to
        remember the first letter.
    before, after : dict of arrays
        The parameters halfway between ``plateau_start`` and ``memory_onset`` (the start if the run never
        reaches the plateau), and at the end.
    """

    iterations: np.ndarray
    losses: np.ndarray
    memory: np.ndarray
    hidden: np.ndarray
    plateau_start: int | None
    memory_onset: int | None
    before: Params
    after: Params


def plateau_analysis(
    params: Params,
    dataset: Dataset,
    *,
    lr: float,
    n_iters: int,
    every: int = 10,
    tol: float = 0.1,
    threshold: float = 0.1,
) -> PlateauAnalysis:
    """Train with ``train_full_batch`` and take a snapshot every ``every`` iterations.

    The run is made of ``n_iters // every`` calls of ``train_full_batch`` of ``every`` iterations each, every
    one starting from the weights the previous one ended with: the same iterations as one long run.

    Parameters
    ----------
    params : dict
        The start.
    dataset : Dataset
        Words with an ambiguous step, such as ("dogs", "gods").
    lr : float
        The learning rate.
    n_iters : int
        A multiple of ``every``.
    every : int
        Iterations between snapshots.
    tol : float
        How close to 2 ln 2 the loss must come to count as on the plateau.
    threshold : float
        The ``first_letter_memory`` at which the network counts as remembering.

    Returns
    -------
    PlateauAnalysis
    """
    params, dataset = check_model_args(params, dataset)
    ambiguous_step(dataset)  # fail early on words without one
    lr = check_positive_finite(lr, "lr")
    every = check_int(every, "every", minimum=1)
    n_iters = check_int(n_iters, "n_iters", minimum=0)
    if n_iters % every:
        raise ValueError(f"n_iters must be a multiple of every={every}, got {n_iters}")
    tol = check_positive_finite(tol, "tol")
    threshold = check_positive_finite(threshold, "threshold")
    snapshots = [params]
    for _ in range(n_iters // every):
        history = train_full_batch(snapshots[-1], dataset, lr=lr, n_iters=every)
        if history.diverged:
            raise ValueError(f"the run diverged ({history.status}); take a smaller learning rate")
        snapshots.append(history.params)
    losses = np.array([loss(p, dataset) for p in snapshots])
    memory = np.array([first_letter_memory(p, dataset) for p in snapshots])
    iterations = np.arange(len(snapshots)) * every
    remembers = np.flatnonzero(memory >= threshold)
    onset = int(remembers[0]) if remembers.size else len(snapshots)
    on_plateau = np.flatnonzero(np.abs(losses[:onset] - PLATEAU_LOSS) <= tol)  # before the memory starts
    return PlateauAnalysis(
        iterations=iterations,
        losses=losses,
        memory=memory,
        hidden=np.stack([forward(p, dataset.inputs).h for p in snapshots]),
        plateau_start=int(iterations[on_plateau[0]]) if on_plateau.size else None,
        memory_onset=int(iterations[onset]) if remembers.size else None,
        before=snapshots[(int(on_plateau[0]) + onset) // 2] if on_plateau.size else snapshots[0],
        after=snapshots[-1],
    )
