"""Print (issue 20): paper is always light, whatever the screen's scheme, and carries the caution, the
review status with its current step and dates, every audience's wording, the page's address and the date
it was printed, and the address of every outside link, the references' included. Checked on the PDF
Chromium prints (its text, and its pixels: printed from a dark screen it is the page printed from a light
one) and on the print styles at phone and desktop sizes (page.emulate_media)."""

from __future__ import annotations

import re
import struct
import zlib

import pypdfium2
import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import ARTICLE_PAGES, ARTICLES, DESKTOP, SCREENSHOTS, TALL_PHONE, front_matter

pytestmark = pytest.mark.browser

CAUTION = "Educational purpose only · content pending human review"
VIEWPORTS = {"phone": TALL_PHONE, "desktop": DESKTOP}


def open_article(visits, slug: str, palette: str, viewport: dict = DESKTOP,
                 audience: str | None = None) -> Page:
    context = visits.context(viewport=viewport, color_scheme=palette)
    if audience:
        context.add_init_script(f"if (location.protocol === 'http:') "
                                f"localStorage.setItem('medsite.audience', '{audience}')")
    page = visits.open(f"articles/{slug}/", context=context)
    page.locator(f'body[data-md-color-scheme="{"slate" if palette == "dark" else "default"}"]').wait_for()
    return page


def squeeze(text: str) -> str:
    """PDF text without its line breaks and spaces, which fall anywhere in a long address."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: pypdfium2.PdfDocument) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def pdf_pixels(pdf: pypdfium2.PdfDocument) -> list[tuple[int, int, bytes]]:
    """Each page rendered in grey levels at 72 dpi, as (width, height, one byte a pixel)."""
    pages = []
    for page in pdf:
        bitmap = page.render(scale=1, grayscale=True)
        buffer = bytes(bitmap.buffer)
        rows = (buffer[y * bitmap.stride:][:bitmap.width] for y in range(bitmap.height))
        pages.append((bitmap.width, bitmap.height, b"".join(rows)))
    return pages


def png(width: int, height: int, grey: bytes) -> bytes:
    """A PNG of grey pixels, for people to look at (no imaging library needed)."""
    raw = b"".join(b"\x00" + grey[y * width:(y + 1) * width] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


DARK = bytes(1 if level < 96 else 0 for level in range(256))  # grey level → 1 if dark
BAND = 6  # rows (about 6 pt): thicker than any printed rule or frame, thinner than a line of text on a band


def dark_band(width: int, height: int, grey: bytes) -> int | None:
    """The first row of a band of the page printed mostly dark (a dark background), if there is one."""
    run = 0
    for y in range(height):
        mostly_dark = grey[y * width:(y + 1) * width].translate(DARK).count(1) > width // 2
        run = run + 1 if mostly_dark else 0
        if run == BAND:
            return y - BAND + 1
    return None


@pytest.mark.parametrize(("visits", "slug"), ARTICLE_PAGES, indirect=["visits"])
def test_paper_is_light_and_the_same_from_a_dark_or_a_light_screen(visits, slug):
    printed = {palette: pypdfium2.PdfDocument(open_article(visits, slug, palette).pdf(format="A4"))
               for palette in ("light", "dark")}
    light, dark = (pdf_pixels(printed[palette]) for palette in ("light", "dark"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{slug}-print-from-dark.png").write_bytes(png(*dark[0]))
    (SCREENSHOTS / f"{slug}-print-from-light.png").write_bytes(png(*light[0]))
    assert len(dark) == len(light)
    for number, (from_dark, from_light) in enumerate(zip(dark, light, strict=True), start=1):
        assert dark_band(*from_dark) is None, f"page {number} printed a dark band"
        assert from_dark == from_light, f"page {number} differs when printed from a dark screen"


@pytest.mark.parametrize(("visits", "slug"), ARTICLE_PAGES, indirect=["visits"])
def test_paper_carries_the_status_the_wordings_the_address_and_the_date(visits, slug):
    page = open_article(visits, slug, "dark", audience="patient")  # the clinician wording folded on screen
    text = pdf_text(pypdfium2.PdfDocument(page.pdf(format="A4")))
    flat = squeeze(text)
    title = page.locator(".md-content__inner > h1").inner_text().replace("¶", "")
    assert squeeze(title) in flat
    assert (CAUTION in text) == (front_matter(slug, visits.site.root).get("status") != "approved")
    current = page.locator('.medsite-tracker [aria-current="step"]').text_content()
    assert squeeze(current) in flat and "current step" in current
    for date in page.locator(".medsite-status .medsite-dates > span").all_text_contents():
        assert squeeze(date) in flat, date  # Last updated, Last reviewed, Next review due
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    today = page.evaluate("new Date().toLocaleDateString('en-US', {year: 'numeric', month: 'long', "
                          "day: 'numeric'})")
    assert squeeze(f"Printed from {canonical} on {today}.") in flat
    for block in page.locator(".md-content details.audience-block").all():
        assert squeeze(block.locator("> summary").text_content()) in flat
        assert squeeze(block.locator("> p").first.text_content())[:60] in flat
    links = page.locator('.md-content a[href^="http"]:not(.medsite-follow-up a)').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")  # the follow-up form is not printed
    for href in links:  # references' DOI and PubMed links among them (test below: some article has them)
        assert squeeze(href) in flat, f"{href} is not printed"
    for control in ("Which best describes you?", "Ask a follow-up question", "Search"):
        assert control not in text


def test_the_project_has_reference_links_for_the_paper_test_to_check(main_site):
    assert any('href="https://doi.org/' in main_site.html(f"articles/{slug}") for slug in main_site.articles)


@pytest.mark.parametrize("palette", ["light", "dark"])
@pytest.mark.parametrize("device", VIEWPORTS)
def test_print_styles_show_what_paper_needs_at_any_size(visits, device, palette):
    page = open_article(visits, ARTICLES[0], palette, VIEWPORTS[device], audience="patient")
    folded = page.locator('.audience-pair > details[data-audience="clinician"] > p').first
    expect(folded).to_be_hidden()  # on screen, the patient reads their own wording first
    tracker = page.locator(".medsite-tracker")
    expect(tracker).to_be_hidden()

    page.emulate_media(media="print")
    white, black = "rgb(255, 255, 255)", "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == white
    for selector in (".md-typeset", ".medsite-tracker__step--current", ".medsite-status__summary"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).color") == black, selector
    caution = page.locator(".medsite-caution")
    if caution.count():
        expect(caution).to_be_visible()
        assert caution.evaluate("e => getComputedStyle(e).color") == black
    for visible in (tracker, folded, page.locator(".medsite-print-info")):
        expect(visible).to_be_visible()
    for hidden in (".md-header", "#audience-switch", ".md-sidebar--primary"):
        expect(page.locator(hidden)).to_be_hidden()
    pubmed = page.locator('.medsite-references a[href*="pubmed"]').first
    after = pubmed.evaluate("a => getComputedStyle(a, '::after').content")
    assert pubmed.get_attribute("href") in after
