"""`medsite refs verify`: each .bib entry checked against what its DOI and PMID point to, retractions
included."""
