"""Default deny for what reaches a reader: the HTML sanitiser and the Content-Security-Policy."""
