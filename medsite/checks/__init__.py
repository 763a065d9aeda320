"""What `medsite check` and the build check in sources and built pages: links, headings, source hygiene, and
MkDocs' own link warnings reworded."""
