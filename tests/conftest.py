"""Shared fixtures. Hypothesis runs derandomized: the same examples on every run and every machine."""

import numpy as np
import pytest
from hypothesis import settings

import rnn_helpers as rh

settings.register_profile("deterministic", derandomize=True, deadline=None, max_examples=40)
settings.load_profile("deterministic")


@pytest.fixture
def data() -> rh.Dataset:
    return rh.make_dataset()


@pytest.fixture
def params() -> dict[str, np.ndarray]:
    return rh.init_params(8, seed=0)
