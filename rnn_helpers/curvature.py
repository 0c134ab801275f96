"""Curvature of the loss: the Hessian, the sharpness, and the curvature along one step (notebook 06).

All parameters as one vector
----------------------------
``flatten`` concatenates the parameters in the order of ``PARAM_KEYS`` -- ``W_xh`` (H, V), ``W_hh`` (H, H),
``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,) -- each read row by row (C order); ``param_slices`` says where
each one sits. There are P = HV + H^2 + VH + H + V numbers: 140 for H = 8, 404 for H = 16. The Hessian
H_ij = d^2 L / dw_i dw_j is the (P, P) matrix in that order, and the sharpness is its largest eigenvalue.

The curvature along one step (eqs. (4)-(6) of notebook 06)
---------------------------------------------------------
For the gradient-descent step d = -lr g from w, define the number c by

    L(w + d) = L(w) + g . d + (1/2) c |d|^2                                   (4)

c is the secant curvature of L along the step. Taylor's theorem with the integral remainder gives

    c = int_0^1 2 (1 - s) u^T H(w + s d) u ds,      u = d / |d|,              (5)

a weighted average (the weights 2 (1 - s) integrate to 1) of the curvature along the segment the step
crosses, not the curvature at w alone. Putting d = -lr g into (4):

    L(w + d) - L(w) = lr |g|^2 (lr c / 2 - 1),                                (6)

so, with the true gradient, a step raises the loss exactly when c > 2 / lr. The sharpness at w bounds the
curvature at w only; (6) is about the whole segment.
"""

from __future__ import annotations

import numpy as np

from ._checks import PARAM_KEYS, check_int, check_positive_finite, param_shapes
from .encoding import Dataset
from .gradcheck import LossAndGrads
from .rnn import Params, _backward, _forward, _loss_terms, _time_first, check_model_args

HESSIAN_EPS = 1e-5
"""Step of the central differences of the gradient in ``hessian`` and ``hessian_vector_product``.

The error of (g(w + eps e_j) - g(w - eps e_j)) / (2 eps) is about eps^2 |g'''| / 6 (truncation) plus
1e-16 |g| / eps (rounding); at eps = 1e-5 both are about 1e-10 on these networks, far below the size
of the entries that matter (the tests check 1e-6 against a loss-only second difference)."""


def n_params(hidden_size: int, vocab_size: int = 4) -> int:
    """P, the number of parameters: HV + H^2 + VH + H + V."""
    H = check_int(hidden_size, "hidden_size", minimum=1)
    V = check_int(vocab_size, "vocab_size", minimum=1)
    return H * V + H * H + V * H + H + V


def param_slices(hidden_size: int, vocab_size: int = 4) -> dict[str, slice]:
    """Where each parameter sits in the flat vector: ``flatten(params)[param_slices(H)["W_hh"]]`` is W_hh, raveled."""
    n_params(hidden_size, vocab_size)  # checks the sizes
    slices, start = {}, 0
    for key, shape in param_shapes(hidden_size, vocab_size).items():
        size = int(np.prod(shape))
        slices[key] = slice(start, start + size)
        start += size
    return slices


def _sizes(params: Params) -> tuple[int, int]:
    """H and V of a parameter dict, with or without leading model axes."""
    return params["W_hh"].shape[-1], params["W_xh"].shape[-1]


def flatten(params: Params) -> np.ndarray:
    """All parameters as one vector, in the order of ``PARAM_KEYS``, each row-major.

    Parameters
    ----------
    params : dict
        ``W_xh`` (..., H, V), ``W_hh`` (..., H, H), ``W_hy`` (..., V, H), ``b_h`` (..., H), ``b_y`` (..., V),
        where ``...`` is empty for one network or (K,) for a stack of K.

    Returns
    -------
    numpy.ndarray of float64, shape (..., P)
    """
    if not isinstance(params, dict) or any(k not in params for k in PARAM_KEYS):
        raise TypeError(f"params must be a dict with keys {list(PARAM_KEYS)}, got {params!r:.80}")
    H, V = _sizes(params)
    lead = params["W_hh"].shape[:-2]
    parts = []
    for key, shape in param_shapes(H, V).items():
        value = np.asarray(params[key], dtype=np.float64)
        if value.shape != lead + shape:
            raise ValueError(f"params[{key!r}] has shape {value.shape}, expected {lead + shape}")
        parts.append(value.reshape(lead + (-1,)))
    return np.concatenate(parts, axis=-1)


def unflatten(w: np.ndarray, hidden_size: int, vocab_size: int = 4) -> Params:
    """The inverse of ``flatten``: a vector (..., P) back to the parameter dict (each array a fresh copy).

    Parameters
    ----------
    w : numpy.ndarray, shape (..., P)
        P = ``n_params(hidden_size, vocab_size)``.
    hidden_size, vocab_size : int

    Returns
    -------
    dict of float64 arrays with the leading axes of ``w``: ``W_xh`` (..., H, V), ..., ``b_y`` (..., V).
    """
    P = n_params(hidden_size, vocab_size)
    if not isinstance(w, np.ndarray) or not np.issubdtype(w.dtype, np.number) or np.iscomplexobj(w):
        raise TypeError(f"w must be a real numpy array of shape (..., {P}), got {type(w).__name__}")
    if w.ndim < 1 or w.shape[-1] != P:
        raise ValueError(f"w must have shape (..., P={P}) for H={hidden_size}, V={vocab_size}, got {w.shape}")
    lead = w.shape[:-1]
    shapes = param_shapes(hidden_size, vocab_size)
    return {
        key: np.array(w[..., part], dtype=np.float64).reshape(lead + shapes[key])
        for key, part in param_slices(hidden_size, vocab_size).items()
    }


def _check_vector(v: object, P: int, name: str) -> np.ndarray:
    if not isinstance(v, np.ndarray) or not np.issubdtype(v.dtype, np.number) or np.iscomplexobj(v):
        raise TypeError(f"{name} must be a real numpy array of shape (P,) = ({P},), got {type(v).__name__}")
    if v.shape != (P,):
        raise ValueError(f"{name} must have shape (P,) = ({P},) (see flatten), got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return np.asarray(v, dtype=np.float64)


def _check_fn(fn: object) -> LossAndGrads | None:
    if fn is not None and not callable(fn):
        raise TypeError(f"loss_and_grads_fn must be a function f(params, dataset) -> (loss, grads), got {fn!r}")
    return fn


def _losses_and_gradients(
    points: np.ndarray, hidden_size: int, dataset: Dataset, fn: LossAndGrads | None
) -> tuple[np.ndarray, np.ndarray]:
    """The loss (K,) and flat gradient (K, P) at K flat parameter vectors ``points`` (K, P).

    With ``fn`` None, all K networks run in one pass of the package's ``_forward``/``_backward`` (model axis);
    otherwise ``fn`` is called once per point.
    """
    V = dataset.vocab_size
    if fn is None:
        stack = unflatten(points, hidden_size, V)
        cache = _forward(stack, _time_first(dataset.inputs))
        losses = _loss_terms(cache, dataset.targets).sum(axis=(0, -1))
        return losses, flatten(_backward(stack, cache, dataset.targets))
    losses, grads = np.empty(len(points)), np.empty_like(points)
    for i, point in enumerate(points):
        loss, g = fn(unflatten(point, hidden_size, V), dataset)
        losses[i], grads[i] = loss, flatten(g)
    return losses, grads


def _hessian_times_unit(
    centres: np.ndarray, u: np.ndarray, eps: float, hidden_size: int, dataset: Dataset, fn: LossAndGrads | None
) -> np.ndarray:
    """H(c) u at each of M points c (rows of ``centres``, (M, P)) for one unit vector u: central differences
    (g(c + eps u) - g(c - eps u)) / (2 eps) of the gradient, all 2M gradients in one pass. Returns (M, P)."""
    _, grads = _losses_and_gradients(np.concatenate([centres + eps * u, centres - eps * u]), hidden_size, dataset, fn)
    return (grads[: len(centres)] - grads[len(centres) :]) / (2.0 * eps)


def hessian(
    params: Params, dataset: Dataset, *, eps: float = HESSIAN_EPS, loss_and_grads_fn: LossAndGrads | None = None
) -> np.ndarray:
    """The full Hessian of the loss over all parameters, flattened in the order of ``flatten``.

    Column j is the central difference of the gradient along e_j, (g(w + eps e_j) - g(w - eps e_j)) / (2 eps),
    eq. (3) of notebook 06; the matrix is then symmetrized, (M + M^T) / 2. That costs 2P gradients, all
    computed in one vectorized pass for the package's network (about 0.02 s for H = 16). Accuracy: see
    ``HESSIAN_EPS``.

    Parameters
    ----------
    params : dict
        ``W_xh`` (H, V), ``W_hh`` (H, H), ``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,); not modified.
    dataset : Dataset
    eps : float
        Difference step, > 0.
    loss_and_grads_fn : callable, optional
        ``f(params, dataset) -> (loss, grads)`` whose gradient is differenced; default the package's exact one.

    Returns
    -------
    numpy.ndarray of float64, shape (P, P), symmetric.
    """
    params, dataset = check_model_args(params, dataset)
    eps = check_positive_finite(eps, "eps")
    fn = _check_fn(loss_and_grads_fn)
    w = flatten(params)
    step = eps * np.eye(w.size)
    _, grads = _losses_and_gradients(np.concatenate([w + step, w - step]), _sizes(params)[0], dataset, fn)
    columns = (grads[: w.size] - grads[w.size :]) / (2.0 * eps)  # row j: dg/dw_j = column j of the Hessian
    return (columns + columns.T) / 2.0


def largest_eigenvalue(matrix: np.ndarray) -> float:
    """The largest eigenvalue of a symmetric matrix (LAPACK's symmetric eigensolver, ``numpy.linalg.eigvalsh``).

    Parameters
    ----------
    matrix : numpy.ndarray, shape (P, P)
        Symmetric, finite.

    Returns
    -------
    float
    """
    if not isinstance(matrix, np.ndarray) or matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or not matrix.size:
        raise ValueError(f"matrix must be a square 2-D numpy array, got {getattr(matrix, 'shape', matrix)!r}")
    if not np.all(np.isfinite(matrix)) or not np.allclose(matrix, matrix.T, rtol=0, atol=1e-12 * np.abs(matrix).max()):
        raise ValueError("matrix must be symmetric and finite")
    return float(np.linalg.eigvalsh(matrix)[-1])


def sharpness(
    params: Params, dataset: Dataset, *, eps: float = HESSIAN_EPS, loss_and_grads_fn: LossAndGrads | None = None
) -> float:
    """lambda_max, the largest eigenvalue of ``hessian(params, dataset)``: the steepest curvature at w.

    Returns
    -------
    float
        Gradient descent with lr < 2 / lambda_max is stable near w (notebook 06, eq. (2)).
    """
    return largest_eigenvalue(hessian(params, dataset, eps=eps, loss_and_grads_fn=loss_and_grads_fn))


def hessian_vector_product(
    params: Params,
    dataset: Dataset,
    v: np.ndarray,
    *,
    eps: float = HESSIAN_EPS,
    loss_and_grads_fn: LossAndGrads | None = None,
) -> np.ndarray:
    """H v without forming H: |v| (g(w + eps u) - g(w - eps u)) / (2 eps) with u = v / |v|.

    Parameters
    ----------
    params : dict
    dataset : Dataset
    v : numpy.ndarray, shape (P,)
        A direction in the order of ``flatten``; H 0 = 0.
    eps : float
        Difference step along the unit vector u, > 0.
    loss_and_grads_fn : callable, optional

    Returns
    -------
    numpy.ndarray of float64, shape (P,)
    """
    params, dataset = check_model_args(params, dataset)
    eps = check_positive_finite(eps, "eps")
    fn = _check_fn(loss_and_grads_fn)
    w = flatten(params)
    v = _check_vector(v, w.size, "v")
    norm = np.linalg.norm(v)
    if norm == 0.0:
        return np.zeros_like(w)
    return norm * _hessian_times_unit(w[None], v / norm, eps, _sizes(params)[0], dataset, fn)[0]


def sharpness_by_power_iteration(
    params: Params,
    dataset: Dataset,
    *,
    n_iters: int = 500,
    rtol: float = 1e-9,
    seed: int = 0,
    loss_and_grads_fn: LossAndGrads | None = None,
) -> float:
    """lambda_max from Hessian-vector products alone (power iteration), for when the full matrix is too big.

    Power iteration v <- H v / |H v| converges to the eigenvalue of largest magnitude. If that one is
    negative, a second run on H + |lambda| I (whose eigenvalues are all >= 0 and whose top one is
    lambda_max + |lambda|) gives lambda_max. Each iteration costs two gradients. The Rayleigh quotient
    v^T H v stops when it changes by less than ``rtol`` (relative) between iterations; convergence is slow
    when the top two eigenvalues are close.

    Returns
    -------
    float
    """
    params, dataset = check_model_args(params, dataset)
    n_iters = check_int(n_iters, "n_iters", minimum=1)
    rtol = check_positive_finite(rtol, "rtol")
    seed = check_int(seed, "seed", minimum=0)
    fn = _check_fn(loss_and_grads_fn)
    start = np.random.default_rng(seed).standard_normal(flatten(params).size)

    def top(shift: float) -> float:
        v, value = start / np.linalg.norm(start), np.inf
        for _ in range(n_iters):
            hv = hessian_vector_product(params, dataset, v, loss_and_grads_fn=fn) + shift * v
            new_value = float(v @ hv)  # Rayleigh quotient of H + shift I
            v = hv / np.linalg.norm(hv)
            if abs(new_value - value) <= rtol * abs(new_value):
                return new_value - shift
            value = new_value
        return value - shift

    largest_magnitude = top(0.0)
    return largest_magnitude if largest_magnitude >= 0.0 else top(-largest_magnitude)


def secant_curvature(loss_before: object, loss_after: object, grad_sq_norm: object, lr: float) -> np.ndarray | float:
    """The curvature c along a step d = -lr g, eq. (4) of notebook 06, from what a training run records.

    c = 2 (L(w + d) - L(w) - g . d) / |d|^2 = 2 (L(w + d) - L(w) + lr |g|^2) / (lr^2 |g|^2). By eq. (6) the
    step raised the loss exactly when c > 2 / lr.

    Parameters
    ----------
    loss_before, loss_after : float or numpy.ndarray
        L(w) and L(w + d), any matching shapes (e.g. ``losses[:-1]`` and ``losses[1:]``).
    grad_sq_norm : float or numpy.ndarray
        |g|^2 at w, > 0 (a zero gradient makes no step).
    lr : float

    Returns
    -------
    float, or numpy.ndarray of the broadcast shape.
    """
    lr = check_positive_finite(lr, "lr")
    arrays = [np.asarray(a, dtype=np.float64) for a in (loss_before, loss_after, grad_sq_norm)]
    for name, a in zip(("loss_before", "loss_after", "grad_sq_norm"), arrays, strict=True):
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must be finite, got {a!r:.80}")
    before, after, g2 = arrays
    if np.any(g2 <= 0):
        raise ValueError("grad_sq_norm must be > 0: a zero gradient makes no step, and c is undefined")
    c = 2.0 * (after - before + lr * g2) / (lr**2 * g2)
    return float(c) if c.ndim == 0 else c


def step_curvature(
    params: Params, dataset: Dataset, lr: float, *, loss_and_grads_fn: LossAndGrads | None = None
) -> float:
    """c for the gradient-descent step from ``params`` with learning rate ``lr`` (see ``secant_curvature``)."""
    params, dataset = check_model_args(params, dataset)
    lr = check_positive_finite(lr, "lr")
    fn = _check_fn(loss_and_grads_fn)
    w = flatten(params)
    losses, grads = _losses_and_gradients(w[None], _sizes(params)[0], dataset, fn)
    g = grads[0]
    after, _ = _losses_and_gradients((w - lr * g)[None], _sizes(params)[0], dataset, fn)
    return secant_curvature(losses[0], after[0], float(g @ g), lr)


def _check_positions(ts: object, name: str) -> np.ndarray:
    try:
        values = None if isinstance(ts, str) else np.asarray(ts, dtype=np.float64)
    except (TypeError, ValueError):
        values = None
    if values is None or values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be a non-empty 1-D sequence of finite numbers, got {ts!r:.80}")
    return values


def loss_along_line(params: Params, dataset: Dataset, direction: np.ndarray, ts: object) -> np.ndarray:
    """L(w + t d) for every t in ``ts``: the loss along a straight line (all points in one vectorized pass).

    Parameters
    ----------
    params : dict
        w.
    dataset : Dataset
    direction : numpy.ndarray, shape (P,)
        d, in the order of ``flatten`` (e.g. -lr times the flat gradient: t = 1 is the step).
    ts : sequence of float, shape (M,)

    Returns
    -------
    numpy.ndarray of float64, shape (M,)
    """
    params, dataset = check_model_args(params, dataset)
    w = flatten(params)
    d = _check_vector(direction, w.size, "direction")
    ts = _check_positions(ts, "ts")
    stack = unflatten(w + ts[:, None] * d, _sizes(params)[0], dataset.vocab_size)
    return _loss_terms(_forward(stack, _time_first(dataset.inputs)), dataset.targets).sum(axis=(0, -1))


def curvature_along_line(
    params: Params, dataset: Dataset, direction: np.ndarray, ss: object, *, eps: float = HESSIAN_EPS
) -> np.ndarray:
    """u^T H(w + s d) u for every s in ``ss``, u = d / |d|: the curvature that eq. (5) averages.

    Each value is a central difference of the gradient along u, u . (g(w + s d + eps u) - g(w + s d - eps u))
    / (2 eps); all points run in one vectorized pass.

    Parameters
    ----------
    params : dict
    dataset : Dataset
    direction : numpy.ndarray, shape (P,), not zero
    ss : sequence of float, shape (M,)
    eps : float

    Returns
    -------
    numpy.ndarray of float64, shape (M,)
    """
    params, dataset = check_model_args(params, dataset)
    eps = check_positive_finite(eps, "eps")
    w = flatten(params)
    d = _check_vector(direction, w.size, "direction")
    ss = _check_positions(ss, "ss")
    norm = np.linalg.norm(d)
    if norm == 0.0:
        raise ValueError("direction must not be zero: the curvature along it is undefined")
    u = d / norm
    return _hessian_times_unit(w + ss[:, None] * d, u, eps, _sizes(params)[0], dataset, None) @ u
