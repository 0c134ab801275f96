"""Full-batch gradient descent, as the learner ran it (notebook 05)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_int, check_positive_finite
from .encoding import Dataset
from .gradcheck import LossAndGrads
from .rnn import Params, _backward, _forward, _loss_and_grads_of, _loss_terms, _training_arrays, check_model_args


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
    """True when no entry of any parameter is inf or NaN (one check over all of them)."""
    return bool(np.isfinite(np.concatenate([v.ravel() for v in params.values()])).all())


def _finite_rows(stack: Params) -> np.ndarray:
    """(K,) bool: True for the networks k of a stack none of whose parameters has an inf or NaN entry."""
    return np.isfinite(np.concatenate([v.reshape(len(v), -1) for v in stack.values()], axis=1)).all(axis=1)


def _per_network(lr: np.ndarray, stack: Params) -> Params:
    """The learning rates (K,) shaped to multiply each parameter of a stack of K networks."""
    return {key: lr.reshape((-1,) + (1,) * (value.ndim - 1)) for key, value in stack.items()}


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
    if loss_and_grads_fn is None:  # the exact gradient; the dataset's arrays are built once for the whole run
        x, y = _training_arrays(dataset)

        def fn(params: Params, _: Dataset) -> tuple[float, Params]:
            return _loss_and_grads_of(params, x, y)
    else:
        fn = loss_and_grads_fn
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


@dataclass(frozen=True)
class SweepHistory:
    """The record of K training runs side by side, one per learning rate.

    Attributes
    ----------
    lrs : numpy.ndarray of float64, shape (K,)
    losses : numpy.ndarray of float64, shape (K, n_iters + 1)
        Row k is what ``train_full_batch`` with ``lrs[k]`` records; NaN after that run diverged.
    diverged : numpy.ndarray of bool, shape (K,)
    diverged_at : numpy.ndarray of int, shape (K,)
        The iteration at which run k diverged, or -1.
    params : dict of float64 arrays with a leading K axis
        The final (last finite) parameters of every run: ``params["W_hh"][k]`` is run k's W_hh.
    """

    lrs: np.ndarray
    losses: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    params: Params

    def run(self, k: int) -> TrainHistory:
        """Run k alone, as a ``TrainHistory``."""
        at = int(self.diverged_at[k])
        return TrainHistory(
            losses=self.losses[k],
            params={key: value[k] for key, value in self.params.items()},
            diverged=bool(self.diverged[k]),
            diverged_at=at if at >= 0 else None,
            lr=float(self.lrs[k]),
        )


def _check_lrs(lrs: object) -> np.ndarray:
    values = np.atleast_1d(np.asarray(lrs))
    if values.ndim != 1 or values.size == 0 or not np.issubdtype(values.dtype, np.number):
        raise TypeError(f"lrs must be a non-empty 1-D sequence of learning rates, got {lrs!r}")
    values = values.astype(np.float64)
    if not np.all(np.isfinite(values) & (values > 0)):
        raise ValueError(f"every learning rate in lrs must be a finite positive number, got {values.tolist()}")
    return values


def train_lr_sweep(params: Params, dataset: Dataset, *, lrs: object, n_iters: int) -> SweepHistory:
    """Train one copy of the network per learning rate, all K at once in vectorized numpy.

    Every copy starts from ``params`` and follows exactly the update of ``train_full_batch``; the K networks
    are one stack of arrays with a leading model axis, so one pass of ``_forward``/``_backward`` trains all
    of them (no Python loop over the K models). A copy whose loss or weights become non-finite is marked
    diverged and leaves the stack with its last finite weights, as ``train_full_batch`` stops.

    Parameters
    ----------
    params : dict
        The common start: ``W_xh`` (H, V), ``W_hh`` (H, H), ``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,).
    dataset : Dataset
    lrs : sequence of float, shape (K,)
        Finite positive learning rates.
    n_iters : int
        Number of updates, >= 0.

    Returns
    -------
    SweepHistory
        ``losses`` (K, n_iters + 1), ``diverged`` (K,), ``diverged_at`` (K,), final ``params`` with a K axis.
    """
    params, dataset = check_model_args(params, dataset)
    lrs = lr = _check_lrs(lrs)  # lr: the rates of the runs still training
    n_iters = check_int(n_iters, "n_iters", minimum=0)
    K = lrs.size
    x, y = _training_arrays(dataset, model_axes=1)
    stack = {key: np.repeat(value[None], K, axis=0) for key, value in params.items()}
    final = {key: value.copy() for key, value in stack.items()}  # each run's last finite weights
    runs, rate = np.arange(K), _per_network(lr, stack)  # row i of the stack is run runs[i]
    losses = np.full((K, n_iters + 1), np.nan)
    diverged_at = np.full(K, -1)
    with np.errstate(all="ignore"):  # overflow is detected below and reported, not printed
        for k in range(n_iters + 1):
            cache = _forward(stack, x)
            loss = _loss_terms(cache, y).sum(axis=(0, -1))  # eq. (6) for each run still training, (K',)
            losses[runs, k] = loss
            new = stack
            if k < n_iters:
                grads = _backward(stack, cache, y)
                new = {key: stack[key] - rate[key] * grads[key] for key in stack}  # the gradient-descent step
            bad_loss = ~np.isfinite(loss)
            gone = bad_loss | ~_finite_rows(new)
            if gone.any():  # these runs diverged: record where, keep their last finite weights, drop them
                losses[runs[bad_loss], k] = np.nan
                diverged_at[runs[gone]] = np.where(bad_loss[gone], k, k + 1)
                for key in final:
                    final[key][runs[gone]] = stack[key][gone]
                runs, lr, new = runs[~gone], lr[~gone], {key: value[~gone] for key, value in new.items()}
                rate = _per_network(lr, new)
            stack = new
            if runs.size == 0:
                break
    for key in final:
        final[key][runs] = stack[key]
    return SweepHistory(lrs=lrs, losses=losses, diverged=diverged_at >= 0, diverged_at=diverged_at, params=final)
