"""Shared fixtures. Hypothesis runs derandomized: the same examples on every run and every machine."""

import matplotlib

# Unit tests draw off-screen. Set here, not through MPLBACKEND in the Makefile: the notebook kernels that nbval
# starts would inherit the variable, and a kernel on Agg shows no figures.
matplotlib.use("Agg")

import numpy as np  # noqa: E402
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--browser", action="store_true", help="run the JupyterLab browser test in tests/browser (make test-browser)"
    )


def pytest_ignore_collect(collection_path, config: pytest.Config) -> bool | None:
    """tests/browser needs Playwright and Chromium: `make test` leaves it out, `make test-browser` runs it."""
    if collection_path.name == "browser" and collection_path.parent.name == "tests":
        return not config.getoption("--browser")
    return None
