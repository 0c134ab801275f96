"""Speed of the trainers, on one core (run by hand or with `make bench`; never part of the tests).

Prints, for H in {4, 8, 16}, the time of one 15000-iteration full-batch run (``train_full_batch``), then the
model-iterations per second of the K-model trainer ``train_lr_sweep`` for K in {1, 16, 64, 256}, and the time of
the K = 64 grid of 15000 iterations. Each figure is the best of a few repeats of the CPU time of this process
(the wall time is printed beside it; on a busy machine it is larger). BLAS is held to one thread.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported: the targets are for one core

import platform  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

import rnn_helpers as rh  # noqa: E402

N_ITERS = 15000


def best_of(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """The smallest CPU time and the smallest wall time of ``repeats`` calls, in seconds."""
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall)


def main() -> None:
    data = rh.make_dataset()
    print(f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    print(f"one {N_ITERS}-iteration full-batch run (train_full_batch, lr=0.1, seed 0), best of 3:")
    for hidden in (4, 8, 16):
        params = rh.init_params(hidden, seed=0)
        cpu, wall = best_of(lambda p=params: rh.train_full_batch(p, data, lr=0.1, n_iters=N_ITERS), 3)
        print(f"  H = {hidden:2d}: {cpu:.2f} s CPU ({wall:.2f} s wall), {cpu / N_ITERS * 1e6:.0f} us per iteration")
    params = rh.init_params(8, seed=0)
    sweep_iters = 2000
    print(f"train_lr_sweep, H = 8, {sweep_iters} iterations, best of 3:")
    for k in (1, 16, 64, 256):
        lrs = np.geomspace(1e-3, 1.0, k)
        cpu, wall = best_of(lambda lrs=lrs: rh.train_lr_sweep(params, data, lrs=lrs, n_iters=sweep_iters), 3)
        print(f"  K = {k:3d}: {k * sweep_iters / cpu:9.0f} model-iterations/s ({cpu:.2f} s CPU, {wall:.2f} s wall)")
    lrs = np.geomspace(1e-3, 1.0, 64)
    cpu, wall = best_of(lambda: rh.train_lr_sweep(params, data, lrs=lrs, n_iters=N_ITERS), 1)
    print(f"the K = 64 grid of {N_ITERS} iterations (one run): {cpu:.2f} s CPU ({wall:.2f} s wall)")


if __name__ == "__main__":
    main()
