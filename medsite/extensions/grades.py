"""`[grade: 1A]` in Markdown → an evidence badge whose tooltip explains the scale and whose link leads
to the page describing both scales. A grade outside the vocabulary is flagged, never rendered as a badge."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from medsite.extensions.flags import flag
from medsite.model.grades import allowed, lookup

GRADE_PATTERN = r"\[(?i:grade):[ \t]*([^\]\n]*?)[ \t]*\]"


class GradeProcessor(InlineProcessor):
    """Runs after code spans (so code is left alone) and before links (so `[grade: …]` is never a link)."""

    def __init__(self, md: Markdown, glossary: str) -> None:
        super().__init__(GRADE_PATTERN, md)
        self.glossary = glossary

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        """A known grade becomes a badge linked to the glossary; an unknown one stays as text, flagged."""
        grade = lookup(m.group(1))
        if grade is None:
            element = etree.Element("span")
            element.text = AtomicString(m.group(0))
            flag(element, message=f"unknown evidence grade '{m.group(1)}' in '{m.group(0)}'; "
                                  f"expected one of {allowed()}",
                 source_pattern=re.escape(m.group(0)))
            return element, m.start(0), m.end(0)
        element = etree.Element("a", {
            "class": "evidence-badge",
            "data-grade": grade.code,
            "href": f"{self.glossary}#{grade.scale}",
            "title": grade.explanation,
        })
        element.text = AtomicString(grade.label)
        return element, m.start(0), m.end(0)


class GradeExtension(Extension):
    """`[grade: 1A]` evidence badges."""

    def __init__(self, **kwargs) -> None:
        self.config = {"glossary": ["/evidence-grades.md", "Page explaining the scales, as a Markdown link"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the badge pattern."""
        md.inlinePatterns.register(GradeProcessor(md, self.getConfig("glossary")), "medsite_grade", 175)


def makeExtension(**kwargs) -> GradeExtension:
    """What Markdown calls for `medsite.extensions.grades` in mkdocs.yml."""
    return GradeExtension(**kwargs)
