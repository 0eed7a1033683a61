"""Bad input through the paths topic's public API: one clear ValueError/TypeError each."""
from __future__ import annotations

import numpy as np
import pytest
from pruneproof.verify.paths import (
    conformance,
    iterative_prune,
    ntk,
    path_activations,
    path_kernel,
    path_kernel_trace,
    prune_mask,
    scores,
    shuffle_masks,
)
from pruneproof.verify.paths.network import random_network
from pruneproof.verify.paths.ntk_sketch import ntk_problem

W = random_network([3, 4, 2], 0)
X = np.random.default_rng(1).standard_normal((5, 3))
Y = np.random.default_rng(2).standard_normal((5, 2))


def _nan():
    w = [a.copy() for a in W]
    w[1][0, 0] = np.nan
    return w


BAD_WEIGHTS = {
    "ragged": [np.ones((4, 3)), np.ones((2, 5))],
    "not 2-D": [np.ones(3), np.ones((2, 3))],
    "nan": _nan(),
    "inf": [W[0], W[1] * np.inf],
    "empty": [],
}


@pytest.mark.parametrize("kind", list(BAD_WEIGHTS))
@pytest.mark.parametrize("call", [
    lambda w: scores(w, "synflow"),
    lambda w: scores(w, "snip", X=X, y=Y),
    lambda w: path_kernel_trace(w),
    lambda w: path_kernel(w),
    lambda w: ntk(w, X),
    lambda w: ntk_problem(w, X),
], ids=["scores-synflow", "scores-snip", "trace", "path_kernel", "ntk", "ntk_problem"])
def test_bad_weights(kind, call):
    with pytest.raises((ValueError, TypeError)):
        call(BAD_WEIGHTS[kind])


@pytest.mark.parametrize("Xbad, match", [(np.ones((5, 4)), "X"), (np.full((5, 3), np.nan), "NaN|nan"),
                                         (np.ones(3), "X")])
def test_bad_inputs(Xbad, match):
    with pytest.raises(ValueError, match=match):
        path_activations(W, Xbad)
    with pytest.raises(ValueError):
        scores(W, "ntk-sketch", X=Xbad)


def test_mismatched_targets():
    with pytest.raises(ValueError, match="y"):
        scores(W, "snip", X=X, y=np.ones((4, 2)))


@pytest.mark.parametrize("density", [0.0, -0.1, 1.5, float("nan"), "half"])
def test_density_outside_unit_interval(density):
    s = scores(W, "magnitude")
    with pytest.raises((ValueError, TypeError), match="density"):
        prune_mask(s, density)
    with pytest.raises((ValueError, TypeError), match="density"):
        iterative_prune(W, "synflow", density, rounds=2)


def test_unknown_method_and_variant():
    with pytest.raises(ValueError, match="method must be one of"):
        scores(W, "synflw")
    with pytest.raises(ValueError, match="l2_variant"):
        scores(W, "synflow-l2")
    with pytest.raises(ValueError, match="l2_variant"):
        scores(W, "synflow-l2", l2_variant="paper")
    with pytest.raises(ValueError, match="l2_variant applies only"):
        scores(W, "synflow", l2_variant="saliency")
    with pytest.raises(ValueError, match="needs X"):
        scores(W, "ntk-sketch")


def test_net_too_large_to_enumerate():
    big = random_network([16, 16, 16, 16], 0)
    with pytest.raises(ValueError, match="MAX_PATHS"):
        path_kernel(big)
    with pytest.raises(ValueError, match="MAX_PATHS"):
        path_activations(big, np.ones((2, 16)))
    assert np.isfinite(path_kernel_trace(big))   # the one-pass quantity still works


def test_shuffle_and_conformance_bad_input():
    with pytest.raises((ValueError, TypeError)):
        shuffle_masks([np.ones((2, 2)), "x"])
    with pytest.raises((ValueError, TypeError)):
        conformance(lambda w, rng: [np.abs(a) for a in w], weights=BAD_WEIGHTS["nan"])
