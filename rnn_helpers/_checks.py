"""Argument checks shared by the public functions (private module).

Every public function of the package checks its input here, so that a bad value is reported where the
learner passed it, with a message that names the value and what is allowed, and never surfaces later as an
``IndexError`` or a NaN from deep inside the numerics.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np

from .encoding import Dataset

PARAM_KEYS: tuple[str, ...] = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


def check_positive_finite(value: object, name: str) -> float:
    """Return ``value`` as a float if it is a finite number > 0, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a finite positive number, got {value!r} of type {type(value).__name__}")
    as_float = float(value)
    if not math.isfinite(as_float) or as_float <= 0.0:
        raise ValueError(f"{name} must be a finite positive number, got {value!r}")
    return as_float


def check_int(value: object, name: str, *, minimum: int) -> int:
    """Return ``value`` as an int if it is an integer >= ``minimum``, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def param_shapes(hidden_size: int, vocab_size: int) -> dict[str, tuple[int, ...]]:
    """The shape of every parameter for hidden size H and vocabulary size V."""
    H, V = hidden_size, vocab_size
    return {"W_xh": (H, V), "W_hh": (H, H), "W_hy": (V, H), "b_h": (H,), "b_y": (V,)}


def check_params(params: object, vocab_size: int | None = None) -> dict[str, np.ndarray]:
    """Check a parameter dict and return a float64 copy of it.

    H is read from ``W_hh`` and V from ``W_xh`` (or taken from ``vocab_size`` when given); every array must
    then have the shape ``param_shapes(H, V)`` gives. Non-finite entries are refused.
    """
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict with keys {list(PARAM_KEYS)}, got {type(params).__name__}")
    missing = [k for k in PARAM_KEYS if k not in params]
    extra = [k for k in params if k not in PARAM_KEYS]
    if missing or extra:
        raise ValueError(f"params must have exactly the keys {list(PARAM_KEYS)}; missing {missing}, unexpected {extra}")
    arrays: dict[str, np.ndarray] = {}
    for key in PARAM_KEYS:
        value = params[key]
        if not isinstance(value, np.ndarray) or not np.issubdtype(value.dtype, np.number):
            raise TypeError(f"params[{key!r}] must be a numeric numpy array, got {type(value).__name__}")
        if np.iscomplexobj(value):
            raise TypeError(f"params[{key!r}] must be real, got dtype {value.dtype}")
        arrays[key] = np.array(value, dtype=np.float64)  # a copy: the caller's arrays are never touched
    W_hh = arrays["W_hh"]
    if W_hh.ndim != 2 or W_hh.shape[0] != W_hh.shape[1] or W_hh.shape[0] < 1:
        raise ValueError(f"params['W_hh'] must be a square (H, H) array with H >= 1, got shape {W_hh.shape}")
    H = W_hh.shape[0]
    if vocab_size is None:
        if arrays["W_xh"].ndim != 2:
            raise ValueError(f"params['W_xh'] must have shape (H, V), got shape {arrays['W_xh'].shape}")
        vocab_size = arrays["W_xh"].shape[1]
    for key, shape in param_shapes(H, vocab_size).items():
        if arrays[key].shape != shape:
            raise ValueError(
                f"params[{key!r}] has shape {arrays[key].shape}, expected {shape} "
                f"(H={H} from W_hh, V={vocab_size}); shapes are W_xh (H,V), W_hh (H,H), W_hy (V,H), "
                "b_h (H,), b_y (V,)"
            )
        if not np.all(np.isfinite(arrays[key])):
            raise ValueError(f"params[{key!r}] contains NaN or infinite entries")
    return arrays


def check_dataset(dataset: object) -> Dataset:
    """Return ``dataset`` if it is a ``Dataset``, else raise a TypeError that says where one comes from."""
    if not isinstance(dataset, Dataset):
        raise TypeError(f"dataset must be a Dataset from make_dataset(...), got {type(dataset).__name__}")
    return dataset
