"""The MkDocs adapter of the project: what every hook shares (hooks/*.py import it as
`medsite_mkdocs.adapter`), kept out of `medsite/`, which imports no MkDocs."""
