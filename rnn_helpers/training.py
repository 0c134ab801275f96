"""Full-batch gradient descent, as the learner ran it (notebook 05)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_int, check_positive_finite
from .encoding import Dataset
from .gradcheck import LossAndGrads
from .rnn import Params, _loss_and_grads, check_model_args


@dataclass(frozen=True)
class TrainHistory:
    """The record of one training run.

    Attributes
    ----------
    losses : numpy.ndarray of float64, shape (n_iters + 1,)
        ``losses[0]`` before the first update, ``losses[k]`` after update k. After a divergence the
        remaining entries are NaN.
    params : dict of float64 arrays
        The final parameters (the last finite ones when the run diverged).
    diverged : bool
        True when the loss or the parameters became non-finite; the run stopped there.
    diverged_at : int or None
        The iteration k whose update made them non-finite.
    lr : float
        The learning rate.
    """

    losses: np.ndarray
    params: Params
    diverged: bool
    diverged_at: int | None
    lr: float

    @property
    def status(self) -> str:
        """One line saying how the run ended."""
        if self.diverged:
            return f"diverged at iteration {self.diverged_at} (lr={self.lr:g}): the loss or a weight became inf or NaN"
        n = len(self.losses) - 1
        return f"ran {n} iterations (lr={self.lr:g}): loss {self.losses[0]:.4f} -> {self.losses[-1]:.4g}"

    def __repr__(self) -> str:
        return f"TrainHistory({self.status})"


def _all_finite(params: Params) -> bool:
    return all(np.isfinite(v).all() for v in params.values())


def train_full_batch(
    params: Params,
    dataset: Dataset,
    *,
    lr: float,
    n_iters: int,
    loss_and_grads_fn: LossAndGrads | None = None,
) -> TrainHistory:
    """Plain full-batch gradient descent: w <- w - lr * dL/dw, one step per epoch over all words.

    The loss L sums over both words and all steps, so each step uses the sum of the words' gradients, as the
    learner did. There is no randomness: the same start gives the same run.

    Parameters
    ----------
    params : dict
        The start: ``W_xh`` (H, V), ``W_hh`` (H, H), ``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,); not modified.
    dataset : Dataset
        From ``make_dataset``.
    lr : float
        Learning rate, a finite number > 0.
    n_iters : int
        Number of updates, >= 0.
    loss_and_grads_fn : callable, optional
        ``f(params, dataset) -> (loss, grads)``; default the package's exact ``loss_and_grads``. Notebook 06
        passes the deliberately wrong ones of ``rnn_helpers.bugs``.

    Returns
    -------
    TrainHistory
        ``losses`` (n_iters + 1,), ``params``, ``diverged``, ``diverged_at``. A run whose loss or parameters
        become non-finite stops at once, without numpy warnings, and says so in ``status``.
    """
    params, dataset = check_model_args(params, dataset)
    lr = check_positive_finite(lr, "lr")
    n_iters = check_int(n_iters, "n_iters", minimum=0)
    fn = _loss_and_grads if loss_and_grads_fn is None else loss_and_grads_fn
    losses = np.full(n_iters + 1, np.nan)
    diverged_at = None
    with np.errstate(all="ignore"):  # overflow is detected below and reported, not printed
        for k in range(n_iters + 1):
            loss, grads = fn(params, dataset)
            if not np.isfinite(loss):
                diverged_at = k
                break
            losses[k] = loss
            if k == n_iters:
                break
            new_params = {key: params[key] - lr * grads[key] for key in params}  # the gradient-descent step
            if not _all_finite(new_params):
                diverged_at = k + 1
                break
            params = new_params
    return TrainHistory(losses=losses, params=params, diverged=diverged_at is not None, diverged_at=diverged_at, lr=lr)
