"""The topic-free core of :mod:`pruneproof.verify`: the seeded cached engine (``engine``),
statistics (``stats``), verdicts and the route registry (``verdicts``), budgets (``budgets``), tidy
tables (``tables``), plot style (``plotting``), the figure and benchmark registries (``figures``,
``bench``), topic discovery (``registry``) and the report (``report``).  Nothing here imports a
topic."""
