"""diagnose: why did the loss go up? A wrong gradient, or a step across a valley (notebook 06).

For every step k that raised the loss, L(w_{k+1}) > L(w_k), it measures

1. whether the gradient is right along that step: the slope the gradient claims, g . u with u = d / |d|, against
   the measured slope (L(w + e u) - L(w - e u)) / (2 e) (two loss evaluations, so it is done at every rise);
   at up to ``max_checks`` rises (spread evenly over them) it also runs the full ``gradient_check``;
2. the curvature c along the step, eq. (4) of notebook 06, from the loss alone (the measured slope in place of
   g . d, so that c means the same with a wrong gradient): with the right gradient, the step raised the loss
   exactly when c > 2 / lr (eq. (6)); a step that went uphill (measured slope > 0) needs no curvature at all;
3. at the rises checked in full whose gradient passed, the sharpness lambda_max at w_k, beside 2 / lr.

Each rise gets a verdict: "gradient" (a check failed: the gradient is wrong, whatever the learning rate),
"update" (only for a recorded run: the step taken was not -lr times the gradient), "curvature" (c > 2 / lr:
the step jumped across a valley), "neither" (with a right gradient only rounding can do that, eq. (6)), or
"overflow" (the numbers stopped being finite: the run was blowing up). The full gradient check also runs at the
start, so a wrong gradient is reported even when the loss never rose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ._checks import check_dataset, check_int, check_positive_finite
from .curvature import _check_fn, flatten, sharpness, unflatten
from .encoding import Dataset
from .gradcheck import RIGHT_BELOW, LossAndGrads, gradient_check, relative_error, verdict
from .rnn import Params, _loss_and_grads, check_model_args
from .runs import record_run

SLOPE_EPS = 1e-5
"""Step of the central difference of the loss along the unit direction of the step."""

MAX_CHECKS = 5
"""Default number of rises that get the full gradient check and the sharpness (each costs 2P evaluations)."""

VERDICTS: dict[str, str] = {
    "gradient": "the gradient is wrong",
    "update": "the step was not -lr times the gradient",
    "curvature": "curvature along the step > 2/lr",
    "neither": "neither",
    "overflow": "numbers not finite (the run was blowing up)",
}


@dataclass(frozen=True)
class Rise:
    """One step k -> k + 1 that raised the loss, and what was measured there.

    Attributes
    ----------
    step : int
        k.
    loss_before, loss_after : float
        L(w_k), L(w_{k+1}).
    curvature : float
        c of eq. (4), notebook 06, from the loss alone: 2 (L(w_{k+1}) - L(w_k) - s |d|) / |d|^2 with s the
        measured slope along the step d.
    slope : float
        s, the measured slope of L along the step (per unit length): > 0 means the step went uphill.
    slope_error : float
        |claimed - measured| / (|claimed| + |measured|) for the slope of L along the step.
    step_error : float
        relative_error(d, -lr g): 0.0 when diagnose ran the steps itself.
    gradient_error : float or None
        Largest norm-wise relative error of the full gradient check at w_k, when it ran there.
    sharpness : float or None
        lambda_max at w_k, when measured (only where the full gradient check passed).
    verdict : str
        A key of ``VERDICTS``.
    """

    step: int
    loss_before: float
    loss_after: float
    curvature: float
    slope: float
    slope_error: float
    step_error: float
    gradient_error: float | None
    sharpness: float | None
    verdict: str


@dataclass(frozen=True)
class Diagnosis:
    """The result of ``diagnose``: every rise, the check at the start, and a readable report (``str(...)``)."""

    lr: float
    losses: np.ndarray
    rises: tuple[Rise, ...]
    start_gradient_error: float
    diverged_at: int | None
    tol: float

    @property
    def counts(self) -> dict[str, int]:
        """How many rises got each verdict."""
        return {key: sum(r.verdict == key for r in self.rises) for key in VERDICTS}

    @property
    def gradient_ok(self) -> bool:
        """False when the check at the start or at any rise failed."""
        return self.start_gradient_error <= self.tol and self.counts["gradient"] == 0

    @property
    def verdict(self) -> str:
        """ "gradient", "update", "curvature", "neither", or "no rise" for the run as a whole."""
        if not self.gradient_ok:
            return "gradient"
        counts = self.counts
        if not self.rises:
            return "no rise"
        for key in ("update", "neither"):
            if counts[key]:
                return key
        return "curvature"

    def __str__(self) -> str:
        n_steps = int(np.sum(np.isfinite(self.losses))) - 1
        start = self.start_gradient_error
        check = verdict(start) if np.isfinite(start) else "not finite"
        lines = [
            f"diagnose: {n_steps} steps at lr = {self.lr:.4g} (2/lr = {2 / self.lr:.4g})",
            f"gradient check at the start: {check} (relative error {_error_text(start)}; a check fails above"
            f" {self.tol:.0e})",
        ]
        if self.diverged_at is not None:
            lines.append(f"the run diverged at step {self.diverged_at} (loss or weights not finite)")
        if not self.rises:
            lines.append("the loss never rose")
        else:
            biggest = max(self.rises, key=lambda r: r.loss_after - r.loss_before)
            lines.append(
                f"the loss rose at {len(self.rises)} of {n_steps} steps"
                f" (largest rise {biggest.loss_after - biggest.loss_before:+.3g}, at step {biggest.step})"
            )
            for key, count in self.counts.items():
                if count or key in ("gradient", "curvature"):
                    lines.append(f"  {VERDICTS[key]:<40}: {count} rises")
            lines += self._table()
        lines.append("verdict: " + _VERDICT_TEXT[self.verdict].format(two_over_lr=2 / self.lr))
        return "\n".join(lines)

    def _table(self) -> list[str]:
        checked = [r for r in self.rises if r.gradient_error is not None]
        if not checked:
            return []
        lines = [
            f"checked in full at {len(checked)} of the rises:",
            f"  {'step':>6} {'loss before -> after':>22} {'c':>9} {'sharpness':>9} {'grad. check':>11}  verdict",
        ]
        for r in checked:
            sharp = "-" if r.sharpness is None else f"{r.sharpness:.2g}"
            lines.append(
                f"  {r.step:>6} {r.loss_before:>10.4g} -> {r.loss_after:<8.4g} {r.curvature:>9.3g} {sharp:>9}"
                f" {_error_text(r.gradient_error):>11}  {r.verdict}"
            )
        return lines

    def __repr__(self) -> str:
        return str(self)


ROUNDING_LEVEL = 1e-8
"""Relative errors below this are printed as "< 1e-08": a right gradient gives 1e-11 to 1e-9, and those digits
are rounding, which differs from machine to machine."""


def _error_text(error: float) -> str:
    return f"< {ROUNDING_LEVEL:.0e}" if error < ROUNDING_LEVEL else f"{error:.0e}"


_VERDICT_TEXT = {
    "gradient": "the gradient is WRONG (a gradient check failed). Fix it first: a wrong gradient can raise the loss "
    "at any learning rate, and no learning rate removes that.",
    "update": "the gradient is right, but the steps taken were not -lr times it: check the update code.",
    "curvature": "the gradient is right; every rise is a step along which the loss curves more than 2/lr = "
    "{two_over_lr:.4g}: the step jumped across a valley. A smaller learning rate removes such rises.",
    "neither": "the gradient is right, but some rises have c <= 2/lr: they are at the level of rounding errors.",
    "no rise": "the gradient is right and the loss never rose.",
}


def _measured_slope(fn: LossAndGrads, w: np.ndarray, u: np.ndarray, H: int, dataset: Dataset, eps: float) -> float:
    """(L(w + eps u) - L(w - eps u)) / (2 eps): the slope of the loss along the unit vector u."""
    V = dataset.vocab_size
    plus = fn(unflatten(w + eps * u, H, V), dataset)[0]
    minus = fn(unflatten(w - eps * u, H, V), dataset)[0]
    return (plus - minus) / (2.0 * eps)


def _rise(
    k: int, before: float, after: float, w: np.ndarray, g: np.ndarray, d: np.ndarray, lr: float, H: int, ctx: dict
) -> Rise:
    """The cheap measurements at one rise: slope check along d, c, and the step check."""
    norm = np.linalg.norm(d)
    u = d / norm
    claimed = float(g @ u)
    measured = _measured_slope(ctx["fn"], w, u, H, ctx["dataset"], SLOPE_EPS)
    slope_error = relative_error(np.array(claimed), np.array(measured))
    curvature = 2.0 * (after - before - measured * norm) / norm**2  # eq. (4), the slope measured, not claimed
    step_error = relative_error(d, -lr * g)
    return Rise(k, before, after, curvature, measured, slope_error, step_error, None, None, "")


def _finite(rise: Rise) -> bool:
    return bool(np.isfinite([rise.curvature, rise.slope_error, rise.step_error]).all())


def _verdict(rise: Rise, lr: float, tol: float) -> str:
    if not _finite(rise):
        return "overflow"
    if rise.slope_error > tol or (rise.gradient_error is not None and not rise.gradient_error <= tol):
        return "gradient"
    if rise.step_error > tol:
        return "update"
    return "curvature" if rise.curvature > 2.0 / lr else "neither"


def _full_checks(rise: Rise, w: np.ndarray, H: int, ctx: dict) -> Rise:
    """The full gradient check at w_k, and the sharpness there when the gradient passed it."""
    params = unflatten(w, H, ctx["dataset"].vocab_size)
    error = _gradient_error(params, ctx)
    sharp = None
    if error <= ctx["tol"]:
        sharp = sharpness(params, ctx["dataset"], loss_and_grads_fn=ctx["user_fn"])
    return replace(rise, gradient_error=error, sharpness=sharp)


def _gradient_error(params: Params, ctx: dict) -> float:
    """The full gradient check, as one norm-wise relative error over all parameters together.

    Over all parameters, not per parameter: where the hidden units saturate, the gradient of W_xh, W_hh and
    b_h shrinks to 1e-6 and below, and the round-off of the central differences (about 1e-10) alone is then a
    1e-4 relative error of that parameter, though the gradient is right and that part does not move the step.
    """
    checks = gradient_check(params, ctx["dataset"], loss_and_grads_fn=ctx["user_fn"]).checks
    analytic = flatten({key: check.analytic for key, check in checks.items()})
    numeric = flatten({key: check.numeric for key, check in checks.items()})
    return relative_error(analytic, numeric)  # eq. (17) of notebook 04, over all parameters


def _check_iterates(iterates: object, dataset: Dataset) -> list[Params]:
    if isinstance(iterates, (str, bytes)) or not isinstance(iterates, Sequence) or len(iterates) < 2:
        raise TypeError("iterates must be a list of at least two parameter dicts w_0, w_1, ... (one per step)")
    return [check_model_args(p, dataset)[0] for p in iterates]


def diagnose(
    dataset: Dataset,
    *,
    lr: float,
    params: Params | None = None,
    n_iters: int | None = None,
    iterates: Sequence[Params] | None = None,
    loss_and_grads_fn: LossAndGrads | None = None,
    max_checks: int = MAX_CHECKS,
    tol: float = RIGHT_BELOW,
) -> Diagnosis:
    """Find every step that raised the loss and say why: a wrong gradient, curvature > 2/lr, or neither.

    Give either ``params`` and ``n_iters`` (diagnose then runs ``n_iters`` steps of gradient descent itself,
    with ``train_full_batch``), or ``iterates``, the parameters w_0, w_1, ..., w_n of a run you recorded.

    Parameters
    ----------
    dataset : Dataset
    lr : float
        The learning rate of the run.
    params : dict, optional
        The start w_0 (with ``n_iters``).
    n_iters : int, optional
    iterates : sequence of dict, optional
        A recorded run, w_0 .. w_n (n >= 1); the steps are d_k = w_{k+1} - w_k.
    loss_and_grads_fn : callable, optional
        ``f(params, dataset) -> (loss, grads)``, the code under suspicion; default the package's exact one.
    max_checks : int
        At most this many rises (spread evenly over all of them, first and last included) get the full gradient
        check (2P loss evaluations) and the sharpness (2P gradients); every rise gets the slope check (2 loss
        evaluations). >= 0.
    tol : float
        Relative error above which a check fails: by default ``gradcheck.RIGHT_BELOW`` (1e-6), notebook 04's
        line between "right" and "suspicious". A right gradient gives about 1e-10 here; the bugs of
        ``rnn_helpers.bugs`` give 1e-3 to 1.

    Returns
    -------
    Diagnosis
        ``rises`` (one ``Rise`` each, in order), ``counts``, ``verdict``; ``print`` it for the report.
    """
    dataset = check_dataset(dataset)
    lr = check_positive_finite(lr, "lr")
    max_checks = check_int(max_checks, "max_checks", minimum=0)
    tol = check_positive_finite(tol, "tol")
    user_fn = _check_fn(loss_and_grads_fn)
    fn = user_fn or _loss_and_grads
    ctx = {"fn": fn, "user_fn": user_fn, "dataset": dataset, "tol": tol}
    if (params is None) == (iterates is None) or (params is None) != (n_iters is None):
        raise ValueError("give either params and n_iters (diagnose runs the steps) or iterates (a recorded run)")
    with np.errstate(all="ignore"):  # a run that blows up is reported ("overflow"), not warned about
        return _diagnose(dataset, lr, params, n_iters, iterates, ctx, max_checks)


def _diagnose(
    dataset: Dataset,
    lr: float,
    params: Params | None,
    n_iters: int | None,
    iterates: Sequence[Params] | None,
    ctx: dict,
    max_checks: int,
) -> Diagnosis:
    """``diagnose`` after its arguments are checked."""
    fn, user_fn, tol = ctx["fn"], ctx["user_fn"], ctx["tol"]
    found: list[tuple[Rise, np.ndarray]] = []
    if iterates is None:
        start, _ = check_model_args(params, dataset)
        run = record_run(start, dataset, lr=lr, n_iters=n_iters, loss_and_grads_fn=user_fn, keep_rises=True)
        losses, diverged_at, H = run.losses, run.history.diverged_at, start["W_hh"].shape[0]
        for k in run.rising_steps():
            w, g = run.kept[int(k)]
            found.append((_rise(int(k), losses[k], losses[k + 1], w, g, -lr * g, lr, H, ctx), w))
    else:
        points = _check_iterates(iterates, dataset)
        start, H, diverged_at = points[0], points[0]["W_hh"].shape[0], None
        losses = np.array([fn(p, dataset)[0] for p in points], dtype=np.float64)
        for k in np.flatnonzero(losses[1:] > losses[:-1]):
            w, g = flatten(points[k]), flatten(fn(points[k], dataset)[1])
            d = flatten(points[k + 1]) - w
            if np.any(d):
                found.append((_rise(int(k), losses[k], losses[k + 1], w, g, d, lr, H, ctx), w))
    start_error = _gradient_error(start, ctx)
    finite = [i for i, (rise, _) in enumerate(found) if _finite(rise)]
    chosen = {finite[j] for j in np.linspace(0, len(finite) - 1, min(max_checks, len(finite))).round().astype(int)}
    rises = []
    for i, (rise, w) in enumerate(found):
        if i in chosen:
            rise = _full_checks(rise, w, H, ctx)
        rises.append(replace(rise, verdict=_verdict(rise, lr, tol)))
    return Diagnosis(
        lr=lr,
        losses=losses,
        rises=tuple(rises),
        start_gradient_error=start_error,
        diverged_at=diverged_at,
        tol=tol,
    )
