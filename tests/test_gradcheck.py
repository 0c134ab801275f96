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


def test_forward_differences_err_like_eps_central_like_eps_squared():
    # f(w) = w^3 at w = 1: forward error 3 eps + eps^2, central error exactly eps^2.
    params = {"w": np.array([1.0])}
    for eps in (1e-2, 1e-3):
        forward = rh.numerical_gradient(lambda p: p["w"][0] ** 3, params, eps, scheme="forward")["w"][0]
        central = rh.numerical_gradient(lambda p: p["w"][0] ** 3, params, eps)["w"][0]
        assert forward - 3.0 == pytest.approx(3 * eps + eps**2, rel=1e-5)
        assert central - 3.0 == pytest.approx(eps**2, rel=1e-5)


def test_unknown_scheme_is_named():
    with pytest.raises(ValueError, match=r"scheme must be one of \['central', 'forward'\], got 'backward'"):
        rh.numerical_gradient(lambda p: 0.0, {"w": np.zeros(1)}, scheme="backward")


@pytest.mark.parametrize(
    ("error", "expected"),
    [(0.0, "right"), (9e-7, "right"), (1e-6, "suspicious"), (1e-3, "suspicious"), (2e-3, "wrong"), (1.0, "wrong")],
)
def test_verdict_thresholds(error, expected):
    assert rh.verdict(error) == expected


@pytest.mark.parametrize("error", [-1e-9, float("nan"), float("inf")])
def test_verdict_refuses_what_is_not_a_relative_error(error):
    with pytest.raises(ValueError, match="error must be a relative error"):
        rh.verdict(error)
    with pytest.raises(TypeError, match="error must be a relative error"):
        rh.verdict("1e-7")


@pytest.fixture
def larger_params():
    return rh.init_params(8, scale=0.5, seed=0)


def test_the_v_in_float64(larger_params, data):
    eps = np.array([1e-1, 1e-2, 1e-3, 1e-5, 1e-11])
    central = rh.finite_difference_errors(larger_params, data, eps)
    forward = rh.finite_difference_errors(larger_params, data, eps, scheme="forward")
    # truncation: a factor 100 per decade for central differences, 10 for forward ones
    assert 70 < central[1] / central[2] < 130 and 7 < forward[1] / forward[2] < 13
    assert central[3] < 1e-8 < central[4]  # the bottom near 1e-5, round-off to the left
    assert central[3] < central[0] and central[3] < central[4]
    assert np.all(forward[:4] > central[:4])


def test_float32_cannot_reach_the_right_threshold(larger_params, data):
    eps = np.logspace(-1, -7, 13)
    float32 = rh.finite_difference_errors(larger_params, data, eps, dtype="float32")
    float64 = rh.finite_difference_errors(larger_params, data, eps)
    assert 1e-6 < float32.min() < 1e-3  # at best "suspicious", wherever eps is
    assert 1e-4 <= eps[np.argmin(float32)] <= 1e-1  # its best step is far larger than float64's
    assert float64.min() < 1e-9
    assert float32[0] == pytest.approx(float64[0], rel=1e-2)  # at eps = 0.1 both are truncation


def test_finite_difference_errors_leave_the_params_alone_and_stay_float64(larger_params, data):
    before = {k: v.copy() for k, v in larger_params.items()}
    errors = rh.finite_difference_errors(larger_params, data, [1e-3], dtype="float32")
    assert errors.dtype == np.float64 and errors.shape == (1,)
    for key in before:
        np.testing.assert_array_equal(larger_params[key], before[key])
        assert larger_params[key].dtype == np.float64


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"eps_values": []}, TypeError, "eps_values must be a non-empty 1-D sequence"),
        ({"eps_values": [1e-3, -1e-3]}, ValueError, "every step in eps_values must be a finite positive"),
        ({"eps_values": [1e-3], "dtype": "float16"}, ValueError, r"dtype must be one of \['float64', 'float32'\]"),
        ({"eps_values": [1e-3], "scheme": "backward"}, ValueError, "scheme must be one of"),
    ],
)
def test_finite_difference_errors_refuse_bad_input(params, data, kwargs, error, match):
    with pytest.raises(error, match=match):
        rh.finite_difference_errors(params, data, **kwargs)
