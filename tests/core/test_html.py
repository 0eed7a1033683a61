"""report.html: self-contained (no network, no JavaScript), MathML, every claim section and figure;
checked in a real headless Chromium (Debian package ``chromium``; skipped where it is missing)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pruneproof.theory.claims import all_claims
from pruneproof.verify.core.figures import all_figures
from pruneproof.verify.core.html import claim_topic, render_html, write_html
from pruneproof.verify.core.verdicts import ClaimResult, RouteResult, load_plugins

FIGURES = Path(__file__).resolve().parents[2] / "figures"


def _drawn(folder: Path) -> list[str]:
    """The registered figures whose PNG is in ``folder`` (a new figure may not be drawn yet)."""
    return [s.name for s in all_figures() if (folder / f"{s.name}.png").exists()]


def _results():
    load_plugins()
    return [ClaimResult(c, "verified" if c.is_theorem else "supported",
                        [RouteResult("exact", "verified" if c.is_theorem else "supported",
                                     "stub route for the layout test",
                                     {"worst": 1e-12, "rows": [{"n": 4, "error": 0.5}]})])
            for c in all_claims()]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    specs = all_figures()
    for spec in specs:
        png = FIGURES / f"{spec.name}.png"
        if png.exists():
            shutil.copy(png, out / png.name)
    return write_html(out, _results(), specs, "smoke", 0, power={})


def test_self_contained_mathml_and_anchors(report):
    text = report.read_text()
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)=["']https?://""", text)
    assert text.count("<math") >= len(all_claims())
    for c in all_claims():
        assert f'id="{c.id}"' in text and f'href="#{c.id}"' in text
    assert "premise (assumed, not proved)" in text
    drawn = _drawn(report.parent)
    for name in drawn:
        assert f'id="fig-{name}"' in text
    assert text.count("data:image/png;base64,") == len(drawn) > 0


def test_topics_derived_from_route_modules():
    load_plugins()
    from pruneproof.verify import TOPICS
    from pruneproof.verify.core.verdicts import routes_for
    topics = {claim_topic(c.id) for c in all_claims() if routes_for(c.id)}
    assert topics <= set(TOPICS) and {"amm", "sketching", "separation", "paths"} <= topics


def test_written_atomically_by_report(tmp_path):
    from pruneproof.verify.core.report import write_outputs
    write_outputs(tmp_path, _results()[:2], [], "smoke", 0, html=True)
    assert (tmp_path / "report.html").exists() and (tmp_path / "REPORT.md").exists()
    assert not list(tmp_path.glob(".report*"))


PROBE = """<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var out = {images: imgs.length, decoded: imgs.filter(function (i) {
               return i.complete && i.naturalWidth > 0; }).length,
             sections: Array.prototype.map.call(document.querySelectorAll('section.claim'),
                                                function (s) { return s.id; }),
             maths: document.getElementsByTagName('math').length, raw: []};
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var n = walker.currentNode, t = n.nodeValue;
    if (n.parentElement.closest('math, code, script, pre')) continue;
    if (/\\\\(frac|sum|sqrt|mathbb|left|right|le|ge)\\b|\\$/.test(t)) out.raw.push(t.slice(0, 80));
  }
  var pre = document.createElement('pre'); pre.id = 'probe-result';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(browser: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", "--virtual-time-budget=5000", *args],
                          capture_output=True, text=True, timeout=180)


def test_in_headless_chromium(report, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not installed (`.ci/run` installs it: apt-get install -y chromium)")
    import json
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text().replace("</body>", PROBE + "</body>"))
    dom = _run(browser, "--dump-dom", probe.as_uri()).stdout
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', dom, re.S)
    assert found, "the probe did not run"
    result = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert result["images"] == len(_drawn(report.parent)) and result["decoded"] == result["images"]
    assert result["sections"] == [c.id for c in all_claims()]
    assert result["maths"] >= len(all_claims())
    assert result["raw"] == [], result["raw"][:5]
    shot = Path(os.environ.get("PRUNEPROOF_SCREENSHOT", tmp_path / "report.png"))
    _run(browser, f"--screenshot={shot}", "--window-size=1366,2400", report.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000


def test_render_without_figures(tmp_path):
    text = render_html(_results()[:1], [], "smoke", 0, tmp_path, power={})
    assert "<!DOCTYPE html>" in text
