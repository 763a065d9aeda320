"""What a page shows beyond its text, and the pages the build generates: topics, dashboard, What's new, JSON-
LD, reading grades, each page's payload for the templates."""
