"""A zoo of classic BPTT mistakes: DELIBERATELY WRONG gradients, for notebooks 04 and 06.

Never train with these to get a model. Each one is the package's backward pass (``rnn._backward``) with one
line changed the way a learner might get it wrong; the loss they return is always the true loss, so
printing it while training shows what the learner would see. Notebook 04 shows each one failing the gradient
check; notebook 06 trains with them to show a rise in the loss that no learning rate removes.

``backward_with_bug(params, cache, targets, bug=None)`` is the correct backward pass (the tests check that
it equals ``rnn.backward``), so the only difference between a bug and the truth is the line marked BUG.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import PARAM_KEYS
from .encoding import Dataset
from .rnn import (
    ForwardCache,
    Params,
    _forward,
    _loss,
    _mT,
    _sum_over_time,
    _target_one_hot,
    _time_first,
    check_model_args,
)


@dataclass(frozen=True)
class Bug:
    """One deliberate mistake: its key, what it gets wrong, the wrong line and the right one."""

    key: str
    title: str
    wrong: str
    right: str


BUGS: dict[str, Bug] = {
    bug.key: bug
    for bug in [
        Bug(
            "no_next_step_term",
            "forgets the term flowing back from step t+1",
            "dL/dh_t = W_hy^T dz_t",
            "dL/dh_t = W_hy^T dz_t + W_hh^T da_{t+1}",
        ),
        Bug(
            "tanh_at_preactivation",
            "takes tanh' at the pre-activation a_t instead of the activation h_t",
            "tanh'(a_t) = 1 - a_t^2",
            "tanh'(a_t) = 1 - h_t^2 = 1 - tanh(a_t)^2",
        ),
        Bug(
            "overwrite_W_hh",
            "overwrites W_hh's gradient at each step instead of adding over time",
            "dW_hh = da_t h_{t-1}^T   (inside the loop, t = T..1: step 1 wins)",
            "dW_hh += da_t h_{t-1}^T",
        ),
        Bug(
            "one_word_gradient",
            "uses the last word's gradient instead of the sum over both words",
            "grads = grads of 'gods' only (the loss printed is still both words')",
            "grads = grads of 'dogs' + grads of 'gods'",
        ),
        Bug(
            "softmax_sign",
            "flips the sign of the softmax-cross-entropy gradient",
            "dL/dz_t = onehot(y_t) - p_t",
            "dL/dz_t = p_t - onehot(y_t)",
        ),
        Bug(
            "h_t_for_h_prev",
            "uses h_t where h_{t-1} belongs in W_hh's gradient",
            "dW_hh = sum_t da_t h_t^T",
            "dW_hh = sum_t da_t h_{t-1}^T",
        ),
    ]
}


def _check_bug(bug: str | None) -> str | None:
    if bug is not None and bug not in BUGS:
        raise ValueError(f"unknown bug {bug!r}; the bugs are {list(BUGS)} (or None for the correct gradient)")
    return bug


def backward_with_bug(params: Params, cache: ForwardCache, targets: np.ndarray, bug: str | None = None) -> Params:
    """The backward pass with one deliberate mistake (``bug``), or the correct one for ``bug=None``.

    Parameters
    ----------
    params : dict
        One network's parameters (no model axis).
    cache : ForwardCache
        From the forward pass; time-first, (T, N, ...) arrays.
    targets : numpy.ndarray of int, shape (N, T)
    bug : str or None
        A key of ``BUGS``.

    Returns
    -------
    dict of float64 arrays, the keys and shapes of ``params``: a WRONG gradient unless ``bug`` is None.
    """
    bug = _check_bug(bug)
    x, h, _, _, probs = cache
    if bug == "one_word_gradient":  # BUG: keep only the last word of the batch
        last = slice(-1, None)
        cache = ForwardCache(x[:, last], h[:, last], *(a[:, last] for a in cache[2:]))
        return backward_with_bug(params, cache, targets[last], None)
    d_logits = probs - _target_one_hot(targets, probs)  # eq. (7)
    if bug == "softmax_sign":
        d_logits = -d_logits  # BUG: onehot(y_t) - p_t
    grads = {"W_hy": _sum_over_time(d_logits, h[1:]), "b_y": d_logits.sum(axis=(0, 1))}  # eqs. (8)-(9)
    d_h_out = d_logits @ params["W_hy"]
    if bug == "tanh_at_preactivation":
        a = x @ _mT(params["W_xh"]) + h[:-1] @ _mT(params["W_hh"]) + params["b_h"]  # the pre-activations a_t
        tanh_grad = 1.0 - a**2  # BUG: tanh' taken at a_t
    else:
        tanh_grad = 1.0 - h[1:] ** 2  # eq. (11)
    d_pre = np.empty_like(d_h_out)
    d_h_next = 0.0
    for t in reversed(range(len(d_pre))):
        d_pre[t] = (d_h_out[t] + d_h_next) * tanh_grad[t]  # eqs. (10)-(11)
        if bug != "no_next_step_term":  # BUG when skipped: nothing flows back to step t-1
            d_h_next = d_pre[t] @ params["W_hh"]
        if bug == "overwrite_W_hh":
            grads["W_hh"] = d_pre[t].T @ h[t]  # BUG: = instead of +=
    grads["W_xh"] = _sum_over_time(d_pre, x)  # eq. (12)
    if bug == "h_t_for_h_prev":
        grads["W_hh"] = _sum_over_time(d_pre, h[1:])  # BUG: h_t instead of h_{t-1}
    elif bug != "overwrite_W_hh":
        grads["W_hh"] = _sum_over_time(d_pre, h[:-1])  # eq. (13)
    grads["b_h"] = d_pre.sum(axis=(0, 1))  # eq. (14)
    return {key: grads[key] for key in PARAM_KEYS}


def loss_and_grads_with_bug(bug: str | None) -> Callable[[Params, Dataset], tuple[float, Params]]:
    """A ``loss_and_grads``-like function whose loss is the true summed loss and whose gradient has ``bug``.

    Pass it to ``gradient_check(..., loss_and_grads_fn=...)`` or ``train_full_batch(..., loss_and_grads_fn=...)``.
    """
    bug = _check_bug(bug)

    def loss_and_buggy_grads(params: Params, dataset: Dataset) -> tuple[float, Params]:
        params, dataset = check_model_args(params, dataset)
        cache = _forward(params, _time_first(dataset.inputs))
        return _loss(cache, dataset.targets), backward_with_bug(params, cache, dataset.targets, bug)

    loss_and_buggy_grads.__name__ = f"loss_and_grads_with_bug_{bug}"
    return loss_and_buggy_grads
