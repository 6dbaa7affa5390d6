"""axe-core in the browser journeys: 0 WCAG 2.1 A/AA violations, or the test fails.

axe-core 4.14.1 is vendored next to this file (npm pack axe-core@4.14.1, with its
licences): it checks pages in tests only and is never served to visitors, so it
does not sit in static/vendor/. It is injected through Playwright's evaluate,
which the pages' Content-Security-Policy (script-src 'self') does not apply to.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js").read_text()
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """axe's violations of WCAG 2.1 A and AA on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fails with axe's findings, one line each, when the page has any."""
    violations = axe_violations(page)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"
