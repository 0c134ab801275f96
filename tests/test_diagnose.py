import warnings

import numpy as np
import pytest

import rnn_helpers as rh
from rnn_helpers import curvature as cv
from rnn_helpers.bugs import BUGS, loss_and_grads_with_bug
from rnn_helpers.diagnose import VERDICTS, diagnose
from rnn_helpers.gradcheck import RIGHT_BELOW
from rnn_helpers.runs import record_run


@pytest.fixture(scope="module")
def dataset():
    return rh.make_dataset()


@pytest.fixture(scope="module")
def start():
    return rh.init_params(8, scale=0.5, seed=0)


@pytest.fixture(scope="module")
def bumpy(dataset, start):
    """The right gradient at a large learning rate: half the steps go up."""
    return diagnose(dataset, lr=1.0772, params=start, n_iters=600)


def test_a_right_gradient_at_a_small_learning_rate_never_rises(dataset, start):
    result = diagnose(dataset, lr=0.05, params=start, n_iters=300)
    assert result.rises == () and result.verdict == "no rise" and result.gradient_ok
    assert result.start_gradient_error < 1e-8
    assert "the loss never rose" in str(result)


def test_a_right_gradient_at_a_large_learning_rate_rises_by_curvature(bumpy):
    rising = np.flatnonzero(np.diff(bumpy.losses) > 0)
    assert len(rising) > 100
    assert [r.step for r in bumpy.rises] == rising.tolist()  # every rise is reported, in order
    assert bumpy.verdict == "curvature" and bumpy.gradient_ok
    assert bumpy.counts["curvature"] == len(rising)
    for rise in bumpy.rises:
        assert rise.curvature > 2 / bumpy.lr
        assert rise.slope_error < 1e-8 and rise.step_error == 0.0


def test_the_numbers_of_a_rise_are_the_runs(bumpy, dataset, start):
    run = record_run(start, dataset, lr=bumpy.lr, n_iters=600)
    np.testing.assert_array_equal(bumpy.losses, run.losses)
    c = run.curvatures()
    for rise in bumpy.rises[:20]:
        assert rise.loss_before == run.losses[rise.step] and rise.loss_after == run.losses[rise.step + 1]
        assert rise.curvature == pytest.approx(c[rise.step], rel=1e-6)


def test_full_checks_are_bounded_and_spread(bumpy):
    checked = [r for r in bumpy.rises if r.gradient_error is not None]
    assert len(checked) == 5
    assert checked[0] is bumpy.rises[0] and checked[-1] is bumpy.rises[-1]
    for rise in checked:
        assert rise.gradient_error < 1e-8
        assert rise.sharpness is not None and np.isfinite(rise.sharpness)


def test_sharpness_at_a_rise_is_the_hessians(bumpy, dataset, start):
    rise = next(r for r in bumpy.rises if r.sharpness is not None and r.step > 0)
    params = rh.train_full_batch(start, dataset, lr=bumpy.lr, n_iters=rise.step).params
    assert rise.sharpness == pytest.approx(cv.sharpness(params, dataset), rel=1e-12)


def test_max_checks(dataset, start):
    none = diagnose(dataset, lr=1.0772, params=start, n_iters=50, max_checks=0)
    assert none.rises and all(r.gradient_error is None and r.sharpness is None for r in none.rises)
    many = diagnose(dataset, lr=1.0772, params=start, n_iters=50, max_checks=1000)
    assert all(r.gradient_error is not None for r in many.rises)


@pytest.mark.parametrize("bug", list(BUGS))
def test_every_bug_of_the_zoo_is_caught(dataset, start, bug):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warnings, even from a run that blows up
        result = diagnose(dataset, lr=1.0, params=start, n_iters=100, loss_and_grads_fn=loss_and_grads_with_bug(bug))
    assert result.verdict == "gradient" and not result.gradient_ok
    assert result.start_gradient_error > 1e-3
    assert "the gradient is WRONG" in str(result)
    assert result.rises, "every bug raises the loss somewhere at lr = 1"
    assert result.counts["gradient"] >= 1
    for rise in result.rises:
        if rise.verdict == "curvature":  # where the wrong part of the gradient does not matter along the step
            assert rise.slope_error <= RIGHT_BELOW and rise.curvature > 2 / result.lr


@pytest.mark.parametrize("bug", ["one_word_gradient", "softmax_sign"])
def test_bugs_that_raise_the_loss_at_a_small_learning_rate(dataset, start, bug):
    result = diagnose(dataset, lr=0.05, params=start, n_iters=300, loss_and_grads_fn=loss_and_grads_with_bug(bug))
    assert result.rises and all(r.verdict == "gradient" for r in result.rises)
    for rise in result.rises:  # the steps went uphill, and the curvature along them does not explain the rise
        assert rise.slope > 0 and rise.curvature < 2 / result.lr


def test_a_recorded_run_gives_the_same_answer(dataset, start):
    lr, n = 1.0772, 60
    run = record_run(start, dataset, lr=lr, n_iters=n, keep_every=1)
    iterates = [cv.unflatten(run.kept[k][0], 8) for k in range(n + 1)]
    recorded = diagnose(dataset, lr=lr, iterates=iterates)
    live = diagnose(dataset, lr=lr, params=start, n_iters=n)
    assert [r.step for r in recorded.rises] == [r.step for r in live.rises]
    for a, b in zip(recorded.rises, live.rises, strict=True):
        assert a.curvature == pytest.approx(b.curvature, rel=1e-6)
        assert a.verdict == b.verdict == "curvature"
        assert a.step_error < 1e-12


def test_a_recorded_run_with_another_learning_rate_is_an_update_problem(dataset, start):
    run = record_run(start, dataset, lr=1.0772, n_iters=30, keep_every=1)
    iterates = [cv.unflatten(run.kept[k][0], 8) for k in range(31)]
    result = diagnose(dataset, lr=0.5, iterates=iterates)  # the steps were taken at 1.0772
    assert result.rises and result.verdict == "update"
    assert all(r.verdict == "update" for r in result.rises)
    assert "check the update code" in str(result)


def test_a_diverging_run_is_reported_without_warnings(dataset, start):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = diagnose(dataset, lr=50.0, params=start, n_iters=200)
    assert result.gradient_ok
    text = str(result)
    assert "rose at" in text
    if result.diverged_at is not None:
        assert f"diverged at step {result.diverged_at}" in text


def test_the_report_is_rounded_and_names_every_count(bumpy):
    text = str(bumpy)
    assert text.startswith("diagnose: 600 steps at lr = 1.077 (2/lr = 1.857)")
    assert "gradient check at the start: right (relative error < 1e-08; a check fails above 1e-06)" in text
    assert f"the loss rose at {len(bumpy.rises)} of 600 steps" in text
    assert f"{VERDICTS['curvature']:<40}: {len(bumpy.rises)} rises" in text
    assert "checked in full at 5 of the rises" in text
    assert "e-09" not in text and "e-10" not in text and "e-11" not in text  # rounding-level digits are not shown
    assert "verdict: the gradient is right" in text


def test_a_wrong_gradient_reads_wrong(dataset, start):
    wrong = loss_and_grads_with_bug("softmax_sign")
    text = str(diagnose(dataset, lr=0.1, params=start, n_iters=5, loss_and_grads_fn=wrong))
    assert "gradient check at the start: wrong (relative error 1e+00" in text


def test_bad_inputs(dataset, start):
    with pytest.raises(ValueError, match="give either params and n_iters"):
        diagnose(dataset, lr=0.1, params=start)
    with pytest.raises(ValueError, match="give either params and n_iters"):
        diagnose(dataset, lr=0.1)
    with pytest.raises(ValueError, match="give either params and n_iters"):
        diagnose(dataset, lr=0.1, params=start, n_iters=3, iterates=[start, start])
    with pytest.raises(TypeError, match="iterates must be a list of at least two parameter dicts"):
        diagnose(dataset, lr=0.1, iterates=[start])
    with pytest.raises(ValueError, match="lr must be a finite positive number"):
        diagnose(dataset, lr=0.0, params=start, n_iters=3)
    with pytest.raises(ValueError, match="max_checks must be an integer >= 0"):
        diagnose(dataset, lr=0.1, params=start, n_iters=3, max_checks=-1)
    with pytest.raises(ValueError, match="tol must be a finite positive number"):
        diagnose(dataset, lr=0.1, params=start, n_iters=3, tol=0)
    with pytest.raises(TypeError, match="dataset must be a Dataset"):
        diagnose("dogs", lr=0.1, params=start, n_iters=3)
    with pytest.raises(TypeError, match="loss_and_grads_fn must be a function"):
        diagnose(dataset, lr=0.1, params=start, n_iters=3, loss_and_grads_fn=1)
    with pytest.raises(ValueError, match="n_iters must be an integer >= 0"):
        diagnose(dataset, lr=0.1, params=start, n_iters=-2)


def test_a_step_that_overflows_is_reported_as_such(dataset, start):
    tanh_bug = loss_and_grads_with_bug("tanh_at_preactivation")  # blows up within a few steps at lr = 0.3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = diagnose(dataset, lr=0.3, params=start, n_iters=300, loss_and_grads_fn=tanh_bug)
    assert result.diverged_at is not None
    overflowed = [r for r in result.rises if r.verdict == "overflow"]
    assert overflowed and not np.isfinite([overflowed[0].curvature, overflowed[0].slope_error]).all()
    assert f"{VERDICTS['overflow']:<40}: {len(overflowed)} rises" in str(result)
    assert result.verdict == "gradient"
