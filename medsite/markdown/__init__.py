"""Markdown source read as Python-Markdown reads it, without rendering it: front matter, prose and code, code
spans, links, headings and anchors, abbreviations."""
