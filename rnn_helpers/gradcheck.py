"""Finite-difference gradient checking (notebook 04)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import PARAM_KEYS, check_positive_finite
from .encoding import Dataset
from .rnn import Params, _forward, _loss_and_grads, _loss_terms, _time_first, check_model_args

LossAndGrads = Callable[[Params, Dataset], tuple[float, Params]]

SCHEMES: tuple[str, ...] = ("central", "forward")
"""The finite-difference quotients ``numerical_gradient`` knows: eq. (16) and eq. (15) of notebook 04."""

ENTRY_FLOOR = 1e-6
"""Entries with |analytic| + |numeric| below this are left out of the entry-wise relative error.

With eps = 1e-5 and a loss of a few units, round-off alone puts an absolute error of about
1e-16 * L / eps ~ 1e-10 on every central difference: on an entry of size 1e-6 that is already a relative
error of 1e-4, which says nothing about the formula. Such entries still count in the norm-wise error."""


def numerical_gradient(
    loss_fn: Callable[[Params], float | np.ndarray], params: Params, eps: float = 1e-5, *, scheme: str = "central"
) -> Params:
    """Central differences (L(w + eps) - L(w - eps)) / (2 eps), one entry of one parameter at a time.

    Eq. (16) of notebook 04; ``scheme="forward"`` gives the forward differences (L(w + eps) - L(w)) / eps of
    eq. (15) instead, whose error shrinks only like eps (notebook 04 compares the two).

    When ``loss_fn`` returns the loss as an array of terms (L is their sum), the terms are differenced one
    by one and the differences summed. That keeps the rounding of the total out of the difference: at
    L ~ 8 one unit in the last place is 1.8e-15, about ten times the rounding of a term near 1.4, and it
    is divided by 2 eps = 2e-5.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params)`` -> float, or array of loss terms whose sum is the loss.
    params : dict of float64 arrays
        Never modified: the entries are perturbed in a private copy.
    eps : float
        The step, > 0.
    scheme : {"central", "forward"}
        Which difference quotient.

    Returns
    -------
    dict of float64 arrays, same keys and shapes as ``params``.
    """
    eps = check_positive_finite(eps, "eps")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {list(SCHEMES)}, got {scheme!r}")
    work = {k: np.array(v, dtype=np.float64) for k, v in params.items()}  # private copy
    loss_here = loss_fn(work) if scheme == "forward" else None
    grads = {}
    for key, array in work.items():
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + eps
            loss_plus = loss_fn(work)
            if scheme == "forward":
                array[index] = original  # restore before the next entry
                grad[index] = np.sum(np.subtract(loss_plus, loss_here)) / eps  # eq. (15)
                continue
            array[index] = original - eps
            loss_minus = loss_fn(work)
            array[index] = original  # restore before the next entry
            grad[index] = np.sum(np.subtract(loss_plus, loss_minus)) / (2.0 * eps)  # eq. (16)
        grads[key] = grad
    return grads


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Norm-wise relative error ||a - n|| / (||a|| + ||n||), 0.0 when both are exactly zero (eq. (17), notebook 04).

    It lies in [0, 1]: 0 for equal arrays, 1 for opposite ones. The denominator is zero only when both arrays
    are zero, and then they are equal.
    """
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / denominator)


def max_entry_error(analytic: np.ndarray, numeric: np.ndarray, floor: float = ENTRY_FLOOR) -> tuple[float, int]:
    """Largest |a - n| / (|a| + |n|) over the entries with |a| + |n| >= ``floor``, and how many there were.

    Entries below the floor are skipped (see ``ENTRY_FLOOR``): their relative error is round-off, and the
    denominator would be near zero. With no entry above the floor the error is 0.0 and the count 0.
    """
    size = np.abs(analytic) + np.abs(numeric)
    keep = size >= floor
    if not np.any(keep):
        return 0.0, 0
    return float(np.max(np.abs(analytic - numeric)[keep] / size[keep])), int(keep.sum())


@dataclass(frozen=True)
class ParamCheck:
    """The check of one parameter: its name, both gradients, and the two relative errors."""

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    norm_error: float
    entry_error: float
    n_entries: int
    n_entries_compared: int


@dataclass(frozen=True)
class GradCheckReport:
    """Analytic against central-difference gradients for every entry of every parameter.

    ``checks[name]`` holds the per-parameter result; ``max_norm_error`` is the worst norm-wise error.
    Printing the report gives a table (errors rounded to 1 significant digit, so that it reads the same on
    every machine).
    """

    checks: dict[str, ParamCheck]
    eps: float
    entry_floor: float

    @property
    def max_norm_error(self) -> float:
        """The largest norm-wise relative error over the parameters."""
        return max(c.norm_error for c in self.checks.values())

    @property
    def max_entry_error(self) -> float:
        """The largest entry-wise relative error over the parameters (entries above the floor)."""
        return max(c.entry_error for c in self.checks.values())

    def passed(self, tol: float = 1e-6) -> bool:
        """True when every parameter's norm-wise relative error is below ``tol``."""
        return self.max_norm_error < tol

    def __str__(self) -> str:
        lines = [
            f"gradient check, central differences with eps={self.eps:g}",
            f"{'param':<6} {'entries':>7} {'norm-wise rel. error':>21} {'max entry-wise rel. error':>26}",
        ]
        for c in self.checks.values():
            lines.append(f"{c.name:<6} {c.n_entries:>7} {c.norm_error:>21.0e} {c.entry_error:>26.0e}")
        lines.append(f"(entry-wise: entries with |a| + |n| >= {self.entry_floor:g} only)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


def gradient_check(
    params: Params,
    dataset: Dataset,
    eps: float = 1e-5,
    *,
    loss_and_grads_fn: LossAndGrads | None = None,
    entry_floor: float = ENTRY_FLOOR,
) -> GradCheckReport:
    """Compare the analytic gradient with central finite differences of the loss, for every entry.

    Per parameter it reports the norm-wise relative error ||a - n|| / (||a|| + ||n||) and the largest
    entry-wise relative error |a - n| / (|a| + |n|) over the entries with |a| + |n| >= ``entry_floor``.
    Entry-wise errors on tiny entries are dominated by round-off (an absolute error of about
    1e-16 * L / eps on every difference), so those entries are left out of the entry-wise figure; no
    division is ever by a number near zero. With float64 and eps = 1e-5, a correct gradient gives norm-wise
    errors around 1e-10; above 1e-6 is suspicious, above 1e-3 is wrong.

    Parameters
    ----------
    params : dict
        ``W_xh`` (H, V), ``W_hh`` (H, H), ``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,); never modified.
    dataset : Dataset
        From ``make_dataset``.
    eps : float
        Finite-difference step, > 0.
    loss_and_grads_fn : callable, optional
        ``f(params, dataset) -> (loss, grads)`` to check; the numeric gradient differentiates the loss it
        returns. By default the package's ``loss_and_grads`` is checked, and the numeric gradient
        differentiates its loss term by term (``loss_terms``), which lowers the round-off floor.
    entry_floor : float
        See above; > 0.

    Returns
    -------
    GradCheckReport
    """
    params, dataset = check_model_args(params, dataset)
    eps = check_positive_finite(eps, "eps")
    entry_floor = check_positive_finite(entry_floor, "entry_floor")
    if loss_and_grads_fn is None:
        x = _time_first(dataset.inputs)
        _, analytic = _loss_and_grads(params, dataset)
        numeric = numerical_gradient(lambda p: _loss_terms(_forward(p, x), dataset.targets), params, eps)
    else:
        _, analytic = loss_and_grads_fn(params, dataset)
        numeric = numerical_gradient(lambda p: float(loss_and_grads_fn(p, dataset)[0]), params, eps)
    checks = {}
    for key in PARAM_KEYS:
        a, n = np.asarray(analytic[key], dtype=np.float64), numeric[key]
        if a.shape != n.shape:
            raise ValueError(f"the gradient of {key} has shape {a.shape}, expected {n.shape}")
        entry_error, compared = max_entry_error(a, n, entry_floor)
        checks[key] = ParamCheck(key, a, n, relative_error(a, n), entry_error, a.size, compared)
    return GradCheckReport(checks=checks, eps=eps, entry_floor=entry_floor)


# --- Verdicts and the step size (notebook 04) -------------------------------------------------------------------

RIGHT_BELOW = 1e-6
"""A norm-wise relative error below this means "right" (float64, eps around 1e-5): ``GradCheckReport.passed``."""

WRONG_ABOVE = 1e-3
"""A norm-wise relative error above this means "wrong": a formula error, not rounding or truncation."""

DTYPES: tuple[str, ...] = ("float64", "float32")


def verdict(error: float) -> str:
    """What a norm-wise relative error says about a float64 gradient: "right", "suspicious" or "wrong".

    Below ``RIGHT_BELOW`` (1e-6) it is right, above ``WRONG_ABOVE`` (1e-3) it is wrong, in between it is
    suspicious: rerun the check at weights where nothing is tiny, or with another eps (notebook 04).
    """
    if isinstance(error, bool) or not isinstance(error, int | float | np.floating):
        raise TypeError(f"error must be a relative error (a number >= 0), got {error!r} of type {type(error).__name__}")
    if not (math.isfinite(error) and error >= 0.0):  # <= 1 in exact arithmetic; rounding may add an ulp
        raise ValueError(f"error must be a relative error (a finite number >= 0), got {error!r}")
    if error < RIGHT_BELOW:
        return "right"
    return "wrong" if error > WRONG_ABOVE else "suspicious"


def _flat(grads: Params) -> np.ndarray:
    return np.concatenate([np.ravel(grads[key]) for key in PARAM_KEYS])


def finite_difference_errors(
    params: Params,
    dataset: Dataset,
    eps_values: object,
    *,
    scheme: str = "central",
    dtype: str = "float64",
) -> np.ndarray:
    """The error of the finite-difference gradient against BPTT, for each step eps: the V of notebook 04.

    For every eps the whole gradient (every entry of every parameter) is estimated by ``numerical_gradient``
    with the loss computed in ``dtype`` (weights and one-hot inputs rounded to it, the forward pass and the
    sum of the loss run in it), and compared with the float64 BPTT gradient by the norm-wise relative error
    of eq. (17) over all parameters together. Large eps: truncation error (~eps for forward, ~eps^2 for
    central differences); small eps: round-off (~u L / eps, u = 1.1e-16 in float64, 6e-8 in float32).

    Parameters
    ----------
    params : dict
        ``W_xh`` (H, V), ``W_hh`` (H, H), ``W_hy`` (V, H), ``b_h`` (H,), ``b_y`` (V,); never modified.
    dataset : Dataset
    eps_values : sequence of float, shape (E,)
        Finite positive steps.
    scheme : {"central", "forward"}
        Eq. (16) or eq. (15) of notebook 04.
    dtype : {"float64", "float32"}
        The precision of the loss evaluations.

    Returns
    -------
    numpy.ndarray of float64, shape (E,)
        Relative errors in [0, 1].
    """
    params, dataset = check_model_args(params, dataset)
    eps_array = np.atleast_1d(np.asarray(eps_values))
    if eps_array.ndim != 1 or eps_array.size == 0 or not np.issubdtype(eps_array.dtype, np.number):
        raise TypeError(f"eps_values must be a non-empty 1-D sequence of steps, got {eps_values!r}")
    if not np.all(np.isfinite(eps_array) & (eps_array > 0)):
        raise ValueError(f"every step in eps_values must be a finite positive number, got {eps_array.tolist()}")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {list(SCHEMES)}, got {scheme!r}")
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {list(DTYPES)}, got {dtype!r}")
    x = _time_first(dataset.inputs).astype(dtype)

    def loss_in_dtype(p: Params) -> float:
        cache = _forward({key: value.astype(dtype) for key, value in p.items()}, x)
        return float(_loss_terms(cache, dataset.targets).astype(dtype).sum(dtype=dtype))

    analytic = _flat(_loss_and_grads(params, dataset)[1])
    errors = [
        relative_error(analytic, _flat(numerical_gradient(loss_in_dtype, params, float(eps), scheme=scheme)))
        for eps in eps_array
    ]
    return np.array(errors)
