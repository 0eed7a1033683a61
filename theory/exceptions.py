"""Documented exceptions to the verification-power goal, in one place.

``pruneproof power`` requires every s = 0.5 perturbation of a bound (and every dropped factor
whose removal makes the statement false) to be refuted by a non-symbolic route.  A bound that
stays loose on *everything found* -- its tight instances and a seeded adversarial search over its
declared domain -- cannot meet that goal: a bound wrong by less than its slack is invisible to any
numerical route.  Each such bound is listed here with its measured slack and where it was
measured; nothing else is exempt.

``LOOSE[(claim_id, expression_name)] = (mutation kinds exempted, the measured slack and how)``.
"""
from __future__ import annotations

LOOSE: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    # --- amm ---
    # none: every amm bound is attained or nearly attained on enumerated instances (tightness,
    # measured at smoke: Lemma 4 Frobenius bound 1.0 and eq. 14 beta-bound 1.0 exactly, on
    # A = [s, s, 0], B = [t, -t, 0]^T, p = (beta/2, beta/2, 1 - beta); eq. 15 bound and its
    # McDiarmid refinement 0.975, on A = B = I_20, c = 1, delta -> 1).
    # --- sketching ---
    # --- separation ---
    # --- paths ---
}


def is_exception(claim_id: str, expression: str, kind: str) -> bool:
    entry = LOOSE.get((claim_id, expression))
    return entry is not None and kind in entry[0]
