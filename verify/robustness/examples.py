"""Worked examples of the robustness claims (``pruneproof explain CLAIM``): one small seeded
instance each, the claim's expression evaluated on it (``claim.numeric``), and the quantity it
speaks about computed independently -- best sphere-pair ratio and Cholesky certificate of a
quadratic form, a simulated exceedance frequency, certified SDP minima, exact mask information by
enumerating every label vector.  The sparse law is DERIVED HERE (spec no_free_prune.md §2.3), not
No Free Prune's theorem."""
from __future__ import annotations

import numpy as np

from ..core.examples import example_row, register_example
from .certify import lipschitz_upper_certificate, sphere_rows
from .information import all_sign_vectors, enumerated_information
from .quadratic import (
    min_lipschitz_interpolator,
    sphere_lipschitz_lower,
    symmetric_basis,
)


@register_example("quadratic-form-lipschitz")
def _quadratic(claim, rng):
    d = 4
    G = rng.standard_normal((d, d))
    A = (G + G.T) / 2
    lam = np.linalg.eigvalsh(A)
    claimed = claim.numeric("lip")(lam_max=float(lam[-1]), lam_min=float(lam[0]))
    return {"instance": f"A = (G + G^T)/2, G a {d}x{d} standard Gaussian; eigenvalues "
                        f"{', '.join(f'{x:.3f}' for x in lam)}",
            "rows": [example_row("lip", claim, "==", claimed,
                                 sphere_lipschitz_lower(A, rng=rng, samples=512, ascent_steps=60),
                                 "simulated", "best |f(x) - f(x')| / |x - x'| over sampled sphere "
                                              "pairs + ascent (a lower bound on Lip)"),
                     example_row("lip", claim, "==", claimed, lipschitz_upper_certificate(A),
                                 "exact", "Cholesky upper certificate on Lip (no eigenvalues)")],
            "notes": ["Lip is a supremum, not attained: the pair search approaches it from "
                      "below, the certificate from above."]}


@register_example("finite-class-noise-correlation")
def _tail(claim, rng):
    n, d, L, u, trials = 4, 3, 1.0, 1.0, 20000
    tau = u * L / np.sqrt(n * d)
    v = sphere_rows(rng, (1, d))[0]
    X = sphere_rows(rng, (trials, n, d))
    z = rng.choice([-1.0, 1.0], size=(trials, n))
    C = np.mean(L * (X @ v) * z, axis=1)              # E f = 0 for a linear f on the sphere
    freq = float(np.mean(C >= tau))
    return {"instance": f"f(x) = L v^T x (L = {L:g}, v fixed on the sphere), x_i uniform on "
                        f"S^{d - 1}, z_i = +-1, n = {n}, d = {d}, c = 1, tau = L/sqrt(nd) = "
                        f"{tau:.4f}; {trials} simulated data sets",
            "rows": [example_row("tail", claim, "<=",
                                 claim.numeric("tail")(n=n, d=d, c=1.0, L=L, tau=tau), freq,
                                 "simulated", "P((1/n) sum f(x_i) z_i >= tau) (frequency)")],
            "notes": ["The constant K = 8^4/36 is far from sharp: the bound is close to 2 at "
                      "this size while the frequency is ~0.16."]}


@register_example("sparse-law-of-robustness")
def _sparse(claim, rng):
    n, d, datasets, eps = 5, 6, 9, 0.99
    B = symmetric_basis(d)                              # all of Sym(d): p = P = d(d+1)/2
    fits = []
    for _ in range(datasets):
        X = sphere_rows(rng, (n, d))
        y = rng.choice([-1.0, 1.0], size=n)
        fits.append(min_lipschitz_interpolator(X, y, B))
    lips = np.array([f.lip for f in fits])
    W = 2 * max(float(np.linalg.norm(f.coef)) for f in fits)   # diameter covering every fit
    args = dict(n=n, d=d, c=1.0, eps=eps, W=W, J=1.0, I=0.0, S=float(B.shape[0]))
    L_star = float(claim.numeric("lip_bound")(**args))
    freq = float(np.mean(lips <= L_star))
    return {"instance": f"dense quadratic forms on S^{d - 1} (p = {B.shape[0]}, mask = all, "
                        f"I = 0), n = {n} uniform +-1 labels (sigma^2 = 1, eps = {eps}), c = 1, "
                        f"J = 1 (orthonormal basis), W = {W:.3g}; certified min-Lipschitz "
                        f"interpolator (SDP) on {datasets} data sets",
            "rows": [example_row("lip_bound", claim, ">=", L_star, float(np.median(lips)), "simulated",
                                 "median over data sets of the certified min-Lip interpolator "
                                 "(fit error 0): the least L with P(E) >= 1/2 for it"),
                     example_row("prob_bound", claim, "<=",
                                 claim.numeric("prob_bound")(L=L_star, **args), freq,
                                 "simulated", "P(fit below sigma^2 - eps and Lip <= L*) "
                                              "(frequency)")],
            "notes": ["Derived here from Bubeck-Sellke; not No Free Prune's theorem. At this size "
                      "the Lipschitz bound is ~10^3 below the median certified minimum and the "
                      "probability bound exceeds 1: both hold, neither is sharp.",
                      "A data set with all labels equal is fitted by A = +-I (Lip 0): the "
                      "corollary constrains the median, not every data set."]}


def _top_k(Phi, k):
    def algorithm(y):
        m = np.zeros(Phi.shape[1], bool)
        m[np.argsort(-(Phi.T @ y), kind="stable")[:k]] = True
        return m
    return algorithm


def _counts(P1):
    def algorithm(y):                                  # depends on y only through two counts
        m = np.zeros(P1 + 1, bool)
        m[:int(np.sum(y[:P1] > 0))] = True
        m[P1] = bool(y[P1] > 0)
        return m
    return algorithm


@register_example("mask-information-bounds")
def _information(claim, rng):
    n, P, k, M, P1 = 5, 6, 2, 4, 3
    ys = all_sign_vectors(n)
    Phi = rng.standard_normal((n, P))
    candidates = [rng.permutation(P) < k for _ in range(M)]
    best = lambda y: candidates[int(np.argmax([y @ Phi[:, m].sum(1) for m in candidates]))]
    top = enumerated_information(ys, _top_k(Phi, k)).information
    q = "I(m; D) enumerated over all 2^n label vectors"
    return {"instance": f"n = {n} uniform +-1 labels (all {2 ** n} enumerated), design Phi "
                        f"{n}x{P} Gaussian: top-{k} of Phi^T y among P = {P}; best of M = {M} "
                        f"fixed random {k}-masks; a mask set by two counts (groups of sizes "
                        f"{P1}, 1)",
            "rows": [example_row("kspar", claim, "<=", claim.numeric("kspar")(P=P, k=k), top,
                                 "exact", q + " (top-k)"),
                     example_row("kspar_simple", claim, "<=",
                                 claim.numeric("kspar_simple")(P=P, k=k), top, "exact",
                                 q + " (top-k)"),
                     example_row("layer_counts", claim, "<=",
                                 claim.numeric("layer_counts")(P1=P1, P2=1),
                                 enumerated_information(ys, _counts(P1)).information, "exact",
                                 q + " (count-determined mask)"),
                     example_row("best_of_m", claim, "<=", claim.numeric("best_of_m")(M=M),
                                 enumerated_information(ys, best).information, "exact",
                                 q + " (best of M)")],
            "notes": ["Data-free masks (drawn independently of y) carry I = 0 exactly."]}
