"""The floors that memory decides: the smallest loss a model that remembers only so much can reach (notebook 02).

A model that sees only a *context* of each step (the current letter, say) must give the same next-letter
probabilities q_c to every step with the same context c. If letter v follows context c n_cv times in the
data, the summed cross-entropy of eq. (6) is  -sum_c sum_v n_cv ln q_c(v),  and it is smallest for the
observed frequencies q_c(v) = n_cv / n_c (Gibbs' inequality). The floor is then

    L_min = -sum_c sum_v n_cv ln(n_cv / n_c)                                    (notebook 02)

which is zero exactly when every context is always followed by the same letter. The memories, from least
to most: ``"nothing"`` (one distribution for every step), ``"letter"`` (the current letter: a bigram
model), ``"position_and_letter"`` (the step t and the current letter, but no earlier letter) and
``"prefix"`` (every letter read so far, which the RNN's hidden state can carry).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from ._checks import check_dataset
from .encoding import Dataset

MEMORIES: dict[str, str] = {
    "nothing": "no input: one distribution for every step",
    "letter": "the current letter only (a bigram model)",
    "position_and_letter": "the position t and the current letter, no earlier letter",
    "prefix": "every letter read so far (full memory)",
}
"""What each model remembers when it predicts the next letter, from least to most."""


def _check_memory(memory: object) -> str:
    if not isinstance(memory, str) or memory not in MEMORIES:
        raise ValueError(f"memory must be one of {list(MEMORIES)}, got {memory!r}")
    return memory  # type: ignore[return-value]


def contexts(dataset: Dataset, memory: str) -> list[list[Hashable]]:
    """What a model with ``memory`` knows at each step of each word.

    Parameters
    ----------
    dataset : Dataset
        From ``make_dataset``: N words, T steps each.
    memory : str
        A key of ``MEMORIES``.

    Returns
    -------
    list of N lists of T hashable contexts
        E.g. for "dogs" with ``memory="letter"``: ``[("d",), ("o",), ("g",)]``; with ``"prefix"``:
        ``[("d",), ("d", "o"), ("d", "o", "g")]``.
    """
    dataset, memory = check_dataset(dataset), _check_memory(memory)
    keys = {
        "nothing": lambda word, t: (),
        "letter": lambda word, t: (word[t],),
        "position_and_letter": lambda word, t: (t + 1, word[t]),
        "prefix": lambda word, t: tuple(word[: t + 1]),
    }[memory]
    return [[keys(word, t) for t in range(dataset.n_steps)] for word in dataset.words]


def next_letter_counts(dataset: Dataset, memory: str) -> dict[Hashable, np.ndarray]:
    """How often each letter follows each context: n_cv.

    Returns
    -------
    dict of context to numpy.ndarray of int, shape (V,)
        ``counts[c][v]`` is the number of steps with context c whose next letter is ``alphabet[v]``;
        contexts in the order they first appear.
    """
    counts: dict[Hashable, np.ndarray] = {}
    for word_contexts, word_targets in zip(contexts(dataset, memory), dataset.targets, strict=True):
        for context, target in zip(word_contexts, word_targets, strict=True):
            counts.setdefault(context, np.zeros(dataset.vocab_size, dtype=np.int64))[target] += 1
    return counts


def best_probabilities(dataset: Dataset, memory: str) -> np.ndarray:
    """The predictions of the best model with ``memory``: q_c(v) = n_cv / n_c at every step.

    Returns
    -------
    numpy.ndarray of float64, shape (N, T, V)
        Laid out like ``predict_proba``; the loss of these predictions is ``loss_floor(dataset, memory)``.
    """
    counts = next_letter_counts(dataset, memory)
    return np.array(
        [[counts[c] / counts[c].sum() for c in word_contexts] for word_contexts in contexts(dataset, memory)],
        dtype=np.float64,
    )


def loss_floor(dataset: Dataset, memory: str) -> float:
    """The smallest summed cross-entropy (eq. (6)) any model with ``memory`` can reach on ``dataset``.

    Parameters
    ----------
    dataset : Dataset
    memory : str
        A key of ``MEMORIES``.

    Returns
    -------
    float
        -sum_c sum_v n_cv ln(n_cv / n_c) >= 0, in nats; terms with n_cv = 0 contribute 0.
    """
    total = 0.0
    for n_c in next_letter_counts(dataset, memory).values():
        seen = n_c[n_c > 0]
        total -= float(np.sum(seen * np.log(seen / seen.sum())))
    return total + 0.0  # + 0.0 turns -0.0 into 0.0


def bigram_floor(dataset: Dataset) -> float:
    """The floor of a model that sees only the current letter: 6 ln 2 on "dogs", "gods" (notebook 02)."""
    return loss_floor(dataset, "letter")


def position_floor(dataset: Dataset) -> float:
    """The floor of a model that knows the position and the current letter: 2 ln 2 on "dogs", "gods"."""
    return loss_floor(dataset, "position_and_letter")


def full_memory_floor(dataset: Dataset) -> float:
    """The floor of a model that remembers every letter read so far: 0 on "dogs", "gods"."""
    return loss_floor(dataset, "prefix")
