"""figures/report.html: the verification report as one self-contained page (no network, no
JavaScript): claim table, table of contents by topic, each claim's statement as MathML, its
assumptions, source and evidence tag, the derivation steps (sympy sides rendered as MathML,
premises marked), each route's evidence, the power column and the figures (PNG data URIs).

The topic of a claim is the package whose routes serve it, read from the route functions'
module names (core names no topic).
"""
from __future__ import annotations

import base64
import html
import importlib
import json
from pathlib import Path

from .engine import atomic_write_text

_ESC = html.escape
MAX_ROWS = 12

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 color:#1d2433;margin:0;background:#f6f7f9}
main{max-width:1120px;margin:0 auto;padding:24px 32px 64px;background:#fff}
h1{font-size:26px;margin:8px 0}h2{font-size:21px;margin:36px 0 8px;padding-top:12px;
 border-top:2px solid #dfe3ea}h3{font-size:16px;margin:18px 0 6px}
code{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;background:#f1f3f6;padding:0 3px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13.5px}
th,td{border:1px solid #d5dae3;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef1f6}.wide{overflow-x:auto;max-width:100%}
.verified,.supported{color:#11703a;font-weight:600}.refuted,.not-supported{color:#b3261e;
 font-weight:600}.inconclusive,.underpowered{color:#8a5a00;font-weight:600}
.statement{font-size:17px;margin:8px 0;padding:8px 12px;background:#f7f9fc;
 border-left:4px solid #5b7bd5;overflow-x:auto}
ol.steps li{margin:6px 0 10px}.math{overflow-x:auto;padding:2px 0}
.tag{display:inline-block;font-size:12px;padding:0 6px;border-radius:8px;background:#e8ecf4;
 margin-left:6px}.premise{background:#fff1d6}.proved{background:#dcf3e3}
.undecided{background:#fde8c8}.refuted-step{background:#fbd9d6}
figure{margin:14px 0}figure img{max-width:100%;height:auto;border:1px solid #e3e6ec}
figcaption{font-size:13px;color:#4a5365}nav ul{margin:4px 0}nav ul ul{columns:3}
.muted{color:#5d6678;font-size:13px}math{font-size:1.05em}
caption{text-align:left;white-space:nowrap}
"""


def to_mathml(latex: str, display: bool = False) -> str:
    """MathML of a LaTeX string (latex2mathml); an unconvertible string is shown as escaped
    code, never as raw LaTeX inside the page text."""
    from latex2mathml.converter import convert
    try:
        return convert(latex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a converter gap must not break the report
        return f"<code>{_ESC(latex)}</code>"


def sympy_mathml(expr) -> str:
    import sympy
    return to_mathml(sympy.latex(expr))


def claim_topic(claim_id: str) -> str:
    """The package (``pruneproof.verify.<topic>``) whose routes serve the claim ('' if none)."""
    from .verdicts import routes_for
    for _, fn in routes_for(claim_id):
        parts = getattr(fn, "__module__", "").split(".")
        if len(parts) > 2 and parts[:2] == ["pruneproof", "verify"] and parts[2] != "core":
            return parts[2]
    return ""


def topic_title(topic: str) -> str:
    """First line of the topic package's docstring ("Topic ``amm``: DKM ..." -> "DKM ...")."""
    if not topic:
        return "Other claims"
    doc = (importlib.import_module(f"pruneproof.verify.{topic}").__doc__ or topic).strip()
    first = doc.split("\n\n")[0].replace("\n", " ")
    if ":" in first:
        first = first.split(":", 1)[1]
    for stop in (" (", " -- ", " — "):
        first = first.split(stop)[0]
    return f"{first.strip().rstrip('.')} ({topic})"


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, float)) for v in value):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)[:200]
    return str(value)


def _table(rows: list[dict], caption: str) -> str:
    cols = [k for k in rows[0] if not isinstance(rows[0][k], dict)]
    head = "".join(f"<th>{_ESC(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{_ESC(_fmt(r.get(c)))}</td>" for c in cols) + "</tr>"
                   for r in rows[:MAX_ROWS])
    more = f", first {MAX_ROWS}" if len(rows) > MAX_ROWS else ""
    return (f'<div class="wide"><table><caption class="muted">{_ESC(caption)} '
            f"({len(rows)} rows{more})</caption><tr>{head}</tr>{body}</table></div>")


def _evidence(evidence: dict) -> str:
    skip = ("route", "status", "summary", "traceback")
    scalars = [(k, v) for k, v in evidence.items() if k not in skip
               and (isinstance(v, (int, float, str, bool)) or v is None)]
    out = []
    if scalars:
        out.append('<div class="wide"><table><tr>' + "".join(f"<th>{_ESC(k)}</th>" for k, _ in
                                                              scalars) + "</tr><tr>"
                   + "".join(f"<td>{_ESC(_fmt(v))}</td>" for _, v in scalars)
                   + "</tr></table></div>")
    for key, value in evidence.items():
        if key in skip or key == "steps":
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out.append(_table(value, key))
        elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            out.append(_table([{"": k, **v} for k, v in value.items()], key))
    return "".join(out)


def _status(status: str) -> str:
    return f'<span class="{status.replace(" ", "-")}">{_ESC(status)}</span>'


_REL = {"==": "=", "<=": "≤", ">=": "≥"}
_OUTCOME_CLASS = {"proved": "proved", "premise": "premise", "undecided": "undecided",
                  "refuted": "refuted-step"}


def _derivation(claim) -> str:
    if claim.derivation is None:
        return ('<p class="muted">No symbolic derivation: this claim is checked by the exact and '
                "Monte Carlo routes.</p>")
    from pruneproof.theory.derivation import check_derivation
    derivation = claim.derivation()
    items = []
    for step, check in zip(derivation.steps, check_derivation(derivation)):
        tag = ("premise (assumed, not proved)" if check.outcome == "premise" else check.outcome)
        concl = (f' <span class="tag">concludes <code>{_ESC(step.concludes)}</code></span>'
                 if step.concludes else "")
        why = f'<div class="muted">because: {_ESC(step.justification)}</div>' \
            if step.justification else ""
        items.append(f'<li><span class="tag {_OUTCOME_CLASS.get(check.outcome, "")}">'
                     f"{_ESC(tag)}</span>{concl} {_ESC(step.description)}"
                     f'<div class="math">{sympy_mathml(step.lhs)} <b>{_REL[step.relation]}</b> '
                     f"{sympy_mathml(step.rhs)}</div>{why}"
                     f'<div class="muted">{_ESC(check.detail[:300])}</div></li>')
    notes = "".join(f'<p class="muted">Note: {_ESC(n)}</p>' for n in derivation.notes)
    return f"<h3>Derivation: {_ESC(derivation.title)}</h3><ol class=\"steps\">{''.join(items)}</ol>" \
        + notes


def _power_dicts(power, out_dir: Path) -> dict:
    """``power.json`` entries by claim id: as given, else read from ``out_dir``."""
    if power is not None:
        return dict(power)
    from .power import load_power
    return load_power(Path(out_dir) / "power.json")


def _power_cell(entry: dict | None) -> str:
    if entry is None:
        return "n/a"
    mutants = entry.get("mutants", [])
    detected = sum(bool(m.get("detected")) for m in mutants)
    cell = f"{detected}/{len(mutants)} refuted"
    smallest = [v for v in (entry.get("power") or {}).values() if v is not None]
    if smallest:
        cell += f"; smallest s = {min(smallest):g}"
    missed = [m for m in mutants if m.get("must_refute") and not m.get("detected")]
    stale = "" if entry.get("current", True) else " (stale: code changed since)"
    return _ESC(cell + stale) + (f" <b class=\"refuted\">{len(missed)} required missed</b>"
                                 if missed else "")


def _power_section(entry: dict) -> str:
    rows = [{"mutant": m["mutant"], "required": "yes" if m.get("must_refute") else "no",
             "refuted by": ", ".join(m.get("refuted_by") or []) or "none"}
            for m in entry.get("mutants", [])]
    stale = "" if entry.get("current", True) else " (measured on older code: rerun pruneproof power)"
    text = (f'<h3>Power</h3><p>Budget {_ESC(str(entry.get("budget", "?")))}: '
            f'{_ESC(entry.get("summary", "") + stale)}</p>')
    return text + (_table(rows, "mutants") if rows else "")


def _figure(spec, out_dir: Path, shown: set) -> str:
    if spec.name in shown:  # embedded once, under the first claim it serves
        return (f'<p>Figure <a href="#fig-{_ESC(spec.name)}"><code>{_ESC(spec.name)}</code></a> '
                f"(shown above): {_ESC(spec.caption)}</p>")
    shown.add(spec.name)
    png = Path(out_dir) / f"{spec.name}.png"
    if not png.exists():
        return f'<p class="muted">Figure <code>{_ESC(spec.name)}</code> not generated.</p>'
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (f'<figure id="fig-{_ESC(spec.name)}"><img alt="figure {_ESC(spec.name)}" '
            f'src="data:image/png;base64,{data}"><figcaption><b>{_ESC(spec.name)}</b> (data: '
            f"<code>data/{_ESC(spec.name)}.csv</code>; regenerate with <code>pruneproof figures "
            f"{_ESC(spec.name)}</code>): {_ESC(spec.caption)}</figcaption></figure>")


def render_html(results: list, figures: list, budget: str, seed: int, out_dir: Path,
                power: dict | None = None) -> str:
    """The report page (a string); figures are read from ``out_dir`` and embedded; ``power``:
    ``power.json`` entries by claim id (default: read from ``out_dir``)."""
    from pruneproof.theory.exceptions import LOOSE
    out_dir = Path(out_dir)
    power_by_id = _power_dicts(power, out_dir)
    budgets = sorted({str(e.get("budget", "?")) for e in power_by_id.values()})
    note = (f"from power.json, measured by pruneproof power at the {', '.join(budgets)} budget"
            if power_by_id else "not measured: run pruneproof power")
    by_topic: dict[str, list] = {}
    for r in results:
        by_topic.setdefault(claim_topic(r.claim.id), []).append(r)
    by_claim: dict[str, list] = {}
    for spec in figures:
        for cid in spec.claims:
            by_claim.setdefault(cid, []).append(spec)
    toc = "".join(f"<li><b>{_ESC(topic_title(t))}</b><ul>" + "".join(
        f'<li><a href="#{_ESC(r.claim.id)}">{_ESC(r.claim.id)}</a> — {_status(r.status)}</li>'
        for r in rs) + "</ul></li>" for t, rs in by_topic.items())
    rows = "".join(
        f'<tr><td><a href="#{_ESC(r.claim.id)}"><code>{_ESC(r.claim.id)}</code></a></td>'
        f"<td>{_ESC(r.claim.kind)}</td><td>{_status(r.status)}</td><td>"
        + ", ".join(f"{_ESC(x.route)}: {_status(x.status)}" for x in r.routes) + "</td><td>"
        + (_power_cell(power_by_id.get(r.claim.id)) if r.claim.is_theorem else "hypothesis")
        + "</td></tr>" for r in results)
    sections, shown = [], set()
    for topic, rs in by_topic.items():
        sections.append(f'<h2 id="topic-{_ESC(topic or "other")}">{_ESC(topic_title(topic))}</h2>')
        for r in rs:
            sections.append(_claim_section(r, by_claim.get(r.claim.id, []), out_dir,
                                           power_by_id.get(r.claim.id), LOOSE, shown))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pruneproof verification report</title><style>{CSS}</style></head>
<body><main>
<h1>pruneproof verification report</h1>
<p class="muted">Generated by <code>pruneproof</code> at the {_ESC(budget)} budget (seed {seed}).
Do not edit by hand. The same content as <code>REPORT.md</code>, with the mathematics as MathML and
the figures embedded: this file needs no network and no JavaScript.</p>
<p>The full texts of the seed papers were not available: every bound checked here is
<em>derived here</em> and stated with its assumptions; none is a quotation. Theorems are
<b>verified</b>, <b>refuted</b> or <b>inconclusive</b>; hypotheses are <b>supported</b>, <b>not
supported</b>, <b>underpowered</b> or <b>inconclusive</b> (a finding, not a failure). Routes:
<em>symbolic</em> (sympy proves each derivation step; premises are marked and never counted as
proved), <em>exact</em> (enumeration, exact solvers) and <em>Monte Carlo</em> (seeded, with
confidence intervals). The power column ({_ESC(note)}) counts the perturbed copies of each theorem
that the routes refute.</p>
<nav><h3>Contents</h3><ul>{toc}</ul></nav>
<h3>Claims</h3><div class="wide"><table id="claims">
<tr><th>claim</th><th>kind</th><th>status</th><th>routes</th><th>power</th></tr>{rows}</table></div>
{''.join(sections)}
</main></body></html>
"""


def _claim_section(r, specs, out_dir: Path, power_entry, loose, shown: set) -> str:
    c = r.claim
    parts = [f'<section class="claim" id="{_ESC(c.id)}"><h2>{_ESC(c.id)}</h2>',
             f"<p><b>{_ESC(c.title)}</b> — {_ESC(c.kind)}, status {_status(r.status)}</p>",
             f'<div class="statement">{to_mathml(c.statement_latex, display=True)}</div>',
             f"<p>{_ESC(c.statement_text)}</p>",
             "<ul>" + f"<li>Source: {_ESC(c.source)}</li>"
             + f"<li>Evidence tag: <b>[{_ESC(c.evidence)}]</b>; spec: {_ESC(c.spec_ref)}</li>"
             + "<li>Assumptions:<ul>" + "".join(f"<li>{_ESC(a)}</li>" for a in c.assumptions)
             + "</ul></li></ul>", _derivation(c), "<h3>Routes</h3>"]
    for x in r.routes:
        parts.append(f"<p><b>{_ESC(x.route)}</b> — {_status(x.status)} ({x.seconds:.2f} s): "
                     f"{_ESC(x.summary)}</p>{_evidence(x.evidence)}")
    if power_entry is not None:
        parts.append(_power_section(power_entry))
    for (cid, name), (kinds, why) in loose.items():
        if cid == c.id:
            parts.append(f"<p>Documented exception for <code>{_ESC(name)}</code> "
                         f"({_ESC(', '.join(kinds))}): {_ESC(why)}</p>")
    parts += [_figure(spec, out_dir, shown) for spec in specs]
    parts.append("</section>")
    return "".join(parts)


def write_html(out_dir: Path, results: list, figures: list, budget: str, seed: int,
               power: dict | None = None) -> Path:
    """Write ``out_dir/report.html`` atomically; returns its path."""
    path = Path(out_dir) / "report.html"
    atomic_write_text(path, render_html(results, figures, budget, seed, out_dir, power))
    return path
