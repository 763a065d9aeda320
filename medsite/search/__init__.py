"""The site search: each page's search data, drug and abbreviation synonyms, Pagefind's index."""
