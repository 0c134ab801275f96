"""The learner's run (notebooks 05 and 06), and the tools to record and read training runs.

``LEARNER_RUN`` is the one configuration of this package's network that both notebooks use for the learner's
picture: seen every 100 iterations its cost climbs for a long while, then falls to almost zero.
``sampled_rise`` measures that climb in the learner's view, ``step_statistics`` tells a smooth climb from a
period-2 bounce that sampling turns into a smooth curve, and ``record_run`` trains with the package's
``train_full_batch`` (the one copy of the gradient-descent loop) and watches it through the loss-and-gradient
function it calls at every iterate, so nothing about the run changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._checks import check_dataset, check_int, check_positive_finite
from .curvature import _check_fn, flatten, secant_curvature, sharpness, unflatten
from .encoding import Dataset, make_dataset
from .gradcheck import LossAndGrads
from .rnn import Params, _loss_and_grads, check_model_args, init_params
from .training import TrainHistory, train_full_batch


@dataclass(frozen=True)
class RunConfig:
    """A training run as the learner made it: the start ``init_params(hidden_size, scale=scale, seed=seed)``,
    then ``n_iters`` full-batch gradient-descent steps of size ``lr``, the cost looked at every ``every``
    iterations."""

    hidden_size: int
    scale: float
    seed: int
    lr: float
    n_iters: int = 15000
    every: int = 100

    def __post_init__(self) -> None:
        check_int(self.hidden_size, "hidden_size", minimum=1)
        check_positive_finite(self.scale, "scale")
        check_int(self.seed, "seed", minimum=0)
        check_positive_finite(self.lr, "lr")
        check_int(self.n_iters, "n_iters", minimum=0)
        check_int(self.every, "every", minimum=1)

    def init_params(self) -> Params:
        """The starting weights, drawn from ``numpy.random.default_rng(seed)``."""
        return init_params(self.hidden_size, scale=self.scale, seed=self.seed)

    def train(self, dataset: Dataset | None = None) -> TrainHistory:
        """Train from ``init_params()`` on ``dataset`` (default: the words "dogs" and "gods")."""
        return train_full_batch(
            self.init_params(), make_dataset() if dataset is None else dataset, lr=self.lr, n_iters=self.n_iters
        )

    def describe(self) -> str:
        """The configuration in one sentence, for the notebooks."""
        return (
            f"H = {self.hidden_size} hidden units, weights drawn with scale {self.scale:g} from seed {self.seed}, "
            f"learning rate {self.lr:g}, {self.n_iters} iterations, the cost looked at every {self.every}"
        )

    def __str__(self) -> str:
        return f"H={self.hidden_size}, scale={self.scale:g}, seed={self.seed}, lr={self.lr:.4g}, {self.n_iters} steps"


LEARNER_RUN = RunConfig(hidden_size=8, scale=0.5, seed=0, lr=1.588, n_iters=15000)
"""The learner's run (notebooks 05 and 06): sampled every 100 steps, its loss rises for 66 samples in a row
(iterations 100 to 6700, +52%), then falls to 4e-5. At every iteration it is a period-2 bounce: the prediction
after "o" flips between "d" and "g" for both words, the loss at even iterations drifts up (that is what the
samples every 100 see) while the loss at odd iterations drifts down.

Chosen because it is reproducible. At these learning rates gradient descent on this network is often chaotic:
a change of 1e-12 in the start (or another machine's rounding) changes the whole run. This one is not:
``tests/test_runs_reproducible.py`` adds noise of 1e-14 to every gradient, and sums the gradient word by word,
and checks that nothing notebooks 05 and 06 print changes. It is not insensitive to everything: a learning rate
changed by 1e-6 of itself keeps it climbing past iteration 15000; but 1.588 is the same double on every machine."""

HUMPED_RUNS: tuple[RunConfig, ...] = (
    LEARNER_RUN,
    RunConfig(hidden_size=8, scale=0.5, seed=0, lr=1.0243, n_iters=15000),
    RunConfig(hidden_size=8, scale=0.5, seed=0, lr=1.3443, n_iters=15000),
    RunConfig(hidden_size=8, scale=0.5, seed=7, lr=1.0244, n_iters=15000),
)
"""Reproducible runs whose every-100 curve rises for several samples in a row and then falls below 1e-3.

Found by a scan over H in {8, 16}, init scales, seeds 0-7 and learning rates, keeping only the runs that a
1e-14 noise on every gradient leaves unchanged (the humped runs of that scan were mostly chaotic)."""


@dataclass(frozen=True)
class RecordedRun:
    """A training run with what ``train_full_batch`` does not keep.

    Attributes
    ----------
    history : TrainHistory
        The run itself: ``losses`` (n_iters + 1,), final ``params``, ``lr``.
    grad_sq_norms : numpy.ndarray of float64, shape (n_iters + 1,)
        |g_k|^2 of the gradient the loss-and-gradient function returned at w_k (NaN where the run never got).
    kept : dict of int to (numpy.ndarray, numpy.ndarray)
        For each kept iteration k: the flat iterate w_k (P,) and the flat gradient g_k (P,), in the order of
        ``curvature.flatten``.
    """

    history: TrainHistory
    grad_sq_norms: np.ndarray
    kept: dict[int, tuple[np.ndarray, np.ndarray]] = field(repr=False)

    @property
    def lr(self) -> float:
        return self.history.lr

    @property
    def losses(self) -> np.ndarray:
        return self.history.losses

    def rising_steps(self) -> np.ndarray:
        """The steps k whose update raised the loss, L(w_{k+1}) > L(w_k); int array."""
        return np.flatnonzero(self.losses[1:] > self.losses[:-1])

    def curvatures(self) -> np.ndarray:
        """c_k, the curvature along every step k -> k + 1 (eq. (4), notebook 06), shape (n_iters,).

        NaN for steps the run did not complete or whose gradient was exactly zero.
        """
        before, after, g2 = self.losses[:-1], self.losses[1:], self.grad_sq_norms[:-1]
        c = np.full(before.shape, np.nan)
        ok = np.isfinite(before) & np.isfinite(after) & np.isfinite(g2) & (g2 > 0)
        if ok.any():
            c[ok] = secant_curvature(before[ok], after[ok], g2[ok], self.lr)
        return c


class _Watcher:
    """A loss-and-gradient function that passes every call through and notes |g|^2 and chosen iterates.

    ``train_full_batch`` calls it once per iterate, k = 0, 1, 2, ...; an iterate is kept when k is a multiple
    of ``keep_every`` (> 0), or, with ``keep_rises``, when the loss at the next iterate turns out higher.
    """

    def __init__(self, fn: LossAndGrads, n_iters: int, keep_every: int, keep_rises: bool) -> None:
        self.fn, self.keep_every, self.keep_rises = fn, keep_every, keep_rises
        self.grad_sq_norms = np.full(n_iters + 1, np.nan)
        self.kept: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.k = 0
        self.previous: tuple[float, np.ndarray, np.ndarray] | None = None

    def __call__(self, params: Params, dataset: Dataset) -> tuple[float, Params]:
        loss, grads = self.fn(params, dataset)
        w, g = flatten(params), flatten(grads)
        k = self.k
        self.grad_sq_norms[k] = g @ g
        if self.keep_every and k % self.keep_every == 0:
            self.kept[k] = (w, g)
        if self.keep_rises and self.previous is not None and loss > self.previous[0]:
            self.kept[k - 1] = self.previous[1:]
        self.previous = (loss, w, g) if self.keep_rises else None
        self.k += 1
        return loss, grads


def record_run(
    params: Params,
    dataset: Dataset,
    *,
    lr: float,
    n_iters: int,
    loss_and_grads_fn: LossAndGrads | None = None,
    keep_every: int = 0,
    keep_rises: bool = False,
) -> RecordedRun:
    """Train exactly like ``train_full_batch`` and record |g_k|^2 at every iterate (and some iterates).

    Parameters
    ----------
    params : dict
        The start.
    dataset : Dataset
    lr : float
    n_iters : int
    loss_and_grads_fn : callable, optional
        As in ``train_full_batch`` (default the exact gradient).
    keep_every : int
        Keep w_k and g_k for k = 0, keep_every, 2 keep_every, ... (0: none).
    keep_rises : bool
        Keep w_k and g_k for every step k that raised the loss.

    Returns
    -------
    RecordedRun
    """
    params, dataset = check_model_args(params, dataset)
    lr = check_positive_finite(lr, "lr")
    n_iters = check_int(n_iters, "n_iters", minimum=0)
    keep_every = check_int(keep_every, "keep_every", minimum=0)
    if not isinstance(keep_rises, bool):
        raise TypeError(f"keep_rises must be True or False, got {keep_rises!r}")
    fn = _check_fn(loss_and_grads_fn) or _loss_and_grads
    watcher = _Watcher(fn, n_iters, keep_every, keep_rises)
    history = train_full_batch(params, dataset, lr=lr, n_iters=n_iters, loss_and_grads_fn=watcher)
    return RecordedRun(history=history, grad_sq_norms=watcher.grad_sq_norms, kept=watcher.kept)


@dataclass(frozen=True)
class SampledRise:
    """What a curve sampled every ``every`` iterations shows of a rise.

    Attributes
    ----------
    every : int
    longest_run : int
        The most consecutive samples that each exceed the one before.
    climb : float
        The largest amount by which a sample exceeds the lowest sample before it (0.0 when none does).
    relative_climb : float
        ``climb`` divided by that lowest earlier sample.
    at_sample : int
        The sample where the largest climb ends.
    start, end : int
        The iterations of the first and the last sample of the (first) longest run of rising samples:
        ``end - start = longest_run * every``; 0 and 0 when no sample rises.
    """

    every: int
    longest_run: int
    climb: float
    relative_climb: float
    at_sample: int
    start: int = 0
    end: int = 0

    def visible(self, threshold: float = 0.01) -> bool:
        """True when some sample exceeds the lowest one before it by more than ``threshold`` (relative)."""
        return self.relative_climb > threshold

    def climbs(self, min_run: int = 3, threshold: float = 0.01) -> bool:
        """True for a climb: at least ``min_run`` rising samples in a row, and a visible rise (see ``visible``).

        A single sample above the one before is often a blip of the first steps; a climb is what the learner saw.
        """
        return self.longest_run >= check_int(min_run, "min_run", minimum=1) and self.visible(threshold)

    def __str__(self) -> str:
        if not self.visible():
            return f"no rise (sampled every {self.every})"
        return (
            f"{self.longest_run} rising samples in a row, up by {self.climb:.2g} ({self.relative_climb:.0%})"
            f" (sampled every {self.every})"
        )


def sampled_rise(losses: np.ndarray, every: int = 100) -> SampledRise:
    """Measure the rise in the view the learner had: the loss at iterations 0, every, 2 every, ...

    Parameters
    ----------
    losses : numpy.ndarray, shape (n + 1,)
        Finite losses (a diverged run's NaN tail is refused).
    every : int
        Sampling interval, >= 1.

    Returns
    -------
    SampledRise
    """
    every = check_int(every, "every", minimum=1)
    if not isinstance(losses, np.ndarray) or losses.ndim != 1 or losses.size == 0:
        raise TypeError(f"losses must be a non-empty 1-D numpy array, got {losses!r:.80}")
    samples = np.asarray(losses[::every], dtype=np.float64)
    if not np.all(np.isfinite(samples)):
        raise ValueError("losses must be finite at every sample (a diverged run has NaN after it stopped)")
    rising = np.diff(samples) > 0
    longest = current = last = 0
    for i, up in enumerate(rising):
        current = current + 1 if up else 0
        if current > longest:
            longest, last = current, i + 1
    lowest_before = np.minimum.accumulate(samples)
    climbs = samples - lowest_before
    at = int(np.argmax(climbs))
    relative = float(climbs[at] / lowest_before[at]) if climbs[at] > 0 else 0.0
    return SampledRise(every, longest, float(climbs[at]), relative, at, (last - longest) * every, last * every)


class StepStatistics(NamedTuple):
    """How the loss moves from one iteration to the next inside a window [start, end].

    Attributes
    ----------
    rising_fraction : float
        The fraction of the steps k in the window with L(w_{k+1}) > L(w_k): near 1 for a smooth climb, near
        0.5 for a bounce that goes up and down in turn.
    turning_fraction : float
        The fraction of consecutive steps whose changes have opposite signs: near 0 for a smooth climb, near 1
        for a period-2 bounce.
    path_over_net : float
        sum_k |L(w_{k+1}) - L(w_k)| divided by |L(w_end) - L(w_start)|: 1 for a climb straight up, large when
        the loss travels far up and down to get a little higher.
    """

    rising_fraction: float
    turning_fraction: float
    path_over_net: float


def step_statistics(losses: np.ndarray, start: int, end: int) -> StepStatistics:
    """Measure the per-iteration steps of ``losses`` between iterations ``start`` and ``end`` (notebook 05).

    Parameters
    ----------
    losses : numpy.ndarray, shape (n_iters + 1,)
        The loss at every iteration (all finite inside the window).
    start, end : int
        The window, 0 <= start, start + 2 <= end <= n_iters.

    Returns
    -------
    StepStatistics
    """
    if not isinstance(losses, np.ndarray) or losses.ndim != 1 or not np.issubdtype(losses.dtype, np.number):
        raise TypeError(f"losses must be a 1-D numpy array of loss values, got {losses!r:.80}")
    start = check_int(start, "start", minimum=0)
    end = check_int(end, "end", minimum=start + 2)
    if end >= losses.size:
        raise ValueError(f"end must be at most {losses.size - 1} (the last iteration of losses), got {end}")
    window = losses[start : end + 1].astype(np.float64)
    if not np.all(np.isfinite(window)):
        raise ValueError(f"losses must be finite between iterations {start} and {end}")
    steps = np.diff(window)
    net = abs(window[-1] - window[0])
    return StepStatistics(
        rising_fraction=float(np.mean(steps > 0)),
        turning_fraction=float(np.mean(np.sign(steps[1:]) * np.sign(steps[:-1]) < 0)),
        path_over_net=float(np.abs(steps).sum() / net) if net > 0 else float("inf"),
    )


def minibatch_of_one(dataset: Dataset) -> Callable[[Params, Dataset], tuple[float, Params]]:
    """A loss-and-gradient function for one word per step: step k uses word k mod N's gradient alone.

    The loss it returns is the full loss over all words (what one would print), so ``train_full_batch(...,
    loss_and_grads_fn=minibatch_of_one(data))`` records the full loss of minibatch training with batch size one,
    the words taken in turn. It counts its calls, so make a new one for every run.
    """
    dataset = check_dataset(dataset)
    words = [dataset.subset([i]) for i in range(dataset.n_words)]
    calls = [0]

    def loss_and_one_words_grads(params: Params, data: Dataset) -> tuple[float, Params]:
        loss, _ = _loss_and_grads(params, data)
        _, grads = _loss_and_grads(params, words[calls[0] % len(words)])
        calls[0] += 1
        return loss, grads

    return loss_and_one_words_grads


@dataclass(frozen=True)
class RisingStepCurvatures:
    """At the steps of a run that raised the loss: the curvature along each, and the sharpness at some.

    Attributes
    ----------
    lr : float
    steps : numpy.ndarray of int, shape (R,)
        Every step k with L(w_{k+1}) > L(w_k).
    curvatures : numpy.ndarray, shape (R,)
        c_k along each of them, eq. (4) of notebook 06.
    measured : numpy.ndarray of int, shape (M,)
        The rising steps where the sharpness was measured (evenly spread, first and last included).
    sharpness : numpy.ndarray, shape (M,)
        lambda_max(w_k) there.
    """

    lr: float
    steps: np.ndarray
    curvatures: np.ndarray
    measured: np.ndarray
    sharpness: np.ndarray

    def __str__(self) -> str:
        limit = 2.0 / self.lr
        above = self.measured[self.sharpness > limit]
        ratio = self.curvatures / limit
        return "\n".join(
            [
                f"rising steps: {len(self.steps)}; c_k > 2/eta at {np.mean(self.curvatures > limit):.0%} of them,"
                f" c_k / (2/eta) from {ratio.min():.3f} to {ratio.max():.3f}",
                f"sharpness at the iterate > 2/eta: at {len(above)} of the {len(self.measured)} measured,"
                f" steps {above.tolist()}",
                f"median sharpness at a rising iterate: {np.median(self.sharpness):.1g}"
                f" = {np.median(self.sharpness) / limit:.2%} of 2/eta",
            ]
        )


def rising_step_curvatures(run: RecordedRun, dataset: Dataset, n_measured: int = 40) -> RisingStepCurvatures:
    """c_k at every rising step of ``run`` and lambda_max(w_k) at ``n_measured`` of them, spread evenly.

    Parameters
    ----------
    run : RecordedRun
        From ``record_run(..., keep_rises=True)`` with the exact gradient; it must have risen at least once.
    dataset : Dataset
    n_measured : int
        How many rising steps get a Hessian (each costs 2P gradients), >= 1.

    Returns
    -------
    RisingStepCurvatures
    """
    if not isinstance(run, RecordedRun):
        raise TypeError(f"run must be a RecordedRun from record_run(...), got {type(run).__name__}")
    n_measured = check_int(n_measured, "n_measured", minimum=1)
    steps = run.rising_steps()
    if len(steps) == 0:
        raise ValueError("the run never raised the loss: there are no rising steps to measure")
    missing = [int(k) for k in steps if int(k) not in run.kept]
    if missing:
        raise ValueError(f"run did not keep the weights of rising steps {missing[:5]}...: use keep_rises=True")
    measured = steps[np.unique(np.linspace(0, len(steps) - 1, min(n_measured, len(steps))).round().astype(int))]
    H = run.history.params["W_hh"].shape[0]
    sharp = np.array([sharpness(unflatten(run.kept[int(k)][0], H, dataset.vocab_size), dataset) for k in measured])
    return RisingStepCurvatures(run.lr, steps, run.curvatures()[steps], measured, sharp)


@dataclass(frozen=True)
class FlowTimeOutcome:
    """How a run looks against the flow time t = lr k: blown up, risen, or fallen.

    Attributes
    ----------
    lr : float
    losses : numpy.ndarray, shape (n + 1,)
    diverged_at_time : float or None
        lr times the iteration where the run blew up.
    rise : SampledRise or None
        The rise seen when sampling every ``dt`` of flow time (None for a run that blew up).
    """

    lr: float
    losses: np.ndarray
    diverged_at_time: float | None
    rise: SampledRise | None

    def __str__(self) -> str:
        if self.diverged_at_time is not None:
            return f"blows up at t={self.diverged_at_time:.0f}"
        if self.rise.visible():
            return f"rises x{1 + self.rise.relative_climb:.3g}"
        return f"falls to {self.losses[-1]:.0e}"


def flow_time_outcome(
    params: Params,
    dataset: Dataset,
    lr: float,
    *,
    t_end: float,
    dt: float = 1.0,
    loss_and_grads_fn: LossAndGrads | None = None,
) -> FlowTimeOutcome:
    """Train to flow time ``t_end`` (round(t_end / lr) steps) and look at the loss every ``dt`` of flow time.

    Against t = lr k, runs with smaller and smaller lr approach the flow dw/dt = -g(w) of the gradient they use
    (eq. (7), notebook 06): with the true gradient that flow never raises the loss.

    Returns
    -------
    FlowTimeOutcome
    """
    lr = check_positive_finite(lr, "lr")
    t_end = check_positive_finite(t_end, "t_end")
    dt = check_positive_finite(dt, "dt")
    every = max(1, round(dt / lr))
    history = train_full_batch(params, dataset, lr=lr, n_iters=round(t_end / lr), loss_and_grads_fn=loss_and_grads_fn)
    if history.diverged:
        return FlowTimeOutcome(lr, history.losses, history.diverged_at * lr, None)
    return FlowTimeOutcome(lr, history.losses, None, sampled_rise(history.losses, every=every))


def nudge_sensitivity(
    params: Params,
    dataset: Dataset,
    lr: float,
    *,
    n_iters: int,
    size: float = 1e-12,
    seed: int = 1,
    loss_and_grads_fn: LossAndGrads | None = None,
) -> float:
    """How much a run changes when every weight of the start is changed by a relative ``size``.

    The nudged start is w (1 + size z), z standard normal from ``numpy.random.default_rng(seed)``, one draw
    per parameter in the order of ``PARAM_KEYS``. Returns max_k |L'_k - L_k| / L_k over the two runs: about
    ``size`` for a calm run, of order 1 or more for a chaotic one.
    """
    params, dataset = check_model_args(params, dataset)
    size = check_positive_finite(size, "size")
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    nudged = {key: value * (1 + size * rng.standard_normal(value.shape)) for key, value in params.items()}
    a, b = (
        train_full_batch(p, dataset, lr=lr, n_iters=n_iters, loss_and_grads_fn=loss_and_grads_fn).losses
        for p in (params, nudged)
    )
    with np.errstate(invalid="ignore"):
        change = np.abs(b - a) / a
    return float(np.inf) if np.isnan(change).any() else float(change.max())


def flow_time_gap(
    losses_a: np.ndarray, lr_a: float, losses_b: np.ndarray, lr_b: float, *, t_start: float, t_end: float
) -> float:
    """The largest distance, in decades, between two loss curves compared at the same flow time t = lr k.

    Both curves are interpolated (linearly in log10 L) at 401 flow times from ``t_start`` to ``t_end``, which
    both runs must reach: max_t |log10 L_a(t) - log10 L_b(t)|.
    """
    lr_a, lr_b = check_positive_finite(lr_a, "lr_a"), check_positive_finite(lr_b, "lr_b")
    t_end = check_positive_finite(t_end, "t_end")
    if not 0 <= t_start < t_end:
        raise ValueError(f"t_start must be >= 0 and below t_end = {t_end}, got {t_start!r}")
    t = np.linspace(t_start, t_end, 401)
    curves = []
    for name, losses, lr in (("losses_a", losses_a, lr_a), ("losses_b", losses_b, lr_b)):
        losses = np.asarray(losses, dtype=np.float64)
        if losses.ndim != 1 or lr * (len(losses) - 1) < t_end * (1 - 1e-12) or not np.all(losses[: len(losses)] > 0):
            raise ValueError(f"{name} must be positive losses reaching flow time t_end = {t_end} (lr {lr:g})")
        curves.append(np.interp(t, lr * np.arange(len(losses)), np.log10(losses)))
    return float(np.max(np.abs(curves[0] - curves[1])))
