"""What every feature uses: the one Problem type (file:line:col, found and expected), bounds on contributed
input, JSON caches under .cache/medsite/, work spread over processors."""
