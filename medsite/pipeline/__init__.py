"""One build: its context (what the hooks share), the page cache, the atomic swap of the site folder."""
