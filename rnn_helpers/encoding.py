"""One-hot encoding of letters and the next-letter dataset (notebook 01)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ALPHABET = "dogs"
"""The learner's four letters, in the order of their one-hot vectors: d=[1,0,0,0], ..., s=[0,0,0,1]."""

DEFAULT_WORDS: tuple[str, ...] = ("dogs", "gods")


def _check_alphabet(alphabet: object) -> str:
    if not isinstance(alphabet, str):
        raise TypeError(f"alphabet must be a str of distinct letters, got {type(alphabet).__name__}")
    if len(alphabet) < 1:
        raise ValueError("alphabet must hold at least one letter, got ''")
    repeated = sorted({c for c in alphabet if alphabet.count(c) > 1})
    if repeated:
        raise ValueError(f"alphabet {alphabet!r} repeats the letter(s) {repeated}; each letter must appear once")
    return alphabet


def letter_indices(text: str, alphabet: str = ALPHABET) -> np.ndarray:
    """The index of each letter of ``text`` in ``alphabet``.

    Parameters
    ----------
    text : str
        Letters of ``alphabet``; may be empty.
    alphabet : str
        Distinct letters.

    Returns
    -------
    numpy.ndarray of int, shape (len(text),)
    """
    alphabet = _check_alphabet(alphabet)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    unknown = sorted({c for c in text if c not in alphabet})
    if unknown:
        raise ValueError(f"{text!r} has letter(s) {unknown} outside the alphabet; allowed: {list(alphabet)}")
    return np.array([alphabet.index(c) for c in text], dtype=np.int64)


def one_hot(text: str, alphabet: str = ALPHABET) -> np.ndarray:
    """One-hot encode ``text``: row t is the unit vector of letter t.

    Parameters
    ----------
    text : str
        Letters of ``alphabet``.
    alphabet : str
        Distinct letters; letter ``alphabet[i]`` is the unit vector e_i (eq. (1), notebook 01).

    Returns
    -------
    numpy.ndarray of float64, shape (len(text), len(alphabet))
    """
    indices = letter_indices(text, alphabet)
    return np.eye(len(alphabet), dtype=np.float64)[indices].reshape(len(text), len(alphabet))


@dataclass(frozen=True, eq=False)
class Dataset:
    """Next-letter prediction data: each word's letters but the last, and the letters that follow them.

    Attributes
    ----------
    inputs : numpy.ndarray of float64, shape (N, T, V)
        One-hot letters 0..T-1 of each of the N words.
    targets : numpy.ndarray of int, shape (N, T)
        Indices of letters 1..T of each word (the letter to predict at each step).
    words : tuple of str
        The N words, each of length T + 1.
    alphabet : str
        The V letters.
    """

    inputs: np.ndarray
    targets: np.ndarray
    words: tuple[str, ...]
    alphabet: str

    @property
    def n_words(self) -> int:
        """N, the number of words."""
        return self.inputs.shape[0]

    @property
    def n_steps(self) -> int:
        """T, the number of predictions per word (word length - 1)."""
        return self.inputs.shape[1]

    @property
    def vocab_size(self) -> int:
        """V, the number of letters."""
        return self.inputs.shape[2]

    def subset(self, indices: Sequence[int]) -> Dataset:
        """The dataset of the words at ``indices`` (e.g. ``[0]`` for a minibatch of one word)."""
        chosen = [self.words[i] for i in indices]
        return make_dataset(chosen, self.alphabet)

    def __repr__(self) -> str:
        return (
            f"Dataset(words={self.words}, alphabet={self.alphabet!r}, inputs (N,T,V)={self.inputs.shape}, "
            f"targets (N,T)={self.targets.shape})"
        )


def make_dataset(words: Sequence[str] = DEFAULT_WORDS, alphabet: str = ALPHABET) -> Dataset:
    """Build the next-letter dataset: inputs are letters 0..T-1, targets letters 1..T (notebook 01).

    Parameters
    ----------
    words : sequence of str
        N >= 1 words of the same length T + 1 >= 2, letters from ``alphabet``.
    alphabet : str
        Distinct letters, V of them.

    Returns
    -------
    Dataset
        ``inputs`` float64 (N, T, V) and ``targets`` int (N, T).
    """
    alphabet = _check_alphabet(alphabet)
    if isinstance(words, str):
        raise TypeError(f"words must be a sequence of words such as ('dogs', 'gods'), not the single str {words!r}")
    words = tuple(words)
    if len(words) == 0:
        raise ValueError("words must hold at least one word, got none")
    for word in words:
        if not isinstance(word, str):
            raise TypeError(f"every word must be a str, got {word!r} of type {type(word).__name__}")
        if len(word) == 0:
            raise ValueError("a word is empty; every word needs at least 2 letters (an input and a target)")
        if len(word) == 1:
            raise ValueError(f"the word {word!r} has one letter; every word needs at least 2 (an input and a target)")
    lengths = sorted({len(w) for w in words})
    if len(lengths) > 1:
        raise ValueError(f"all words must have the same length; got lengths {lengths} in {list(words)}")
    encoded = np.stack([one_hot(w, alphabet) for w in words])  # (N, T+1, V)
    indices = np.stack([letter_indices(w, alphabet) for w in words])  # (N, T+1)
    inputs = np.ascontiguousarray(encoded[:, :-1, :])  # letters 0..T-1 of each word
    targets = np.ascontiguousarray(indices[:, 1:])  # letters 1..T: the next letter at each step
    inputs.setflags(write=False)
    targets.setflags(write=False)
    return Dataset(inputs=inputs, targets=targets, words=words, alphabet=alphabet)
