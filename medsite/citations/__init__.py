"""Citations in Markdown, `[@key]` and `@key` as pandoc writes them, scanned with their lines; the
bibliography's data types, which every part that shows references shares."""
