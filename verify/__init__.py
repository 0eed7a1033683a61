"""pruneproof's numerical side: simulation, exact solvers, the Monte Carlo engine, figures, report
and CLI.  The symbolic side (claims, bounds, derivations) lives in :mod:`theory`."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pruneproof")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
