"""A slow, plain reference implementation: one word at a time, one time step at a time, Python loops.

Written from the equations alone (notebook 02-03), to test the package's vectorized code against.
"""

import math

import numpy as np


def reference_loss_and_grads(params, words, alphabet="dogs"):
    V = len(alphabet)
    H = params["W_hh"].shape[0]
    total = 0.0
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    for word in words:
        xs, hs, ps, ys = [], [np.zeros(H)], [], []
        for t in range(len(word) - 1):
            x = np.zeros(V)
            x[alphabet.index(word[t])] = 1.0
            y = alphabet.index(word[t + 1])
            h = np.zeros(H)
            for i in range(H):
                a = params["b_h"][i]
                for j in range(V):
                    a += params["W_xh"][i, j] * x[j]
                for j in range(H):
                    a += params["W_hh"][i, j] * hs[-1][j]
                h[i] = math.tanh(a)
            z = [params["b_y"][v] + sum(params["W_hy"][v, i] * h[i] for i in range(H)) for v in range(V)]
            m = max(z)
            p = np.array([math.exp(zv - m) for zv in z])
            p /= p.sum()
            total += -(z[y] - m - math.log(sum(math.exp(zv - m) for zv in z)))
            xs.append(x)
            hs.append(h)
            ps.append(p)
            ys.append(y)
        dh_next = np.zeros(H)
        for t in reversed(range(len(xs))):
            dz = ps[t].copy()
            dz[ys[t]] -= 1.0
            for v in range(V):
                grads["b_y"][v] += dz[v]
                for i in range(H):
                    grads["W_hy"][v, i] += dz[v] * hs[t + 1][i]
            dh = np.array([sum(params["W_hy"][v, i] * dz[v] for v in range(V)) for i in range(H)]) + dh_next
            da = np.array([dh[i] * (1.0 - hs[t + 1][i] ** 2) for i in range(H)])
            for i in range(H):
                grads["b_h"][i] += da[i]
                for j in range(V):
                    grads["W_xh"][i, j] += da[i] * xs[t][j]
                for j in range(H):
                    grads["W_hh"][i, j] += da[i] * hs[t][j]
            dh_next = np.array([sum(params["W_hh"][i, j] * da[i] for i in range(H)) for j in range(H)])
    return total, grads
