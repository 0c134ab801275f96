import numpy as np
import pytest

import rnn_helpers as rh
from rnn_helpers import curvature as cv
from rnn_helpers.runs import record_run


@pytest.fixture(scope="module")
def dataset():
    return rh.make_dataset()


@pytest.fixture(scope="module")
def trained(dataset):
    # Away from the start: the hidden units are busy and every block of the Hessian is non-zero.
    return rh.train_full_batch(rh.init_params(6, scale=0.5, seed=1), dataset, lr=0.2, n_iters=200).params


# --- the flat vector ------------------------------------------------------------------------------------------


def test_number_of_parameters():
    assert cv.n_params(8) == 8 * 4 + 64 + 4 * 8 + 8 + 4 == 140
    assert cv.n_params(16) == 404


def test_flatten_order_is_the_documented_one(trained):
    w = cv.flatten(trained)
    slices = cv.param_slices(6)
    assert list(slices) == ["W_xh", "W_hh", "W_hy", "b_h", "b_y"]
    assert slices["W_xh"].start == 0 and slices["b_y"].stop == w.size == cv.n_params(6)
    for key, part in slices.items():
        np.testing.assert_array_equal(w[part], trained[key].ravel())  # row-major
    assert w[slices["W_hh"].start + 1] == trained["W_hh"][0, 1]


def test_unflatten_inverts_flatten(trained):
    back = cv.unflatten(cv.flatten(trained), 6)
    assert list(back) == list(trained)
    for key in trained:
        np.testing.assert_array_equal(back[key], trained[key])


def test_flatten_keeps_a_model_axis(trained):
    stack = {k: np.stack([v, 2 * v, 3 * v]) for k, v in trained.items()}
    w = cv.flatten(stack)
    assert w.shape == (3, cv.n_params(6))
    np.testing.assert_array_equal(w[2], 3 * cv.flatten(trained))
    np.testing.assert_array_equal(cv.unflatten(w, 6)["W_hh"][1], 2 * trained["W_hh"])


def test_unflatten_returns_copies(trained):
    w = cv.flatten(trained)
    back = cv.unflatten(w, 6)
    back["W_hh"][0, 0] = 123.0
    assert w[cv.param_slices(6)["W_hh"]][0] == trained["W_hh"][0, 0]


# --- the Hessian ----------------------------------------------------------------------------------------------


def test_hessian_is_symmetric_and_p_by_p(trained, dataset):
    hess = cv.hessian(trained, dataset)
    assert hess.shape == (cv.n_params(6),) * 2
    np.testing.assert_array_equal(hess, hess.T)


def test_hessian_against_second_differences_of_the_loss_alone(trained, dataset):
    """A second method that never calls the backward pass: four loss values per entry."""
    hess = cv.hessian(trained, dataset)
    w = cv.flatten(trained)
    rng = np.random.default_rng(0)
    pairs = [tuple(rng.integers(0, w.size, 2)) for _ in range(40)] + [(i, i) for i in rng.integers(0, w.size, 10)]
    h = 1e-4

    def L(*shifts):
        point = w.copy()
        for index, amount in shifts:
            point[index] += amount
        return rh.loss(cv.unflatten(point, 6), dataset)

    scale = np.abs(hess).max()
    for i, j in pairs:
        second = (L((i, h), (j, h)) - L((i, h), (j, -h)) - L((i, -h), (j, h)) + L((i, -h), (j, -h))) / (4 * h * h)
        assert hess[i, j] == pytest.approx(second, abs=1e-6 * scale), (i, j)


def test_vectorized_hessian_equals_the_one_gradient_at_a_time_path(trained, dataset):
    fast = cv.hessian(trained, dataset)
    slow = cv.hessian(trained, dataset, loss_and_grads_fn=rh.loss_and_grads)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12 * np.abs(fast).max())


def quadratic(A, b, hidden_size=3):
    """L(w) = w.A w / 2 + b.w on the flat parameters: a loss whose Hessian is A everywhere."""

    def loss_and_grads(params, dataset):
        w = cv.flatten(params)
        return float(w @ A @ w / 2 + b @ w), cv.unflatten(A @ w + b, hidden_size)

    return loss_and_grads


@pytest.fixture(scope="module")
def known(dataset):
    P = cv.n_params(3)
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.standard_normal((P, P)))
    eigenvalues = np.linspace(-2.0, 5.0, P)  # lambda_max = 5, well separated from 4.83
    A = (Q * eigenvalues) @ Q.T
    A = (A + A.T) / 2
    params = rh.init_params(3, scale=1.0, seed=4)
    return params, A, quadratic(A, rng.standard_normal(P))


def test_hessian_of_a_quadratic_is_its_matrix(known, dataset):
    params, A, fn = known
    np.testing.assert_allclose(cv.hessian(params, dataset, loss_and_grads_fn=fn), A, atol=1e-9)
    assert cv.sharpness(params, dataset, loss_and_grads_fn=fn) == pytest.approx(5.0, abs=1e-9)


def test_power_iteration_on_a_quadratic(known, dataset):
    params, _, fn = known
    top = cv.sharpness_by_power_iteration(params, dataset, loss_and_grads_fn=fn, n_iters=2000)
    assert top == pytest.approx(5.0, rel=1e-6)


def test_power_iteration_finds_lambda_max_when_a_negative_eigenvalue_is_larger(dataset):
    P = cv.n_params(3)
    Q, _ = np.linalg.qr(np.random.default_rng(5).standard_normal((P, P)))
    eigenvalues = np.linspace(-8.0, 3.0, P)  # |lambda_min| = 8 > lambda_max = 3
    A = (Q * eigenvalues) @ Q.T
    fn = quadratic((A + A.T) / 2, np.zeros(P))
    params = rh.init_params(3, seed=0)
    top = cv.sharpness_by_power_iteration(params, dataset, loss_and_grads_fn=fn, n_iters=3000)
    assert top == pytest.approx(3.0, rel=1e-6)


def test_sharpness_two_ways_on_the_network(trained, dataset):
    full = cv.sharpness(trained, dataset)
    assert full == pytest.approx(np.linalg.eigvalsh(cv.hessian(trained, dataset))[-1], rel=1e-12)
    assert cv.sharpness_by_power_iteration(trained, dataset, n_iters=3000, rtol=1e-12) == pytest.approx(full, rel=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_largest_eigenvalue_of_a_known_spectrum(seed):
    rng = np.random.default_rng(seed)
    n = [1, 2, 30, 140, 200, 404][seed]
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    eigenvalues = rng.standard_normal(n) * 10.0 ** rng.uniform(-3, 3, n)  # spread, both signs
    if seed == 4:
        eigenvalues[:] = np.linspace(-50, 1e-3, n)  # a tiny top eigenvalue under a large negative one
    A = (Q * eigenvalues) @ Q.T
    A = (A + A.T) / 2
    top = eigenvalues.max()  # the spectrum A was built with; A's rounding moves it by ~1e-16 |A| n at most
    assert cv.largest_eigenvalue(A) == pytest.approx(top, rel=1e-9, abs=1e-12 * np.abs(A).max() * n)


def test_largest_eigenvalue_of_simple_matrices():
    assert cv.largest_eigenvalue(np.zeros((4, 4))) == 0.0
    assert cv.largest_eigenvalue(np.diag([3.0, -7.0, 1.0])) == pytest.approx(3.0, rel=1e-14)
    with pytest.raises(ValueError, match="matrix must be a square 2-D numpy array"):
        cv.largest_eigenvalue(np.ones((2, 3)))
    with pytest.raises(ValueError, match="matrix must be symmetric and finite"):
        cv.largest_eigenvalue(np.array([[1.0, 2.0], [0.0, 1.0]]))


def test_hessian_vector_product_is_h_times_v(trained, dataset):
    hess = cv.hessian(trained, dataset)
    v = np.random.default_rng(1).standard_normal(hess.shape[0])
    hv = cv.hessian_vector_product(trained, dataset, v)
    np.testing.assert_allclose(hv, hess @ v, rtol=0, atol=1e-7 * np.linalg.norm(hess @ v))
    np.testing.assert_array_equal(cv.hessian_vector_product(trained, dataset, np.zeros_like(v)), 0.0)


# --- the curvature along a step -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bumpy_run(dataset):
    """A run at a large learning rate: many steps go up, many go down."""
    return record_run(rh.init_params(8, scale=0.5, seed=0), dataset, lr=1.0772, n_iters=400, keep_every=50)


def test_a_step_rises_exactly_when_c_exceeds_2_over_lr(bumpy_run):
    c = bumpy_run.curvatures()
    rose = np.diff(bumpy_run.losses) > 0
    assert 20 < rose.sum() < len(rose) - 20  # both kinds of step are tested
    np.testing.assert_array_equal(c > 2 / bumpy_run.lr, rose)


def test_the_identity_of_eq_5(bumpy_run):
    lr, L, g2 = bumpy_run.lr, bumpy_run.losses, bumpy_run.grad_sq_norms
    c = bumpy_run.curvatures()
    np.testing.assert_allclose(np.diff(L), lr * g2[:-1] * (lr * c / 2 - 1), rtol=1e-9, atol=1e-12)


def test_step_curvature_is_the_weighted_average_of_eq_4(trained, dataset):
    lr = 3.0
    c = cv.step_curvature(trained, dataset, lr)
    _, grads = rh.loss_and_grads(trained, dataset)
    d = -lr * cv.flatten(grads)
    s = np.linspace(0.0, 1.0, 401)
    profile = cv.curvature_along_line(trained, dataset, d, s)
    weights = 2 * (1 - s)
    average = np.sum((weights * profile)[1:] + (weights * profile)[:-1]) / 2 * (s[1] - s[0])  # trapezoid
    assert c == pytest.approx(average, rel=1e-4)


def test_step_curvature_matches_the_recorded_run(bumpy_run, dataset):
    k = int(bumpy_run.rising_steps()[3])
    k0 = max(key for key in bumpy_run.kept if key <= k)
    params = bumpy_run.kept[k0][0]
    run = record_run(cv.unflatten(params, 8), dataset, lr=bumpy_run.lr, n_iters=k - k0 + 1)
    assert cv.step_curvature(cv.unflatten(params, 8), dataset, bumpy_run.lr) == pytest.approx(
        run.curvatures()[0], rel=1e-9
    )


def test_loss_along_line_matches_single_losses(trained, dataset):
    d = np.random.default_rng(2).standard_normal(cv.n_params(6))
    ts = [-1.0, 0.0, 0.25, 2.0]
    along = cv.loss_along_line(trained, dataset, d, ts)
    w = cv.flatten(trained)
    for t, value in zip(ts, along, strict=True):
        assert value == pytest.approx(rh.loss(cv.unflatten(w + t * d, 6), dataset), rel=1e-13)


def test_curvature_along_line_at_zero_is_u_h_u(trained, dataset):
    d = np.random.default_rng(4).standard_normal(cv.n_params(6))
    u = d / np.linalg.norm(d)
    hess = cv.hessian(trained, dataset)
    assert cv.curvature_along_line(trained, dataset, d, [0.0])[0] == pytest.approx(u @ hess @ u, abs=1e-8)


def test_secant_curvature_of_a_parabola():
    # L(x) = a x^2 / 2: g = a x, the step -lr g lands on (1 - lr a) x; c must be a for any x and lr.
    a, x, lr = 3.0, 0.7, 0.9
    after = a * ((1 - lr * a) * x) ** 2 / 2
    assert cv.secant_curvature(a * x * x / 2, after, (a * x) ** 2, lr) == pytest.approx(a, rel=1e-12)


# --- bad input ------------------------------------------------------------------------------------------------


def test_bad_inputs(trained, dataset):
    w = cv.flatten(trained)
    with pytest.raises(ValueError, match=r"w must have shape \(\.\.\., P=140\)"):
        cv.unflatten(w, 8)
    with pytest.raises(TypeError, match="w must be a real numpy array"):
        cv.unflatten(list(w), 6)
    with pytest.raises(TypeError, match="params must be a dict"):
        cv.flatten([1, 2])
    with pytest.raises(ValueError, match=r"params\['b_y'\] has shape \(3,\), expected \(4,\)"):
        cv.flatten({**trained, "b_y": np.zeros(3)})
    with pytest.raises(ValueError, match="eps must be a finite positive number"):
        cv.hessian(trained, dataset, eps=0.0)
    with pytest.raises(TypeError, match="loss_and_grads_fn must be a function"):
        cv.sharpness(trained, dataset, loss_and_grads_fn="loss")
    with pytest.raises(ValueError, match=r"v must have shape \(P,\) = \(94,\)"):
        cv.hessian_vector_product(trained, dataset, np.ones(5))
    with pytest.raises(ValueError, match="v contains NaN"):
        cv.hessian_vector_product(trained, dataset, np.full(w.size, np.nan))
    with pytest.raises(ValueError, match="n_iters must be an integer >= 1"):
        cv.sharpness_by_power_iteration(trained, dataset, n_iters=0)
    with pytest.raises(ValueError, match="grad_sq_norm must be > 0"):
        cv.secant_curvature(1.0, 2.0, 0.0, 0.1)
    with pytest.raises(ValueError, match="lr must be a finite positive number"):
        cv.secant_curvature(1.0, 2.0, 1.0, -0.1)
    with pytest.raises(ValueError, match="loss_after must be finite"):
        cv.secant_curvature(1.0, np.inf, 1.0, 0.1)
    with pytest.raises(ValueError, match="ts must be a non-empty 1-D sequence"):
        cv.loss_along_line(trained, dataset, w, "abc")
    with pytest.raises(ValueError, match="ts must be a non-empty 1-D sequence"):
        cv.loss_along_line(trained, dataset, w, [])
    with pytest.raises(ValueError, match="direction must not be zero"):
        cv.curvature_along_line(trained, dataset, np.zeros_like(w), [0.5])
    with pytest.raises(TypeError, match="dataset must be a Dataset"):
        cv.hessian(trained, "dogs")
