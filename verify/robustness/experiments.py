"""Experiments of the robustness topic: budgets (frozen dataclasses, one per experiment) and
trials.  Trials record claim-independent ingredients only (eigenvalues and certificates,
exceedance counts at fixed thresholds, certified minima, enumerated information); routes
evaluate the claim they receive on them.

Statistical routes control the family-wise false-failure probability at ``ALPHA`` = 1e-3 per
route (Bonferroni over the cases a route checks).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from ..core.budgets import preset_table, validate_budget
from ..core.engine import trial
from ._linalg import blas_single_thread
from .certify import lipschitz_upper_certificate, sphere_rows
from .features import feature_lipschitz_bounds, min_norm_feature_interpolator, \
    random_feature_weights
from .masks import (basis_groups, data_free_scores, draw_init, inverted_mask,
                    magnitude_after_training_mask, magnitude_scores, masked_fit, random_mask,
                    reinitialise, shuffled_mask, snip_mask, snip_scores, top_k_mask)
from .quadratic import (min_frobenius_interpolator, min_lipschitz_interpolator,
                        quadratic_lipschitz, sphere_lipschitz_lower, symmetric_basis)

ALPHA = 1e-3
#: relative tolerance of the exact Lipschitz route (pair lower bound and Cholesky certificate
#: are both within ~1e-10 of the truth in float64)
LIP_RTOL = 1e-8


@dataclass(frozen=True)
class QuadBudget:
    sizes: tuple = (2, 3, 5, 12)
    per_size: int = 2
    samples: int = 1024
    search_iter: int = 40


@dataclass(frozen=True)
class TailBudget:
    trials: int = 20000
    cases: tuple = ((4, 3), (10, 10))            # (n, d)
    u_grid: tuple = (0.05, 0.5, 1.0, 2.0, 3.0)  # tau = u L / sqrt(nd)
    M: int = 16


@dataclass(frozen=True)
class LawBudget:
    regimes: tuple = ((5, 12), (6, 10))          # (n, d)
    seeds: int = 5
    points: int = 5
    rf_ps: tuple = (8, 16, 64, 256, 1024)


@dataclass(frozen=True)
class BitsBudget:
    n: int = 200
    ds: tuple = (10, 40)
    bmax: int = 10
    seeds: int = 20
    L: float = 1.0
    #: extra (n, d, L) regimes drawn for the figure only (the route tests n, L above)
    figure_extra: tuple = ((50, 10, 0.5), (200, 10, 2.0))


@dataclass(frozen=True)
class MaskBudget:
    n: int = 10
    d: int = 30
    ks: tuple = (20, 40, 80, 160, 320)
    seeds: int = 3
    Ms: tuple = (1, 4, 16)
    #: data sets of the hypothesis data-dependent-masks-fit-noise (the figure uses ``seeds``)
    test_seeds: int = 12


@dataclass(frozen=True)
class SanityBudget:
    n: int = 10
    d: int = 30
    ks: tuple = (20, 80)
    seeds: int = 24
    R: int = 16                                   # masks (inits / shuffles) per data set


QUAD = preset_table(QuadBudget, {"smoke": QuadBudget(), "default": QuadBudget(
    sizes=(2, 3, 5, 12, 30), per_size=4, samples=4096, search_iter=100),
    "paper": QuadBudget(sizes=(2, 3, 5, 12, 30, 80), per_size=10, samples=10000,
                        search_iter=300)})
TAIL = preset_table(TailBudget, {"smoke": TailBudget(), "default": TailBudget(
    trials=100000, cases=((4, 3), (10, 10), (1, 2))), "paper": TailBudget(
    trials=1000000, cases=((4, 3), (10, 10), (1, 2), (50, 20)))})
LAW = preset_table(LawBudget, {"smoke": LawBudget(), "default": LawBudget(
    regimes=((5, 12), (6, 10), (8, 16)), seeds=6, points=6),
    "paper": LawBudget(regimes=((10, 40), (10, 80), (20, 80), (5, 80)), seeds=10, points=8,
                       rf_ps=(25, 50, 100, 200, 400, 800, 1600, 3200))})
BITS = preset_table(BitsBudget, {"smoke": BitsBudget(), "default": BitsBudget(
    ds=(10, 40, 160), bmax=14, seeds=30,
    figure_extra=((50, 10, 0.5), (200, 10, 2.0), (50, 40, 1.0), (800, 40, 1.0))),
    "paper": BitsBudget(ds=(10, 40, 160), bmax=16, seeds=50, figure_extra=(
        (50, 10, 0.5), (200, 10, 2.0), (50, 40, 1.0), (800, 40, 1.0), (200, 160, 0.5)))})
MASK = preset_table(MaskBudget, {"smoke": MaskBudget(), "default": MaskBudget(
    n=10, d=40, ks=(20, 40, 80, 160, 320, 640), seeds=4, Ms=(1, 4, 16, 64, 256),
    test_seeds=20),
    "paper": MaskBudget(n=10, d=80, ks=(20, 40, 80, 320, 640), seeds=8,
                        Ms=(1, 4, 16, 64, 256, 1024, 4096), test_seeds=30)})

SANITY = preset_table(SanityBudget, {"smoke": SanityBudget(), "default": SanityBudget(
    d=40, ks=(20, 80, 320), seeds=30, R=16), "paper": SanityBudget(
    d=80, ks=(20, 40, 80, 320, 640), seeds=40, R=32)})


def budget(table: dict, name: str):
    return table[validate_budget(name)]


# ------------------------------------------------------------------ quadratic-form-lipschitz
def quadratic_instance(config: dict) -> np.ndarray:
    """Symmetric test matrices: Gaussian, degenerate extremes, near-degenerate, rank one."""
    rng = np.random.default_rng(config["seed"])
    d, kind = config["d"], config["kind"]
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = {"gaussian": rng.standard_normal(d) * 3,
           "degenerate": np.r_[np.full(max(d // 2, 1), 2.0), np.full(d - max(d // 2, 1), -1.0)],
           "near-degenerate": np.r_[1.0, 1.0 - 1e-7, rng.uniform(-1, 1, d - 2)][:d],
           "rank-one": np.r_[5.0, np.zeros(d - 1)]}[kind]
    return (Q * lam) @ Q.T


@trial("pruneproof.verify.robustness.experiments:quadratic_trial")
def quadratic_trial(config: dict, rng: np.random.Generator) -> dict:
    """Eigenvalue extremes, the pair-based lower bound (sampled pairs + ascent) and the Cholesky
    upper certificate of one matrix."""
    A = quadratic_instance(config)
    lam = np.linalg.eigh(A)[0]
    return {"lam_max": float(lam[-1]), "lam_min": float(lam[0]),
            "lower": sphere_lipschitz_lower(A, rng=rng, samples=config["samples"],
                                            ascent_steps=100),
            "upper": lipschitz_upper_certificate(A), "d": config["d"], "kind": config["kind"]}


def quadratic_configs(name: str) -> list[dict]:
    b = budget(QUAD, name)
    kinds = ("gaussian", "degenerate", "near-degenerate", "rank-one")
    return [{"d": d, "kind": kinds[i % 4], "seed": 100 * d + i, "samples": b.samples}
            for d in b.sizes for i in range(b.per_size * 2) if d >= 2]


# ---------------------------------------------------------------- finite-class noise tail
def _sphere_abs_mean(d: int) -> float:
    return float(np.exp(gammaln(d / 2) - gammaln((d + 1) / 2)) / np.sqrt(np.pi))


@trial("pruneproof.verify.robustness.experiments:tail_trial")
def tail_trial(config: dict, rng: np.random.Generator) -> dict:
    """Exceedance counts of C = (1/n) sum (f(x_i) - Ef) z_i >= tau on a tau grid, for one fixed
    f ("linear": L v^T x with symmetric +-1 noise; "skew": -L|x_1| with y = +1 w.p. 0.9, so
    z = y - 0.8), and of max over M fixed linear candidates."""
    n, d, L, T = config["n"], config["d"], config["L"], config["trials"]
    kind = config["kind"]
    frng = np.random.default_rng(config["f_seed"])
    V = sphere_rows(frng, (config["M"], d))
    taus = np.asarray(config["u_grid"]) * L / np.sqrt(n * d)
    counts, union = np.zeros(taus.size, int), np.zeros(taus.size, int)
    for lo in range(0, T, 2000):
        m = min(2000, T - lo)
        X = sphere_rows(rng, (m, n, d))
        if kind == "linear":
            z = rng.choice([-1.0, 1.0], size=(m, n))
            fx = L * X @ V[0]
        else:
            z = np.where(rng.random((m, n)) < 0.9, 1.0, -1.0) - 0.8
            fx = -L * np.abs(X[..., 0]) + L * _sphere_abs_mean(d)
        C = np.mean(fx * z, axis=1)
        Cm = np.max(np.mean((X @ V.T) * L * z[..., None], axis=1), axis=1)
        counts += np.sum(C[:, None] >= taus[None, :], axis=0)
        union += np.sum(Cm[:, None] >= taus[None, :], axis=0)
    return {"n": n, "d": d, "L": L, "trials": T, "taus": taus.tolist(),
            "counts": counts.tolist(), "union_counts": union.tolist(), "M": config["M"],
            "kind": kind}


def tail_configs(name: str) -> list[dict]:
    b = budget(TAIL, name)
    return [{"n": n, "d": d, "L": 1.0, "trials": b.trials, "u_grid": list(b.u_grid), "M": b.M,
             "kind": kind, "f_seed": 7 * n + d}
            for n, d in b.cases for kind in ("linear", "skew")]


# ------------------------------------------------------------------------- law (E1)
def law_grid(n: int, d: int, points: int) -> list[int]:
    P = d * (d + 1) // 2
    grid = np.unique(np.round(np.geomspace(2 * n, n * d, points)).astype(int))
    return [int(p) for p in grid if p <= P] + ([P] if P > n * d else [])


@trial("pruneproof.verify.robustness.experiments:law_trial")
def law_trial(config: dict, rng: np.random.Generator) -> dict:
    """Certified min-Lipschitz (SDP) and min-Frobenius interpolators in a random p-dim class."""
    n, d, p = config["n"], config["d"], config["p"]
    X = sphere_rows(rng, (n, d))
    y = rng.choice([-1.0, 1.0], size=n)
    B = symmetric_basis(d, p, rng=rng)
    fit = min_lipschitz_interpolator(X, y, B)
    fro = min_frobenius_interpolator(X, y, B)
    return {"n": n, "d": d, "p": p, "lip": fit.lip, "lower": fit.lower, "gap": fit.gap,
            "status": fit.status, "optimal": bool(fit.optimal),
            "coef_norm": float(np.linalg.norm(fit.coef)), "frobenius_lip": fro.lip}


def law_configs(name: str) -> list[dict]:
    b = budget(LAW, name)
    return [{"n": n, "d": d, "p": p, "seed": s} for n, d in b.regimes
            for p in law_grid(n, d, b.points) for s in range(b.seeds)]


@trial("pruneproof.verify.robustness.experiments:feature_trial")
def feature_trial(config: dict, rng: np.random.Generator) -> dict:
    """Random-feature min-norm interpolator: both Lipschitz bounds (contrast, never the law)."""
    n, d, p = config["n"], config["d"], config["p"]
    X = sphere_rows(rng, (n, d))
    y = rng.choice([-1.0, 1.0], size=n)
    Wf = random_feature_weights(p, d, rng)
    fit = min_norm_feature_interpolator(X, y, Wf, centred=True)
    lb = feature_lipschitz_bounds(Wf, fit.a, rng, samples=2000, ascent_steps=50)
    return {"n": n, "d": d, "p": p, "lower": lb.lower, "upper": lb.upper,
            "interpolates": bool(fit.interpolates)}


# ------------------------------------------------------------------------- bits (E2a)
@trial("pruneproof.verify.robustness.experiments:bits_trial")
def bits_trial(config: dict, rng: np.random.Generator) -> dict:
    """Best of M = 2^b linear candidates L v^T x (v uniform on the sphere): T_M and the fit
    margin 2<f, y>_n - ||f||_n^2 of the selected candidate, for b = 0..bmax (nested)."""
    n, d, L, bmax = config["n"], config["d"], config["L"], config["bmax"]
    X = sphere_rows(rng, (n, d))
    y = rng.choice([-1.0, 1.0], size=n)
    T, margin, best, best_m = [], [], -np.inf, 0.0
    done = 0
    for b in range(bmax + 1):
        need = 2 ** b - done
        while need > 0:
            m = min(need, 4096)
            F = L * X @ sphere_rows(rng, (m, d)).T          # (n, m)
            corr = (F - F.mean(0)).T @ y / n
            i = int(np.argmax(corr))
            if corr[i] > best:
                best = float(corr[i])
                best_m = float(2 * F[:, i] @ y / n - F[:, i] @ F[:, i] / n)
            need -= m
            done += m
        T.append(best * np.sqrt(n * d) / L)
        margin.append(best_m)
    return {"n": n, "d": d, "L": L, "T": T, "margin": margin}


def bits_configs(name: str, figure: bool = False) -> list[dict]:
    """The route's configs (n, L fixed, every d); with ``figure`` also the budget's extra
    (n, d, L) regimes drawn for the figure only."""
    b = budget(BITS, name)
    regimes = [(b.n, d, b.L) for d in b.ds] + (list(b.figure_extra) if figure else [])
    return [{"n": n, "d": d, "L": L, "bmax": b.bmax, "seed": s} for n, d, L in regimes
            for s in range(b.seeds)]


# ---------------------------------------------------------------- mask information (E3)
@trial("pruneproof.verify.robustness.experiments:mask_trial")
def mask_trial(config: dict, rng: np.random.Generator) -> dict:
    """Exact Lip of the min-norm fit on masks of known information, one data set: random
    (I = 0), best of M random (I <= log M), magnitude after training and SNIP (I <= log C)."""
    n, d, k = config["n"], config["d"], config["k"]
    X = sphere_rows(rng, (n, d))
    y = rng.choice([-1.0, 1.0], size=n)
    B = symmetric_basis(d)
    P = B.shape[0]
    iu = np.triu_indices(d)
    scale = np.where(iu[0] == iu[1], 1.0, np.sqrt(2.0))
    Phi = (X[:, iu[0]] * X[:, iu[1]]) * scale           # = design_matrix(X, canonical basis)

    def lip(mask):
        a = masked_fit(Phi, y, mask)
        A = np.zeros((d, d))
        A[iu] = a / scale
        A = A + np.triu(A, 1).T
        return quadratic_lipschitz(A), bool(np.linalg.norm(Phi @ a - y) <= 1e-8 * np.sqrt(n))

    out = {"n": n, "d": d, "k": k, "P": P}
    with blas_single_thread():                 # small eigh: ~10x faster single-threaded
        out["random"], out["random_fits"] = lip(random_mask(P, k, rng))
        out["magnitude"], _ = lip(magnitude_after_training_mask(Phi, y, k))
        out["snip"], _ = lip(snip_mask(Phi, y, draw_init(P, rng), k))
        best = []
        for M in config["Ms"]:
            while len(best) < M:
                best.append(lip(random_mask(P, k, rng))[0])
            out[f"best_of_{M}"] = min(best[:M])
    return out


def mask_configs(name: str, test: bool = False) -> list[dict]:
    """The figure's configs, or with ``test`` the hypothesis's (``test_seeds`` data sets; the
    first ``seeds`` are shared with the figure)."""
    b = budget(MASK, name)
    return [{"n": b.n, "d": b.d, "k": k, "Ms": list(b.Ms), "seed": s} for k in b.ks
            for s in range(b.test_seeds if test else b.seeds)]


# ------------------------------------------------------------- sanity checks (E4, Frankle)
SANITY_FREE = ("random", "magnitude-at-init", "data-free")
SANITY_DEPENDENT = ("magnitude", "snip")


@trial("pruneproof.verify.robustness.experiments:sanity_trial")
def sanity_trial(config: dict, rng: np.random.Generator) -> dict:
    """Frankle et al.'s ablations on one data set: for each method, the mean over R masks (R
    inits; the deterministic magnitude-after-training mask is shuffled R times) of log Lip of
    the min-norm fit on the original, layerwise-shuffled (diagonal / off-diagonal groups) and
    score-inverted masks, and of the fit relative to the init before and after reinitialising
    the kept weights; plus the random level (R random k-masks)."""
    n, d, k, R = config["n"], config["d"], config["k"], config["R"]
    X = sphere_rows(rng, (n, d))
    y = rng.choice([-1.0, 1.0], size=n)
    B = symmetric_basis(d)
    P = B.shape[0]
    iu = np.triu_indices(d)
    scale = np.where(iu[0] == iu[1], 1.0, np.sqrt(2.0))
    Phi = (X[:, iu[0]] * X[:, iu[1]]) * scale
    groups = basis_groups(d, "diagonal")

    def loglip(mask, a0=None):
        a = masked_fit(Phi, y, mask, a0)
        A = np.zeros((d, d))
        A[iu] = a / scale
        return float(np.log(quadratic_lipschitz(A + np.triu(A, 1).T)))

    fixed = magnitude_scores(Phi, y)
    moment = data_free_scores(B, np.ones(P))           # data-free score = |a0| * moment
    scores = {"random": lambda a0: rng.random(P), "magnitude-at-init": lambda a0: np.abs(a0),
              "data-free": lambda a0: np.abs(a0) * moment, "magnitude": lambda a0: fixed,
              "snip": lambda a0: snip_scores(Phi, y, a0)}
    out = {"n": n, "d": d, "k": k, "P": P, "R": R}
    with blas_single_thread():
        out["random_level"] = float(np.mean([loglip(random_mask(P, k, rng)) for _ in range(R)]))
        for name, score in scores.items():
            acc = {v: [] for v in ("original", "shuffled", "inverted", "init_original",
                                   "init_reinitialised")}
            for _ in range(R):
                a0 = draw_init(P, rng)
                s = score(a0)
                m = top_k_mask(s, k)
                acc["original"].append(loglip(m))
                acc["shuffled"].append(loglip(shuffled_mask(m, groups, rng)))
                acc["inverted"].append(loglip(inverted_mask(s, k)))
                acc["init_original"].append(loglip(m, a0))
                acc["init_reinitialised"].append(loglip(m, reinitialise(m, a0, rng)))
            out.update({f"{name}:{v}": float(np.mean(xs)) for v, xs in acc.items()})
    return out


def sanity_configs(name: str) -> list[dict]:
    b = budget(SANITY, name)
    return [{"n": b.n, "d": b.d, "k": k, "R": b.R, "seed": s} for k in b.ks
            for s in range(b.seeds)]
