"""What the project and an article are: settings, folders, the files the site publishes, sources, the
article's front matter, the people registry, evidence grades, last-updated dates, and the placeholder text of
`medsite new`'s scaffold, which no approval may keep."""
