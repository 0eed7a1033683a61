"""Topic discovery: the core names no topic.

Each topic is a subpackage of :mod:`pruneproof.verify` listed in ``pruneproof.verify.TOPICS``;
importing it registers its claims (through :mod:`pruneproof.theory`), routes, figures and
benchmarks.  :func:`load_topics` imports them once, in that order (the order of the report and of
``pruneproof figures``).
"""
from __future__ import annotations

import functools
import importlib


@functools.lru_cache(maxsize=None)
def load_topics() -> tuple[str, ...]:
    """Import the claim registry and every topic package; return the topic names."""
    importlib.import_module("pruneproof.theory")
    package = importlib.import_module("pruneproof.verify")
    topics = tuple(package.TOPICS)
    for topic in topics:
        importlib.import_module(f"pruneproof.verify.{topic}")
    return topics
