"""d = 3 extension (spec E6): the point sets, and the certified lower bound against the exact
optimum on nets that lie in a plane (then the sphere problem *is* the circle problem, by
positive homogeneity: N(p, z) = N(p), so sup over S² = sup over the unit circle).  Deterministic."""
import math

import numpy as np
import pytest
from pruneproof.verify.separation.bounds import brute_force_best
from pruneproof.verify.separation.circle import random_network, random_target
from pruneproof.verify.separation.sphere import (
    CIRCLE_OFFSET,
    fibonacci_sphere,
    sphere_neuron_bounds,
    target_circles,
)


def test_fibonacci_points_are_unit_and_spread():
    X = fibonacci_sphere(500)
    assert X.shape == (500, 3)
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0)
    assert abs(X[:, 2].mean()) < 1e-12            # symmetric in z
    # every cap of radius 0.2 rad around a random direction holds a point
    dirs = fibonacci_sphere(97) @ np.array([[0.6, 0.0, 0.8], [0.0, 1.0, 0.0], [-0.8, 0.0, 0.6]])
    assert np.all(np.max(dirs @ X.T, axis=1) > math.cos(0.2))


def test_target_circles_lie_on_the_kink_circle_and_its_offsets():
    w = np.array([0.3, -0.5, 0.8])
    P = target_circles(w, 60)
    assert np.allclose(np.linalg.norm(P, axis=1), 1.0)
    proj = P @ (w / np.linalg.norm(w))
    assert np.allclose(np.sort(np.unique(np.round(proj, 12))), [-CIRCLE_OFFSET, 0, CIRCLE_OFFSET])


@pytest.mark.parametrize("architecture", ["A", "B"])
def test_lower_bound_is_below_and_near_the_exact_optimum_of_planar_nets(architecture):
    rng = np.random.default_rng(3)
    ratios = []
    for _ in range(4):
        U2, v = random_network(7, 2, "gaussian", rng)
        w2 = random_target(2, rng)
        optimum = brute_force_best(U2, v, w2, architecture)[0]
        U = np.column_stack([U2, np.zeros(7)])
        w = np.r_[w2, 0.0]
        r = sphere_neuron_bounds(U, v, w, architecture, points=600, dense_points=4000, rng=0)
        assert r.lower <= optimum * (1 + 1e-9)
        ratios.append(r.lower / optimum)
    assert min(ratios) > 0.9   # the point set (with the kink circle) is fine enough to be useful


def test_bad_input():
    U, v = random_network(4, 2, "gaussian", 0)
    with pytest.raises(ValueError, match="d = 3"):
        sphere_neuron_bounds(U, v, np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="points must be an integer"):
        fibonacci_sphere(1)
    U3, v3 = random_network(4, 3, "gaussian", 0)
    with pytest.raises(ValueError, match="architecture"):
        sphere_neuron_bounds(U3, v3, np.array([1.0, 0.0, 0.0]), "C")
