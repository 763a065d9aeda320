"""The bibliography: .bib files (BibTeX, BibLaTeX, Zotero exports) read into entries, and references formatted
in AMA or Vancouver, cached."""
