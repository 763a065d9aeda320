"""`/// audience | patient` … `///` in Markdown → a labelled block for one audience.

Every block is rendered visible with its label, so readers without JavaScript see all of them; the
audience switch (overrides/partials/audience-switch.html, docs/assets/audience.js) hides the blocks of
the other audience. An unknown or missing audience is flagged, and fails the build with file:line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from medsite.markup_flags import flag

AUDIENCES = {"patient": "For patients and caregivers", "clinician": "For healthcare professionals"}


class AudienceBlock(Block):
    NAME = "audience"
    ARGUMENT = None  # optional for pymdownx, so a missing audience is reported instead of left as text

    def on_create(self, parent: etree.Element) -> etree.Element:
        written = (self.argument or "").strip()
        audience = written.lower()
        block = etree.SubElement(parent, "div", {"class": "audience-block"})
        if audience not in AUDIENCES:
            header = f"/// audience | {written}" if written else "/// audience"
            flag(block, message=f"unknown audience in '{header}'; expected one of: {', '.join(AUDIENCES)}",
                 source_pattern=rf"(?i)^\s*/{{3,}}\s*audience\s*(\|\s*)?{re.escape(written)}\s*$")
            return block
        block.set("data-audience", audience)
        label = etree.SubElement(block, "p", {"class": "audience-block__label"})
        label.text = AUDIENCES[audience]
        return block


class AudienceExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr: BlocksProcessor) -> None:
        block_mgr.register(AudienceBlock, self.getConfigs())


def makeExtension(**kwargs) -> AudienceExtension:
    return AudienceExtension(**kwargs)
