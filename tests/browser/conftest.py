"""Browser journeys: real headless Chromium driven by Playwright, audited with axe-core."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import skip_or_fail

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told that this is deliberate. The live server handles requests in its own threads.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KITBAG_CHROMIUM", "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Chromium's own background connections are refused on a closed network; these flags stop them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# WCAG 2.2 1.4.10 Reflow: content fits 320 CSS pixels (1280 px at 400% zoom) without scrolling
# sideways. Wide tables may scroll inside their own labelled region; the page itself may not.
REFLOW_WIDTH = 320
# The elements that stick out furthest, deepest first, to name in a failure.
_OVERFLOWING = """(width) => {
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right <= width + 0.5 || box.width === 0) continue;
    // Inside a box that scrolls or clips, it is not the page's overflow; but an absolutely
    // positioned element escapes every such box below its containing block.
    const position = getComputedStyle(element).position;
    let up = position === "absolute" || position === "fixed"
      ? element.offsetParent : element.parentElement;
    let inside = false;
    for (; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX !== "visible" && style.overflowX !== "clip") { inside = true; break; }
    }
    if (inside) continue;
    const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (typeof element.className === "string" && element.className
         ? "." + element.className.trim().split(/\\s+/).join(".") : "");
    out.push([Math.round(box.right), name, (element.textContent || "").trim().slice(0, 40)]);
  }
  return out.sort((a, b) => b[0] - a[0]).slice(0, 8);
}"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _then_wait_for_the_page_to_load(action: Any) -> Any:
    """Playwright's click returns once a navigation it started has committed, before the new
    document has loaded; an assertion read straight after it can see a page half parsed (CI saw
    a results list counted as empty). After every click and key press, wait for the page's load,
    which returns at once when nothing navigated."""

    def acted_and_loaded(locator: Any, *args: Any, **kwargs: Any) -> Any:
        result = action(locator, *args, **kwargs)
        locator.page.wait_for_load_state("load")
        return result

    return acted_and_loaded


@pytest.fixture(scope="session", autouse=True)
def clicks_wait_for_the_next_page() -> Iterator[None]:
    from playwright.sync_api import Locator

    with pytest.MonkeyPatch.context() as patch:
        for name in ("click", "press", "check"):
            patch.setattr(Locator, name, _then_wait_for_the_page_to_load(getattr(Locator, name)))
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        skip_or_fail("browser", f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    if not AXE_SCRIPT.exists():
        skip_or_fail("browser", f"axe-core is not installed at {AXE_SCRIPT} (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not csp_violations, f"The page broke its Content-Security-Policy: {csp_violations}"


def sign_in(page: Any, live_server: Any, email: str, password: str) -> None:
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def assert_no_accessibility_violations(page: Any) -> None:
    """Run axe-core on the current page; fail listing every WCAG 2.2 A/AA violation and every
    breach of axe's best practices (among them: all content inside landmarks, each landmark
    named uniquely). Then check what axe cannot: that the page reflows at 320 CSS pixels."""
    # A click that navigates returns before the next page has arrived: audit the page once it
    # has loaded, not the blank document in between.
    page.wait_for_load_state("load")
    page.locator("main").first.wait_for(state="attached")
    # Evaluated through the DevTools protocol, which the page's CSP (rightly) does not allow
    # a script tag to do.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        [*WCAG_22_AA, "best-practice"],
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in results["violations"]
    ]
    assert not violations, f"axe-core found violations on {page.url}:\n" + json.dumps(
        violations, indent=2
    )
    assert_reflows(page)


def page_width_at(page: Any, width: int = REFLOW_WIDTH) -> tuple[int, list[Any]]:
    """The page's scrollWidth with the viewport `width` wide, and what sticks out; the viewport
    is put back as it was, so a journey goes on at its own size."""
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": original["height"]})
    try:
        scroll_width = int(page.evaluate("document.documentElement.scrollWidth"))
        culprits = page.evaluate(_OVERFLOWING, width) if scroll_width > width else []
    finally:
        page.set_viewport_size(original)
    return scroll_width, culprits


def assert_reflows(page: Any) -> None:
    """Fail when the current page scrolls sideways at 320 CSS pixels (WCAG 2.2 1.4.10)."""
    scroll_width, culprits = page_width_at(page)
    assert scroll_width <= REFLOW_WIDTH, (
        f"{page.url} is {scroll_width} px wide at a {REFLOW_WIDTH} px viewport; widest parts "
        "(right edge, element, text):\n" + "\n".join(map(str, culprits))
    )
