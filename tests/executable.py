"""What in a piece of HTML a browser could execute or fetch, found by parsing it (escaped text does not
count)."""

from __future__ import annotations

from html.parser import HTMLParser

from medsite.safety.html_safety import EXECUTABLE_ELEMENTS, EXECUTABLE_SCHEMES, URL_ATTRIBUTES, url_scheme


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in EXECUTABLE_ELEMENTS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            elif name == "style" and any(word in (value or "").lower() for word in ("url(", "expression(")):
                self.found.append(f"<{tag} style={value}>")
            elif name in URL_ATTRIBUTES and url_scheme(value or "") in EXECUTABLE_SCHEMES:
                self.found.append(f"<{tag} {name}={value}>")


def executable_markup(html: str) -> list[str]:
    """Executable elements, event-handler attributes, javascript:/vbscript:/data: URLs and style
    attributes that fetch (`url(`) or run (`expression(`) in `html`."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
