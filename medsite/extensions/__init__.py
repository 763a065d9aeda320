"""The project's Python-Markdown extensions, listed in mkdocs.yml so every engine loads them: audience blocks,
evidence grades, citations, the engine guard, and the flags they leave."""
