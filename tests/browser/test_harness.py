"""The safety net every browser test relies on: the recorder notices a request to another host, a
console error, an uncaught exception and a Content-Security-Policy violation."""

from __future__ import annotations

import pytest

from tests.browser.harness import Visits

pytestmark = pytest.mark.browser

ELSEWHERE = "http://127.0.0.2:59999/pixel.png"  # loopback (nothing leaves the machine), not the site's host


def test_recorder_notices_what_the_harness_forbids(browser, site_url):
    recorder = Visits(browser, site_url)
    try:
        page = recorder.open(bypass_csp=True)
        page.evaluate(f"new Promise(done => {{ const image = new Image(); image.onerror = done; "
                      f"image.src = '{ELSEWHERE}'; }})")
        page.evaluate("setTimeout(() => { throw new Error('boom'); })")
        page.wait_for_timeout(200)
        assert recorder.outside_requests() == [ELSEWHERE]
        errors = recorder.errors
        assert any("Failed to load resource" in error and ELSEWHERE in error for error in errors), errors
        assert any(error.startswith("uncaught:") and "boom" in error for error in errors), errors

        recorder.errors.clear()
        page = recorder.open()  # the site's own policy applies again
        page.evaluate("const script = document.createElement('script'); script.textContent = '1';"
                      "document.head.append(script);")
        page.wait_for_timeout(200)
        assert any(error.startswith("CSP: script-src") for error in recorder.errors), recorder.errors
    finally:
        recorder.close()


def test_a_failed_test_leaves_a_screenshot_of_each_open_page(browser, site_url, tmp_path):
    recorder = Visits(browser, site_url)
    try:
        recorder.open()
        recorder.screenshot_pages(tmp_path, "tests/browser/test_x.py::test_y[phone-dark]")
        shot = tmp_path / "test_x.py-test_y-phone-dark-1.png"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        recorder.close()
