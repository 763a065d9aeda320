"""Desktop and phone screenshots of every article, kept in test-artifacts/screenshots/ for people to look
at (CI uploads the folder); each must be as wide as its viewport (nothing overflows sideways)."""

from __future__ import annotations

import struct

import pytest

from tests.browser.harness import ARTICLE_PAGES, DESKTOP, PHONE, SCREENSHOTS

pytestmark = pytest.mark.browser


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])  # IHDR width, height


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize(("visits", "slug"), ARTICLE_PAGES, indirect=["visits"])
def test_article_screenshot(visits, slug, device):
    viewport = DESKTOP if device == "desktop" else PHONE
    page = visits.open(f"articles/{slug}/", viewport=viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{slug}-{device}.png"
    path.write_bytes(page.screenshot(full_page=True))
    width, height = png_size(path.read_bytes())
    assert width == viewport["width"]
    assert height > viewport["height"]  # a whole article is longer than one screen
