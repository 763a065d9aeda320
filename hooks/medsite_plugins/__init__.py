"""MkDocs and ProperDocs plugins of the project, loaded by name from mkdocs.yml's `plugins`.

Kept out of `medsite/`, which imports no MkDocs; each plugin is as thin as a hook.
"""
