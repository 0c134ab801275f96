import numpy as np
import pytest

import rnn_helpers as rh
from rnn_helpers.bugs import BUGS, backward_with_bug, loss_and_grads_with_bug


@pytest.fixture
def trained_a_little(data):
    # Away from the start, where h is not tiny and every term of the gradient matters.
    return rh.train_full_batch(rh.init_params(6, scale=0.5, seed=1), data, lr=0.2, n_iters=200).params


def test_without_a_bug_it_is_the_package_backward(trained_a_little, data):
    cache = rh.forward(trained_a_little, data.inputs)
    right = rh.backward(trained_a_little, cache, data.targets)
    same = backward_with_bug(trained_a_little, cache, data.targets, None)
    for key in right:
        np.testing.assert_allclose(same[key], right[key], rtol=1e-13, atol=1e-15)


def test_there_are_at_least_six_bugs():
    assert len(BUGS) >= 6
    for bug in BUGS.values():
        assert bug.wrong != bug.right and bug.title


@pytest.mark.parametrize("bug", list(BUGS))
def test_every_bug_fails_the_gradient_check(trained_a_little, data, bug):
    report = rh.gradient_check(trained_a_little, data, loss_and_grads_fn=loss_and_grads_with_bug(bug))
    assert report.max_norm_error > 1e-3, str(report)
    assert not report.passed()


@pytest.mark.parametrize("bug", list(BUGS))
def test_the_loss_is_the_true_loss(trained_a_little, data, bug):
    loss, _ = loss_and_grads_with_bug(bug)(trained_a_little, data)
    assert loss == rh.loss(trained_a_little, data)


def test_one_word_gradient_is_the_last_words(trained_a_little, data):
    _, grads = loss_and_grads_with_bug("one_word_gradient")(trained_a_little, data)
    _, gods = rh.loss_and_grads(trained_a_little, data.subset([1]))
    for key in grads:
        np.testing.assert_allclose(grads[key], gods[key], rtol=1e-13, atol=1e-15)


def test_unknown_bug_is_named():
    with pytest.raises(ValueError, match=r"unknown bug 'typo'; the bugs are \['no_next_step_term'"):
        loss_and_grads_with_bug("typo")
