import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnn_helpers as rh


@pytest.mark.parametrize("hidden", [2, 4, 8, 16])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_default_dataset_gradients_are_right(data, hidden, seed):
    report = rh.gradient_check(rh.init_params(hidden, seed=seed), data)
    assert set(report.checks) == {"W_xh", "W_hh", "W_hy", "b_h", "b_y"}
    assert report.max_norm_error <= 1e-8, str(report)
    assert report.passed()


def test_every_entry_is_checked(params, data):
    report = rh.gradient_check(params, data)
    for key, check in report.checks.items():
        assert check.n_entries == params[key].size
        assert check.numeric.shape == params[key].shape


def test_input_is_never_modified(params, data):
    before = {k: v.copy() for k, v in params.items()}
    rh.gradient_check(params, data)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])


def perturbed(key, index, amount):
    def loss_and_wrong_grads(params, dataset):
        loss, grads = rh.loss_and_grads(params, dataset)
        grads[key] = grads[key].copy()
        grads[key][index] += amount
        return loss, grads

    return loss_and_wrong_grads


words_strategy = st.integers(min_value=2, max_value=5).flatmap(
    lambda n: st.lists(st.text(alphabet="dogs", min_size=n, max_size=n), min_size=1, max_size=3)
)


@given(hidden=st.integers(1, 16), scale=st.floats(0.01, 2.0), seed=st.integers(0, 10_000), words=words_strategy)
def test_correct_gradient_passes_and_a_perturbed_one_is_flagged(hidden, scale, seed, words):
    params = rh.init_params(hidden, scale=scale, seed=seed)
    data = rh.make_dataset(words)
    report = rh.gradient_check(params, data)
    assert report.max_norm_error < 1e-7, str(report)
    _, grads = rh.loss_and_grads(params, data)
    size = np.linalg.norm(grads["W_hy"]) + 1e-3
    bad = rh.gradient_check(params, data, loss_and_grads_fn=perturbed("W_hy", (0, 0), 0.1 * size))
    assert bad.checks["W_hy"].norm_error > 1e-3
    assert not bad.passed()
    for key in ("W_xh", "W_hh", "b_h", "b_y"):
        assert bad.checks[key].norm_error < 1e-7


def test_relative_error_handles_zero_and_opposite():
    assert rh.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rh.relative_error(np.ones(3), -np.ones(3)) == 1.0
    assert rh.relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0


def test_entry_errors_skip_round_off_sized_entries():
    from rnn_helpers.gradcheck import max_entry_error

    analytic = np.array([1.0, 1e-12, 0.0])
    numeric = np.array([1.0 + 1e-9, -1e-12, 0.0])  # the tiny entry is pure round-off: opposite signs
    error, compared = max_entry_error(analytic, numeric, floor=1e-6)
    assert compared == 1
    assert error == pytest.approx(0.5e-9, rel=1e-3)


def test_numerical_gradient_of_a_quadratic():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    params = {"w": np.array([0.5, -1.0])}
    grad = rh.numerical_gradient(lambda p: 0.5 * p["w"] @ A @ p["w"], params, eps=1e-4)
    np.testing.assert_allclose(grad["w"], A @ params["w"], rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(params["w"], [0.5, -1.0])


def test_report_prints_a_table(params, data):
    text = str(rh.gradient_check(params, data))
    assert "W_hh" in text and "norm-wise" in text and "1e-06" in text


@pytest.mark.parametrize("eps", [0.0, -1e-5, float("inf"), float("nan")])
def test_bad_eps(params, data, eps):
    with pytest.raises(ValueError, match="eps must be a finite positive number"):
        rh.gradient_check(params, data, eps=eps)


def test_eps_of_wrong_type(params, data):
    with pytest.raises(TypeError, match="eps must be a finite positive number"):
        rh.gradient_check(params, data, eps="small")
