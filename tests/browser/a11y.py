"""The automated accessibility check of the browser suite: axe-core (vendored, tests/browser/vendor/)
run in the page; serious and critical violations fail the test with what and where."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
FAILING = ("serious", "critical")
# WCAG 2.1 A and AA, the level China's GB/T 37668 asks of government sites, plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def violations(page) -> list[dict]:
    """Serious and critical violations on the page as it is now. The page's context must bypass the
    site's Content-Security-Policy (`bypass_csp=True`): axe is injected as a script of its own."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", TAGS
    )
    return [v for v in found if v["impact"] in FAILING]


def report(found: list[dict]) -> str:
    lines = []
    for v in found:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x: {targets})")
    return "\n".join(lines)
