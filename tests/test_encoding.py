import numpy as np
import pytest

import rnn_helpers as rh


def test_alphabet_is_the_learners():
    assert rh.ALPHABET == "dogs"


def test_one_hot_matches_the_learners_vectors():
    np.testing.assert_array_equal(rh.one_hot("d"), [[1, 0, 0, 0]])
    np.testing.assert_array_equal(rh.one_hot("s"), [[0, 0, 0, 1]])
    encoded = rh.one_hot("dogs")
    assert encoded.dtype == np.float64
    assert encoded.shape == (4, 4)
    np.testing.assert_array_equal(encoded, np.eye(4))
    np.testing.assert_array_equal(rh.one_hot("gods"), np.eye(4)[[2, 1, 0, 3]])


def test_one_hot_with_another_alphabet():
    encoded = rh.one_hot("cab", alphabet="abc")
    np.testing.assert_array_equal(encoded, np.eye(3)[[2, 0, 1]])


def test_dataset_shifts_inputs_and_targets_by_one_letter(data):
    assert data.inputs.shape == (2, 3, 4)
    assert data.inputs.dtype == np.float64
    assert data.targets.shape == (2, 3)
    assert np.issubdtype(data.targets.dtype, np.integer)
    np.testing.assert_array_equal(data.inputs[0], rh.one_hot("dog"))
    np.testing.assert_array_equal(data.inputs[1], rh.one_hot("god"))
    np.testing.assert_array_equal(data.targets, [[1, 2, 3], [1, 0, 3]])  # o g s / o d s
    assert (data.n_words, data.n_steps, data.vocab_size) == (2, 3, 4)


def test_dataset_arrays_are_read_only(data):
    with pytest.raises(ValueError):
        data.inputs[0, 0, 0] = 5.0


def test_subset_gives_one_word(data):
    one = data.subset([1])
    assert one.words == ("gods",)
    np.testing.assert_array_equal(one.inputs[0], data.inputs[1])


@pytest.mark.parametrize(
    ("call", "exc", "words_in_message"),
    [
        (lambda: rh.one_hot("dogx"), ValueError, ["'x'", "alphabet"]),
        (lambda: rh.one_hot(5), TypeError, ["str"]),
        (lambda: rh.one_hot("dog", alphabet="dogd"), ValueError, ["repeats", "'d'"]),
        (lambda: rh.one_hot("dog", alphabet=""), ValueError, ["at least one letter"]),
        (lambda: rh.make_dataset(["dogs", ""]), ValueError, ["empty"]),
        (lambda: rh.make_dataset(["d"]), ValueError, ["'d'", "one letter"]),
        (lambda: rh.make_dataset(["dogs", "god"]), ValueError, ["same length", "[3, 4]"]),
        (lambda: rh.make_dataset(["dogs", "gxds"]), ValueError, ["'x'", "alphabet"]),
        (lambda: rh.make_dataset([]), ValueError, ["at least one word"]),
        (lambda: rh.make_dataset("dogs"), TypeError, ["sequence of words"]),
        (lambda: rh.make_dataset(["dogs"], alphabet="ddogs"), ValueError, ["repeats"]),
    ],
)
def test_bad_input_is_named(call, exc, words_in_message):
    with pytest.raises(exc) as info:
        call()
    for word in words_in_message:
        assert word in str(info.value)
