"""The findings of `medsite refs verify` as Markdown, for the issue the weekly run opens or updates."""

from __future__ import annotations

from collections.abc import Sequence

from medsite.refs.verify import Finding

SECTIONS = (
    ("retraction", "Retracted sources"),
    ("expression_of_concern", "Expressions of concern"),
    ("mismatch", "Identifiers that do not match their entry"),
    ("not_found", "Identifiers no database knows"),
    ("notice", "Identifiers of notices rather than works"),
    ("correction", "Corrected sources"),
    ("unchecked", "Not checked this time"),
)


def _cell(text: str) -> str:
    """Text in a Markdown table cell: pipes escaped, no line breaks, no HTML."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def markdown_report(findings: Sequence[Finding], summary: str, today: str) -> str:
    """A heading per kind of finding, a table row per finding with the entry's file and line."""
    lines = [f"Source check of {today} (`medsite refs verify`): {summary}.", ""]
    if not findings:
        lines.append("No findings: every DOI and PMID matches its entry and none was retracted.")
        return "\n".join(lines) + "\n"
    for kind, title in SECTIONS:
        found = [finding for finding in findings if finding.kind == kind]
        if not found:
            continue
        lines += [f"## {title} ({len(found)})", "", "| Entry | Where | Finding |", "| --- | --- | --- |"]
        lines += [f"| `{_cell(f.key)}` | `{_cell(f.entry.where)}` | {_cell(f.message)} |" for f in found]
        lines.append("")
    lines.append("An article citing a retracted source shows readers a notice beside the reference and the "
                 "caution until the board approves it again (see CONTRIBUTING.md, \"Retracted sources\").")
    return "\n".join(lines) + "\n"
