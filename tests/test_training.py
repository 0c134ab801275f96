import warnings

import numpy as np
import pytest

import rnn_helpers as rh


def test_history_shape_and_first_loss(params, data):
    history = rh.train_full_batch(params, data, lr=0.1, n_iters=50)
    assert history.losses.shape == (51,)
    assert history.losses[0] == rh.loss(params, data)
    assert history.losses[-1] == pytest.approx(rh.loss(history.params, data), rel=1e-14)
    assert not history.diverged and history.diverged_at is None


def test_one_step_is_a_gradient_step(params, data):
    history = rh.train_full_batch(params, data, lr=0.3, n_iters=1)
    _, grads = rh.loss_and_grads(params, data)
    for key in params:
        np.testing.assert_allclose(history.params[key], params[key] - 0.3 * grads[key], rtol=1e-15)


def test_zero_iterations(params, data):
    history = rh.train_full_batch(params, data, lr=0.1, n_iters=0)
    assert history.losses.shape == (1,)
    for key in params:
        np.testing.assert_array_equal(history.params[key], params[key])


def test_small_learning_rate_falls_at_every_iteration(data):
    params = rh.init_params(8, seed=0)
    history = rh.train_full_batch(params, data, lr=0.01, n_iters=3000)
    assert np.all(np.diff(history.losses) < 0)


def test_training_learns_both_words(params, data):
    history = rh.train_full_batch(params, data, lr=0.1, n_iters=15000)
    assert history.losses[-1] < 0.01
    predicted = rh.predict_proba(history.params, data).argmax(axis=-1)
    np.testing.assert_array_equal(predicted, data.targets)


def test_deterministic(params, data):
    a = rh.train_full_batch(params, data, lr=0.5, n_iters=300)
    b = rh.train_full_batch(params, data, lr=0.5, n_iters=300)
    np.testing.assert_array_equal(a.losses, b.losses)


def test_params_passed_in_are_not_modified(params, data):
    before = {k: v.copy() for k, v in params.items()}
    rh.train_full_batch(params, data, lr=0.5, n_iters=20)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])


def exploding(params, dataset):
    loss, grads = rh.loss_and_grads(params, dataset)
    return loss, {k: g * 1e300 for k, g in grads.items()}


def test_divergence_stops_at_once_silently(params, data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning would fail the test
        history = rh.train_full_batch(params, data, lr=1e300, n_iters=100, loss_and_grads_fn=exploding)
    assert history.diverged
    assert history.diverged_at == 1
    assert np.isfinite(history.losses[0]) and np.all(np.isnan(history.losses[1:]))
    assert all(np.all(np.isfinite(v)) for v in history.params.values())
    assert "diverged at iteration 1" in history.status


def test_a_non_finite_loss_is_divergence(params, data):
    def nan_after_three(p, d, calls=[0]):  # noqa: B006 - a counter shared between calls
        calls[0] += 1
        loss, grads = rh.loss_and_grads(p, d)
        return (float("nan") if calls[0] > 3 else loss), grads

    history = rh.train_full_batch(params, data, lr=0.1, n_iters=10, loss_and_grads_fn=nan_after_three)
    assert history.diverged_at == 3
    assert np.all(np.isfinite(history.losses[:3])) and np.all(np.isnan(history.losses[3:]))


@pytest.mark.parametrize("lr", [0, -0.1, float("inf"), float("nan")])
def test_bad_learning_rate(params, data, lr):
    with pytest.raises(ValueError, match=r"lr must be a finite positive number, got"):
        rh.train_full_batch(params, data, lr=lr, n_iters=10)


@pytest.mark.parametrize(("n_iters", "exc"), [(-1, ValueError), (2.0, TypeError), ("10", TypeError)])
def test_bad_n_iters(params, data, n_iters, exc):
    with pytest.raises(exc, match="n_iters must be an integer >= 0"):
        rh.train_full_batch(params, data, lr=0.1, n_iters=n_iters)


def test_numpy_integers_are_accepted(params, data):
    history = rh.train_full_batch(params, data, lr=np.float64(0.1), n_iters=np.int64(3))
    assert history.losses.shape == (4,)


# train_lr_sweep: K runs side by side must be K runs of train_full_batch.


@pytest.mark.parametrize("hidden", [3, 8])
def test_sweep_equals_separate_runs(data, hidden):
    params = rh.init_params(hidden, scale=0.5, seed=2)
    lrs = [0.05, 0.3, 1.0]
    sweep = rh.train_lr_sweep(params, data, lrs=lrs, n_iters=1500)
    assert sweep.losses.shape == (3, 1501)
    assert sweep.params["W_hh"].shape == (3, hidden, hidden)
    for k, lr in enumerate(lrs):
        alone = rh.train_full_batch(params, data, lr=lr, n_iters=1500)
        np.testing.assert_allclose(sweep.losses[k], alone.losses, rtol=1e-12, atol=0)
        for key in params:
            np.testing.assert_allclose(sweep.params[key][k], alone.params[key], rtol=1e-12, atol=1e-12)
        run = sweep.run(k)
        assert isinstance(run, rh.TrainHistory) and run.lr == lr and run.status.startswith("ran 1500 iterations")


def test_sweep_divergence_is_that_of_separate_runs(data, params):
    lrs = [1e307, 0.3, 1e308]  # huge steps overflow: the loss or a weight becomes inf or NaN
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and silently
        sweep = rh.train_lr_sweep(params, data, lrs=lrs, n_iters=20)
    for k, lr in enumerate(lrs):
        alone = rh.train_full_batch(params, data, lr=lr, n_iters=20)
        assert sweep.diverged[k] == alone.diverged
        assert sweep.run(k).diverged_at == alone.diverged_at
        np.testing.assert_array_equal(np.isnan(sweep.losses[k]), np.isnan(alone.losses))
        np.testing.assert_allclose(sweep.losses[k], alone.losses, rtol=1e-12)
        for key in params:
            np.testing.assert_allclose(sweep.params[key][k], alone.params[key], rtol=1e-12)
            assert np.all(np.isfinite(sweep.params[key][k]))
    assert sweep.diverged.tolist() == [True, False, True]
    assert "diverged at iteration" in sweep.run(0).status


def test_a_diverged_run_does_not_disturb_the_others(data, params):
    both = rh.train_lr_sweep(params, data, lrs=[0.3, 1e308, 0.05], n_iters=50)
    alone = rh.train_lr_sweep(params, data, lrs=[0.3, 0.05], n_iters=50)
    np.testing.assert_array_equal(both.losses[[0, 2]], alone.losses)
    assert both.diverged_at.tolist() == [-1, 1, -1]


def test_sweep_with_zero_iterations(data, params):
    sweep = rh.train_lr_sweep(params, data, lrs=[0.1, 1.0], n_iters=0)
    np.testing.assert_array_equal(sweep.losses[:, 0], rh.loss(params, data))
    np.testing.assert_array_equal(sweep.params["W_xh"][1], params["W_xh"])


@pytest.mark.parametrize(
    ("lrs", "exc"),
    [
        ([], TypeError),
        ([[0.1, 0.2]], TypeError),
        ("fast", TypeError),
        ([0.1, -1.0], ValueError),
        ([np.nan], ValueError),
    ],
)
def test_sweep_bad_learning_rates(data, params, lrs, exc):
    with pytest.raises(exc, match="lrs|learning rate"):
        rh.train_lr_sweep(params, data, lrs=lrs, n_iters=10)


def test_sweep_bad_n_iters(data, params):
    with pytest.raises(ValueError, match="n_iters must be an integer >= 0"):
        rh.train_lr_sweep(params, data, lrs=[0.1], n_iters=-1)


def test_one_call_builds_the_arrays_it_reads_once(data, params, monkeypatch):
    """The per-dataset constants (time-first letters, one-hot targets) are built once per run, not per step."""
    import rnn_helpers.rnn as rnn

    calls = []
    original = rnn._target_one_hot

    def counting(targets, like):
        calls.append(targets.dtype.kind)
        return original(targets, like)

    monkeypatch.setattr(rnn, "_target_one_hot", counting)
    rh.train_full_batch(params, data, lr=0.1, n_iters=30)
    rh.train_lr_sweep(params, data, lrs=[0.1, 0.2], n_iters=30)
    assert calls.count("i") == 2  # one one-hot encoding of the integer targets per training run
