"""The site, the slides and the handout in a real browser, from files on disk: nothing is fetched from the network,
the quiz's Show answer opens without a kernel, the slides start and move on with the keyboard, and every page
passes axe-core's accessibility check with no serious or critical violation."""

import pytest
from course_support import axe_serious

from helpers import publish

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Write the site and the slides once into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    publish.site(out)
    publish.slides(out)
    return out


def _open(browser, url: str):
    """Return a page at ``url`` and the list that collects every request made away from the disk or that failed."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    away = []
    page.on("request", lambda request: away.append(request.url) if not request.url.startswith("file:") else None)
    page.on("requestfailed", lambda request: away.append(f"failed: {request.url}"))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, away


def test_a_slide_deck_starts_offline_and_moves_on_with_the_keyboard(browser, built):
    page, away = _open(browser, (built / "slides" / "04_medicare_payment.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getTotalSlides()") >= 5
    first = page.evaluate("Reveal.getIndices().h")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"Reveal.getIndices().h > {first}")
    font = page.evaluate("getComputedStyle(document.querySelector('.reveal')).fontFamily")
    assert "Source Sans Pro" in font
    assert page.evaluate("document.fonts.load('16px \"Source Sans Pro\"').then(faces => faces.length)") >= 1
    assert away == []
    page.close()


def test_a_site_page_shows_an_answer_without_a_kernel_and_fetches_nothing(browser, built):
    page, away = _open(browser, (built / "site" / "02_coding_the_procedure.html").as_uri())
    answer = page.locator("details", has=page.locator("summary", has_text="Show answer")).first
    assert not answer.evaluate("element => element.open")
    answer.locator("summary").click()
    assert answer.evaluate("element => element.open")
    assert "Answer:" in answer.inner_text() and answer.locator("p").first.is_visible()
    assert away == []
    page.close()


def test_every_site_page_slide_deck_and_the_handout_pass_an_accessibility_check(browser, built):
    publish.handout(built)
    decks = [built / "slides" / f"{name}.html" for name in ("00_start_here", "05_payment_rules")]
    pages = sorted((built / "site").glob("*.html")) + decks + [built / "handouts" / "quick-reference.html"]
    found = {}
    for path in pages:
        page, _ = _open(browser, path.as_uri())
        found[f"{path.parent.name}/{path.name}"] = axe_serious(page)
        page.close()
    print(f"\ncount: accessibility: {len(pages)} static pages checked with axe-core, "
          f"{sum(map(len, found.values()))} serious or critical violations")
    assert len(pages) == len(list((built / "slides").glob("*.html"))) + 4
    assert {name: problems for name, problems in found.items() if problems} == {}
