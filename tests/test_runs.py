import warnings

import numpy as np
import pytest

import rnn_helpers as rh
from rnn_helpers import curvature as cv
from rnn_helpers.bugs import loss_and_grads_with_bug
from rnn_helpers.runs import (
    LEARNER_RUN,
    RunConfig,
    StepStatistics,
    flow_time_gap,
    flow_time_outcome,
    minibatch_of_one,
    nudge_sensitivity,
    record_run,
    rising_step_curvatures,
    sampled_rise,
    step_statistics,
)


def test_recording_does_not_change_the_run(params, data):
    plain = rh.train_full_batch(params, data, lr=0.9, n_iters=300)
    recorded = record_run(params, data, lr=0.9, n_iters=300)
    np.testing.assert_array_equal(recorded.losses, plain.losses)
    for key in params:
        np.testing.assert_array_equal(recorded.history.params[key], plain.params[key])


def test_gradient_norms_and_kept_iterates(params, data):
    run = record_run(params, data, lr=0.5, n_iters=40, keep_every=10)
    assert sorted(run.kept) == [0, 10, 20, 30, 40]
    w10, g10 = run.kept[10]
    step10 = rh.train_full_batch(params, data, lr=0.5, n_iters=10).params
    np.testing.assert_array_equal(w10, cv.flatten(step10))
    loss, grads = rh.loss_and_grads(step10, data)
    np.testing.assert_array_equal(g10, cv.flatten(grads))
    assert run.grad_sq_norms[10] == pytest.approx(np.sum(g10**2), rel=1e-14)
    assert run.losses[10] == loss


def test_keep_rises_keeps_exactly_the_rising_steps(data):
    run = record_run(rh.init_params(8, scale=0.5, seed=0), data, lr=1.0772, n_iters=200, keep_rises=True)
    rising = run.rising_steps()
    assert len(rising) > 10
    assert sorted(run.kept) == rising.tolist()


def test_curvatures_are_nan_where_the_run_stopped(params, data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = record_run(params, data, lr=0.3, n_iters=60, loss_and_grads_fn=loss_and_grads_with_bug("softmax_sign"))
    c = run.curvatures()
    assert c.shape == (60,)
    if run.history.diverged:
        assert np.isnan(c[run.history.diverged_at :]).all()
    assert np.isfinite(c[:5]).all()


def test_sampled_rise_of_a_made_up_curve():
    losses = np.array([9.0, 8.0, 7.0, 7.5, 8.0, 8.5, 9.5, 2.0, 1.0, 1.0, 1.2])
    every_one = sampled_rise(losses, every=1)
    assert every_one.longest_run == 4
    assert every_one.climb == pytest.approx(2.5) and every_one.at_sample == 6
    assert every_one.relative_climb == pytest.approx(2.5 / 7.0)
    assert every_one.visible()
    every_two = sampled_rise(losses, every=2)  # samples 9, 7, 8, 9.5, 1, 1.2
    assert every_two.longest_run == 2 and every_two.climb == pytest.approx(2.5) and every_two.at_sample == 3
    every_three = sampled_rise(losses, every=3)  # samples 9, 7.5, 9.5, 1
    assert every_three.longest_run == 1 and every_three.climb == pytest.approx(2.0)


def test_sampled_rise_locates_the_longest_run_in_iterations():
    losses = np.array([5.0, 4.0, 3.0, 3.5, 4.0, 4.5, 2.0, 2.5, 1.0])
    rise = sampled_rise(losses, every=1)
    assert (rise.start, rise.end, rise.longest_run) == (2, 5, 3)
    first = sampled_rise(np.array([3.0, 4.0, 1.0, 2.0, 0.5]), every=1)
    assert (first.start, first.end) == (0, 1)  # the first of two equally long runs
    assert (sampled_rise(np.array([3.0, 2.0]), every=1).start, sampled_rise(np.array([3.0, 2.0])).end) == (0, 0)


def test_sampling_sees_a_climb_that_the_raw_curve_bounces_through():
    # A period-2 bounce whose even iterations creep up: every other iteration falls, every 100th sample rises.
    k = np.arange(1001)
    losses = 2.0 + 0.001 * k + np.where(k % 2 == 0, 0.5, -0.5)
    assert sampled_rise(losses, every=1).longest_run == 1
    rise = sampled_rise(losses, every=100)
    assert (rise.start, rise.end, rise.longest_run) == (0, 1000, 10)
    stats = step_statistics(losses, 0, 1000)
    assert stats == pytest.approx(StepStatistics(0.5, 1.0, 1000.0), rel=1e-6)


def test_step_statistics_of_a_smooth_climb():
    losses = np.concatenate([np.linspace(3.0, 1.0, 50), np.linspace(1.0, 2.0, 301)[1:], np.linspace(2.0, 0.0, 50)])
    rise = sampled_rise(losses, every=10)
    assert (rise.start, rise.end) == (50, 350)  # the climb is losses[49..349]; losses[350] starts the fall
    stats = step_statistics(losses, 50, 349)
    assert stats.rising_fraction == 1.0 and stats.turning_fraction == 0.0
    assert stats.path_over_net == pytest.approx(1.0)
    assert step_statistics(np.ones(5), 0, 4).path_over_net == float("inf")


@pytest.mark.parametrize(
    ("call", "exc", "text"),
    [
        (lambda: step_statistics([1.0, 2.0, 3.0], 0, 2), TypeError, "losses must be a 1-D numpy array"),
        (lambda: step_statistics(np.ones((3, 3)), 0, 2), TypeError, "losses must be a 1-D numpy array"),
        (lambda: step_statistics(np.ones(5), 3, 4), ValueError, "end must be an integer >= 5"),
        (lambda: step_statistics(np.ones(5), -1, 4), ValueError, "start must be an integer >= 0"),
        (lambda: step_statistics(np.ones(5), 0, 5), ValueError, "end must be at most 4"),
        (lambda: step_statistics(np.array([1.0, np.inf, 2.0]), 0, 2), ValueError, "must be finite"),
    ],
)
def test_step_statistics_bad_arguments(call, exc, text):
    with pytest.raises(exc, match=text):
        call()


def test_a_climb_needs_three_rising_samples():
    blip = sampled_rise(np.array([5.0, 4.0, 4.5, 3.0, 2.0]), every=1)
    assert blip.visible() and not blip.climbs()
    climb = sampled_rise(np.array([5.0, 4.0, 4.1, 4.2, 4.3, 1.0]), every=1)
    assert climb.climbs() and not climb.climbs(min_run=4)
    tiny = sampled_rise(np.array([5.0, 4.0, 4.001, 4.002, 4.003, 1.0]), every=1)
    assert tiny.longest_run == 3 and not tiny.climbs()  # 0.1%: not visible


def test_a_falling_curve_has_no_visible_rise():
    rise = sampled_rise(np.geomspace(10, 1e-5, 1001), every=100)
    assert rise.longest_run == 0 and rise.climb == 0.0 and not rise.visible()


def test_minibatch_of_one_alternates_the_words(params, data):
    history = rh.train_full_batch(params, data, lr=0.4, n_iters=2, loss_and_grads_fn=minibatch_of_one(data))
    w = params
    for word in (0, 1):  # "dogs" first, then "gods"
        _, grads = rh.loss_and_grads(w, data.subset([word]))
        w = {k: w[k] - 0.4 * grads[k] for k in w}
    for key in w:
        np.testing.assert_allclose(history.params[key], w[key], rtol=1e-14)
    assert history.losses[2] == pytest.approx(rh.loss(w, data), rel=1e-14)  # the loss over both words


def test_run_config_builds_the_start():
    config = RunConfig(hidden_size=8, scale=0.5, seed=0, lr=1.0, n_iters=10)
    for key, value in config.init_params().items():
        np.testing.assert_array_equal(value, rh.init_params(8, scale=0.5, seed=0)[key])
    assert str(config) == "H=8, scale=0.5, seed=0, lr=1, 10 steps"
    history = config.train()
    np.testing.assert_array_equal(
        history.losses, rh.train_full_batch(config.init_params(), rh.make_dataset(), lr=1.0, n_iters=10).losses
    )


def test_run_config_defaults_are_the_learners_and_describe_names_everything():
    assert (LEARNER_RUN.n_iters, LEARNER_RUN.every) == (15000, 100)
    text = RunConfig(hidden_size=6, scale=0.25, seed=3, lr=0.2, n_iters=500, every=50).describe()
    for part in ("H = 6", "scale 0.25", "seed 3", "learning rate 0.2", "500 iterations", "every 50"):
        assert part in text


@pytest.mark.parametrize(
    ("kwargs", "exc", "text"),
    [
        ({"hidden_size": 0}, ValueError, "hidden_size must be an integer >= 1"),
        ({"scale": -0.1}, ValueError, "scale must be a finite positive number"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
        ({"lr": float("inf")}, ValueError, "lr must be a finite positive number"),
        ({"n_iters": -1}, ValueError, "n_iters must be an integer >= 0"),
        ({"every": 0}, ValueError, "every must be an integer >= 1"),
    ],
)
def test_bad_run_config(kwargs, exc, text):
    with pytest.raises(exc, match=text):
        RunConfig(**{"hidden_size": 4, "scale": 0.1, "seed": 0, "lr": 0.5, **kwargs})


def test_bad_inputs(params, data):
    with pytest.raises(ValueError, match="keep_every must be an integer >= 0"):
        record_run(params, data, lr=0.1, n_iters=3, keep_every=-1)
    with pytest.raises(TypeError, match="keep_rises must be True or False"):
        record_run(params, data, lr=0.1, n_iters=3, keep_rises="yes")
    with pytest.raises(TypeError, match="loss_and_grads_fn must be a function"):
        record_run(params, data, lr=0.1, n_iters=3, loss_and_grads_fn=3)
    with pytest.raises(ValueError, match="lr must be a finite positive number"):
        record_run(params, data, lr=0.0, n_iters=3)
    with pytest.raises(ValueError, match="every must be an integer >= 1"):
        sampled_rise(np.ones(5), every=0)
    with pytest.raises(TypeError, match="losses must be a non-empty 1-D numpy array"):
        sampled_rise([1.0, 2.0])
    with pytest.raises(ValueError, match="losses must be finite at every sample"):
        sampled_rise(np.array([1.0, np.nan]), every=1)
    with pytest.raises(TypeError, match="dataset must be a Dataset"):
        minibatch_of_one("dogs")


# --- the experiment helpers of notebook 06 --------------------------------------------------------------------


def test_sampled_rise_reads_as_a_sentence():
    assert str(sampled_rise(np.array([3.0, 1.0, 2.0, 2.5, 0.1]), every=1)) == (
        "2 rising samples in a row, up by 1.5 (150%) (sampled every 1)"
    )
    assert str(sampled_rise(np.array([3.0, 2.0]), every=1)) == "no rise (sampled every 1)"


def test_rising_step_curvatures(data):
    run = record_run(rh.init_params(8, scale=0.5, seed=0), data, lr=1.0772, n_iters=120, keep_rises=True)
    result = rising_step_curvatures(run, data, n_measured=7)
    np.testing.assert_array_equal(result.steps, run.rising_steps())
    np.testing.assert_array_equal(result.curvatures, run.curvatures()[result.steps])
    assert (
        len(result.measured) == 7 and result.measured[0] == result.steps[0] and result.measured[-1] == result.steps[-1]
    )
    k = int(result.measured[3])
    assert result.sharpness[3] == pytest.approx(rh.sharpness(cv.unflatten(run.kept[k][0], 8), data), rel=1e-12)
    text = str(result)
    assert text.startswith(f"rising steps: {len(result.steps)}; c_k > 2/eta at 100% of them")
    assert "of the 7 measured" in text


def test_rising_step_curvatures_needs_rises_and_their_weights(params, data):
    calm = record_run(params, data, lr=0.05, n_iters=20, keep_rises=True)
    with pytest.raises(ValueError, match="the run never raised the loss"):
        rising_step_curvatures(calm, data)
    bumpy = record_run(rh.init_params(8, scale=0.5, seed=0), data, lr=1.0772, n_iters=20)
    with pytest.raises(ValueError, match="use keep_rises=True"):
        rising_step_curvatures(bumpy, data)
    with pytest.raises(TypeError, match="run must be a RecordedRun"):
        rising_step_curvatures(bumpy.history, data)


def test_flow_time_outcome(params, data):
    calm = flow_time_outcome(params, data, 0.1, t_end=20.0)
    assert len(calm.losses) == 201 and calm.diverged_at_time is None and not calm.rise.visible()
    assert str(calm) == f"falls to {calm.losses[-1]:.0e}"
    uphill = flow_time_outcome(params, data, 0.1, t_end=20.0, loss_and_grads_fn=loss_and_grads_with_bug("softmax_sign"))
    assert uphill.rise.visible() and str(uphill).startswith("rises x")
    tanh_bug = loss_and_grads_with_bug("tanh_at_preactivation")
    blown = flow_time_outcome(LEARNER_RUN.init_params(), data, 0.2, t_end=10.0, loss_and_grads_fn=tanh_bug)
    assert blown.diverged_at_time is not None and str(blown).startswith("blows up at t=")
    assert blown.diverged_at_time == pytest.approx(0.2 * np.argmax(np.isnan(blown.losses)))


def test_flow_time_gap():
    t = np.arange(101) * 0.1
    a = np.exp(-t)  # lr 0.1 over t in [0, 10]
    b = np.exp(-np.arange(51) * 0.2)  # lr 0.2, the same curve
    assert flow_time_gap(a, 0.1, b, 0.2, t_start=0.0, t_end=10.0) < 1e-12
    assert flow_time_gap(a, 0.1, 10 * b, 0.2, t_start=1.0, t_end=10.0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="losses_b must be positive losses reaching flow time"):
        flow_time_gap(a, 0.1, b[:10], 0.2, t_start=0.0, t_end=10.0)
    with pytest.raises(ValueError, match="t_start must be >= 0 and below t_end"):
        flow_time_gap(a, 0.1, b, 0.2, t_start=10.0, t_end=10.0)


def test_nudge_sensitivity(params, data):
    assert nudge_sensitivity(params, data, 0.05, n_iters=200) < 1e-9  # a calm run barely notices
    with pytest.raises(ValueError, match="size must be a finite positive number"):
        nudge_sensitivity(params, data, 0.05, n_iters=10, size=0.0)
