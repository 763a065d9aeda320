"""Writing an article: `medsite new`'s scaffold."""
