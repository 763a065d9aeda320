"""`/// audience | patient` … `///` in Markdown → a labelled block for one audience.

Each block is a `<details open>` whose `<summary>` is its label ("For patients and caregivers"), so
readers without JavaScript see every block, labelled, and can still fold one away. Blocks written next to
each other, for different audiences, are two wordings of the same point: they are grouped in one
`audience-pair`, clinician wording first (what readers without JavaScript get). The audience switch
(overrides/partials/audience-switch.html, docs/assets/audience.js) puts the reader's own wording first in
each pair and folds the other audience's blocks, which stay one tap away under their label.
An unknown or missing audience is flagged, and fails the build with file:line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from medsite.extensions.flags import flag

AUDIENCES = {"patient": "For patients and caregivers", "clinician": "For healthcare professionals"}
NO_SCRIPT_ORDER = ("clinician", "patient")  # within a pair, what readers without JavaScript get
BLOCK_CLASS = "audience-block"
PAIR_CLASS = "audience-pair"


class AudienceBlock(Block):
    """`/// audience | patient`: a block of wording for one audience."""

    NAME = "audience"
    ARGUMENT = None  # optional for pymdownx, so a missing audience is reported instead of left as text

    def on_create(self, parent: etree.Element) -> etree.Element:
        """The block's element, or a flagged one for an audience the site does not know."""
        written = (self.argument or "").strip()
        audience = written.lower()
        if audience not in AUDIENCES:
            block = etree.SubElement(parent, "div", {"class": BLOCK_CLASS})
            header = f"/// audience | {written}" if written else "/// audience"
            flag(block, message=f"unknown audience in '{header}'; expected one of: {', '.join(AUDIENCES)}",
                 source_pattern=rf"(?i)^\s*/{{3,}}\s*audience\s*(\|\s*)?{re.escape(written)}\s*$")
            return block
        # A `div` while Markdown parses: pymdownx.details would take an indented block after a `details`
        # element as more of its content, so indented code after an audience block would become text in
        # it. PairTreeprocessor makes it the `details` element readers get.
        block = etree.SubElement(parent, "div", {"class": BLOCK_CLASS, "data-audience": audience,
                                                 "open": "open"})
        label = etree.SubElement(block, "summary", {"class": f"{BLOCK_CLASS}__label"})
        label.text = AUDIENCES[audience]
        return block


def _audience(element: etree.Element) -> str | None:
    """The audience of a rendered audience block, or None for any other element."""
    if element.tag == "details" and element.get("class") == BLOCK_CLASS:
        return element.get("data-audience")
    return None


class PairTreeprocessor(Treeprocessor):
    """Makes each audience block a `details` element, and groups each run of adjacent audience blocks that
    holds both audiences into an `audience-pair`."""

    def run(self, root: etree.Element) -> None:
        """Pair adjacent audience blocks so the reader's own wording leads and the other folds."""
        for block in root.iter("div"):
            if block.get("class") == BLOCK_CLASS and block.get("data-audience"):
                block.tag = "details"
        for parent in list(root.iter()):
            runs: list[list[int]] = []
            previous: etree.Element | None = None  # the previous sibling, if it is an audience block
            for index, child in enumerate(parent):
                if _audience(child) is None:
                    previous = None
                    continue
                if previous is not None and not (previous.tail or "").strip():
                    runs[-1].append(index)
                else:
                    runs.append([index])
                previous = child
            for run in reversed(runs):
                self._pair(parent, run)

    @staticmethod
    def _pair(parent: etree.Element, run: list[int]) -> None:
        blocks = [parent[index] for index in run]
        if len({_audience(block) for block in blocks}) < 2:
            return
        pair = etree.Element("div", {"class": PAIR_CLASS})
        pair.tail = blocks[-1].tail
        for block in sorted(blocks, key=lambda block: NO_SCRIPT_ORDER.index(_audience(block) or "")):
            block.tail = "\n"
            pair.append(block)
        for index in reversed(run):
            del parent[index]
        parent.insert(run[0], pair)


class AudienceExtension(BlocksExtension):
    """The `/// audience` blocks and their pairing."""

    def extendMarkdownBlocks(self, md, block_mgr: BlocksProcessor) -> None:
        """Register the block and the pairing tree processor."""
        block_mgr.register(AudienceBlock, self.getConfigs())
        md.treeprocessors.register(PairTreeprocessor(md), "medsite_audience_pairs", 25)


def makeExtension(**kwargs) -> AudienceExtension:
    """What Markdown calls for `medsite.extensions.audience` in mkdocs.yml."""
    return AudienceExtension(**kwargs)
