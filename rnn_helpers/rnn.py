"""The vanilla RNN: parameters, forward pass, loss and backpropagation through time (notebooks 02-03).

The model, for every word n of the batch and step t = 1..T, with h_0 = 0:

    a_t = W_xh x_t + W_hh h_{t-1} + b_h        (2)  pre-activation
    h_t = tanh(a_t)                              (3)  hidden state
    z_t = W_hy h_t + b_y                         (4)  logits
    p_t = softmax(z_t)                           (5)  next-letter probabilities
    L   = - sum_n sum_t log p_t[y_t]             (6)  cross-entropy, SUMMED over steps and words

The numbers in brackets are the equation numbers of notebook 02; the backward pass cites notebook 03.
Arrays carry a batch axis first: all words go through the network together.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import PARAM_KEYS, check_dataset, check_int, check_params, check_positive_finite, param_shapes
from .encoding import Dataset

Params = dict[str, np.ndarray]


def init_params(hidden_size: int, vocab_size: int = 4, *, scale: float = 0.1, seed: int = 0) -> Params:
    """Gaussian weights times ``scale`` and zero biases, drawn from ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    hidden_size : int
        H >= 1.
    vocab_size : int
        V >= 1 (4 for the alphabet "dogs").
    scale : float
        Standard deviation of every weight, > 0.
    seed : int
        Seed of the generator; the same seed gives the same parameters on every machine.

    Returns
    -------
    dict of float64 arrays
        ``W_xh`` (H, V), ``W_hh`` (H, H), ``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,).
    """
    H = check_int(hidden_size, "hidden_size", minimum=1)
    V = check_int(vocab_size, "vocab_size", minimum=1)
    scale = check_positive_finite(scale, "scale")
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    shapes = param_shapes(H, V)
    params = {}
    for key in PARAM_KEYS:  # a fixed order of draws, so a seed means the same numbers everywhere
        if key.startswith("W"):
            params[key] = scale * rng.standard_normal(shapes[key])
        else:
            params[key] = np.zeros(shapes[key])
    return params


class ForwardCache(NamedTuple):
    """What the forward pass computed, and the backward pass needs. Arrays are time-first: ``h[t]`` is h_t.

    ``...`` is empty for one network, or (K,) for a stack of K networks trained side by side.

    Attributes
    ----------
    x : (T, N, V) one-hot letters; ``x[t - 1]`` is x_t of every word (``inputs`` with time first).
    h : (T + 1, ..., N, H) hidden states; ``h[0]`` is h_0 = 0 and ``h[t]`` is h_t.
    logits : (T, ..., N, V) z_t, step t at index t - 1.
    log_probs : (T, ..., N, V) log p_t.
    probs : (T, ..., N, V) p_t = softmax(z_t).
    """

    x: np.ndarray
    h: np.ndarray
    logits: np.ndarray
    log_probs: np.ndarray
    probs: np.ndarray


def _mT(a: np.ndarray) -> np.ndarray:
    """The transpose of the last two axes: W^T for one matrix (a view) or for a stack of them.

    A stack is transposed into a contiguous copy: numpy multiplies a stack of small matrices several times
    faster when they are contiguous, and the copy costs less than one such product.
    """
    return a.T if a.ndim == 2 else np.ascontiguousarray(a.swapaxes(-1, -2))


def _lift(x: np.ndarray, ndim: int) -> np.ndarray:
    """Time-first letters (T, N, V) as (T, 1, ..., N, V), to broadcast against ``ndim``-dimensional stacks."""
    return x.reshape(x.shape[:1] + (1,) * (ndim - 3) + x.shape[1:])


def _rows(a: np.ndarray) -> np.ndarray:
    """Time-first (T, ..., N, I) as (..., T * N, I): one row per (step, word) pair, the model axes in front."""
    return a.swapaxes(0, -3).reshape(a.shape[1:-2] + (-1, a.shape[-1]))


def _sum_over_time(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum_t sum_n a_t[n] b_t[n]^T for time-first a (T, ..., N, I) and b (T, ..., N, J), shape (..., I, J).

    The outer products of eqs. (8), (12) and (13), summed over steps and words by one matrix product.
    """
    return _rows(a).swapaxes(-1, -2) @ _rows(b)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax over the last axis, z - m - log(sum(exp(z - m))) with m = max(z): no overflow, no log(0)."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, eq. (5), computed as exp(log_softmax(z))."""
    return np.exp(log_softmax(z))


def _forward(params: Params, x: np.ndarray) -> ForwardCache:
    """Forward pass over time-first one-hot letters ``x`` (T, N, V), without argument checks.

    The parameters may carry a leading model axis (K, ...): every line below then runs K networks at once.
    The arrays keep the dtype of ``x`` and the parameters: float64 in the package, float32 in notebook 04.
    """
    W_xh, W_hh, W_hy, b_h, b_y = (params[key] for key in PARAM_KEYS)
    W_hh_T = _mT(W_hh)
    x_lifted = _lift(x, W_hh.ndim + 1)  # (T, 1 per model axis, N, V)
    from_input = x_lifted @ _mT(W_xh) + b_h[..., None, :]  # W_xh x_t + b_h for every t at once, (T, ..., N, H)
    h = np.zeros((len(x) + 1,) + from_input.shape[1:], dtype=from_input.dtype)  # h[0] = h_0 = 0; float32 stays float32
    for t in range(len(x)):
        h[t + 1] = np.tanh(from_input[t] + h[t] @ W_hh_T)  # eqs. (2)-(3): h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)
    logits = h[1:] @ _mT(W_hy) + b_y[..., None, :]  # eq. (4): z_t = W_hy h_t + b_y, (T, ..., N, V)
    log_probs = log_softmax(logits)
    return ForwardCache(x=x, h=h, logits=logits, log_probs=log_probs, probs=np.exp(log_probs))  # eq. (5)


def _target_one_hot(targets: np.ndarray, like: np.ndarray) -> np.ndarray:
    """onehot(y_t), time-first, shaped to broadcast against ``like`` (T, ..., N, V); ``targets`` is (N, T).

    ``targets`` may also be that one-hot array already (float): it is returned as it is, so that a training
    loop builds it once per run instead of once per iteration.
    """
    if targets.dtype.kind == "f":
        return targets
    T, N = targets.shape[1], targets.shape[0]
    y = targets.T.reshape((T,) + (1,) * (like.ndim - 3) + (N,))
    return np.eye(like.shape[-1])[y]


def _loss_terms(cache: ForwardCache, targets: np.ndarray) -> np.ndarray:
    """-log p_t[y_t] = -sum_v onehot(y_t)_v log p_t[v] for every step and word, time-first (T, ..., N)."""
    return -(_target_one_hot(targets, cache.log_probs) * cache.log_probs).sum(axis=-1)


def _loss(cache: ForwardCache, targets: np.ndarray) -> float:
    """Cross-entropy summed over words and steps, eq. (6)."""
    return float(_loss_terms(cache, targets).sum())


def _backward(params: Params, cache: ForwardCache, targets: np.ndarray) -> Params:
    """BPTT without argument checks; see ``backward``. Works on a stack of K networks like ``_forward``."""
    x, h, _, _, probs = cache
    d_logits = probs - _target_one_hot(targets, probs)  # eq. (7): dL/dz_t = p_t - onehot(y_t), (T, ..., N, V)
    grads = {
        "W_hy": _sum_over_time(d_logits, h[1:]),  # eq. (8): sum_t dz_t h_t^T
        "b_y": d_logits.sum(axis=(0, -2)),  # eq. (9): sum_t dz_t
    }
    d_h_out = d_logits @ params["W_hy"]  # eq. (10), first term: W_hy^T dz_t, (T, ..., N, H)
    tanh_grad = 1.0 - h[1:] ** 2  # eq. (11): tanh'(a_t) = 1 - h_t^2, taken at the activation h_t
    d_pre = np.empty_like(d_h_out)  # dL/da_t for every t
    d_h_next = 0.0  # nothing flows back from after the last step
    for t in reversed(range(len(d_pre))):
        d_pre[t] = (d_h_out[t] + d_h_next) * tanh_grad[t]  # eqs. (10)-(11): dL/dh_t = W_hy^T dz_t + W_hh^T da_{t+1}
        d_h_next = d_pre[t] @ params["W_hh"]  # W_hh^T da_t, sent back to step t - 1
    grads["W_xh"] = _sum_over_time(d_pre, x)  # eq. (12): sum_t da_t x_t^T
    grads["W_hh"] = _sum_over_time(d_pre, h[:-1])  # eq. (13): sum_t da_t h_{t-1}^T
    grads["b_h"] = d_pre.sum(axis=(0, -2))  # eq. (14): sum_t da_t
    return {key: grads[key] for key in PARAM_KEYS}


def _check_inputs(inputs: object, vocab_size: int) -> np.ndarray:
    if not isinstance(inputs, np.ndarray):
        raise TypeError(f"inputs must be a numpy array of shape (N, T, V), got {type(inputs).__name__}")
    if inputs.ndim != 3 or inputs.shape[2] != vocab_size or 0 in inputs.shape:
        raise ValueError(f"inputs must have shape (N, T, V={vocab_size}) with N, T >= 1, got {inputs.shape}")
    return np.asarray(inputs, dtype=np.float64)


def _check_targets(targets: object, cache: ForwardCache) -> np.ndarray:
    T, N, V = cache.x.shape
    if not isinstance(targets, np.ndarray) or not np.issubdtype(targets.dtype, np.integer):
        raise TypeError(f"targets must be an integer numpy array of shape (N, T) = {(N, T)}, got {targets!r}")
    if targets.shape != (N, T):
        raise ValueError(f"targets must have shape (N, T) = {(N, T)}, got {targets.shape}")
    if targets.min() < 0 or targets.max() >= V:
        raise ValueError(f"targets must be letter indices in 0..{V - 1}, got values {np.unique(targets).tolist()}")
    return targets


def _check_cache(cache: object) -> ForwardCache:
    if not isinstance(cache, ForwardCache):
        raise TypeError(f"cache must be the ForwardCache that forward(...) returns, got {type(cache).__name__}")
    return cache


def _time_first(inputs: np.ndarray) -> np.ndarray:
    """(N, T, V) -> (T, N, V), a view."""
    return np.swapaxes(inputs, 0, 1)


def check_model_args(params: object, dataset: object) -> tuple[Params, Dataset]:
    """Check ``params`` against ``dataset``; return a float64 copy of the parameters and the dataset."""
    dataset = check_dataset(dataset)
    return check_params(params, vocab_size=dataset.vocab_size), dataset


def forward(params: Params, inputs: np.ndarray) -> ForwardCache:
    """Run the RNN over a batch of one-hot sequences, eqs. (2)-(5) of notebook 02.

    Parameters
    ----------
    params : dict
        ``W_xh`` (H, V), ``W_hh`` (H, H), ``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,).
    inputs : numpy.ndarray, shape (N, T, V)
        One-hot letters, e.g. ``make_dataset().inputs``.

    Returns
    -------
    ForwardCache
        Time-first: ``x`` (T, N, V), ``h`` (T + 1, N, H) with ``h[0]`` = h_0 = 0, ``logits``, ``log_probs``
        and ``probs`` (T, N, V).
    """
    params = check_params(params)
    inputs = _check_inputs(inputs, params["W_xh"].shape[1])
    return _forward(params, _time_first(inputs))


def cross_entropy(cache: ForwardCache, targets: np.ndarray) -> float:
    """The loss L of eq. (6): -sum over words and steps of log p_t[y_t] (natural log).

    Parameters
    ----------
    cache : ForwardCache
        From ``forward``; its ``log_probs`` (T, N, V) are used (stable for any logits).
    targets : numpy.ndarray of int, shape (N, T)

    Returns
    -------
    float
    """
    cache = _check_cache(cache)
    return _loss(cache, _check_targets(targets, cache))


def backward(params: Params, cache: ForwardCache, targets: np.ndarray) -> Params:
    """Backpropagation through time: the gradient of the summed loss L, eqs. (7)-(14) of notebook 03.

    Parameters
    ----------
    params : dict
        The parameters ``forward`` ran with.
    cache : ForwardCache
        From ``forward(params, inputs)``.
    targets : numpy.ndarray of int, shape (N, T)

    Returns
    -------
    dict of float64 arrays
        dL/dparam for every key of ``params``, each of the parameter's shape.
    """
    params = check_params(params)
    cache = _check_cache(cache)
    if cache.h.shape[-1] != params["W_hh"].shape[0] or cache.x.shape[-1] != params["W_xh"].shape[1]:
        raise ValueError(
            f"cache does not come from these params: it has H={cache.h.shape[-1]}, V={cache.x.shape[-1]}, "
            f"the params have H={params['W_hh'].shape[0]}, V={params['W_xh'].shape[1]}"
        )
    return _backward(params, cache, _check_targets(targets, cache))


def _training_arrays(dataset: Dataset, model_axes: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """What every iteration of a training run reads, built once: time-first letters ``x`` (T, N, V) and
    one-hot targets onehot(y_t) (T, 1 per model axis, N, V)."""
    x = np.ascontiguousarray(_time_first(dataset.inputs))
    return x, _target_one_hot(dataset.targets, _lift(x, x.ndim + model_axes))


def _loss_and_grads_of(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    """The loss and its gradient from the arrays of ``_training_arrays``, without argument checks."""
    cache = _forward(params, x)
    return _loss(cache, y), _backward(params, cache, y)


def _loss_and_grads(params: Params, dataset: Dataset) -> tuple[float, Params]:
    """``loss_and_grads`` without argument checks."""
    return _loss_and_grads_of(params, *_training_arrays(dataset))


def loss_and_grads(params: Params, dataset: Dataset) -> tuple[float, Params]:
    """The summed loss over all words and steps, and its exact gradient (BPTT).

    Parameters
    ----------
    params : dict
        ``W_xh`` (H, V), ``W_hh`` (H, H), ``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,).
    dataset : Dataset
        From ``make_dataset``: ``inputs`` (N, T, V), ``targets`` (N, T).

    Returns
    -------
    loss : float
        L of eq. (6), notebook 02.
    grads : dict of float64 arrays
        Same keys and shapes as ``params``.
    """
    params, dataset = check_model_args(params, dataset)
    return _loss_and_grads(params, dataset)


def loss(params: Params, dataset: Dataset) -> float:
    """The summed cross-entropy L of eq. (6) alone (no gradient)."""
    params, dataset = check_model_args(params, dataset)
    return _loss(_forward(params, _time_first(dataset.inputs)), dataset.targets)


def loss_terms(params: Params, dataset: Dataset) -> np.ndarray:
    """The terms of eq. (6): -log p_t[y_t] for every word n and step t.

    Returns
    -------
    numpy.ndarray of float64, shape (N, T)
        Their sum is ``loss(params, dataset)``.
    """
    params, dataset = check_model_args(params, dataset)
    return _loss_terms(_forward(params, _time_first(dataset.inputs)), dataset.targets).T


def predict_proba(params: Params, dataset: Dataset) -> np.ndarray:
    """The next-letter probabilities p_t for every word and step, shape (N, T, V) (word first)."""
    params, dataset = check_model_args(params, dataset)
    return np.swapaxes(_forward(params, _time_first(dataset.inputs)).probs, 0, 1)
