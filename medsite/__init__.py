"""Domain logic of the clinical-answers site, free of any MkDocs import so it outlives the adapter."""
