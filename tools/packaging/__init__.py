"""Packaging and the docs site: what ships, and proof that it installs and works.

Owns `make dist` (`dist`: sdists and wheels, twine-checked), `make install-check`
(`install_check`: the wheels in a fresh venv), `make compat` (`compat`: both ends of the
dependency ranges), `make release` (`release`) and the MkDocs hooks of `make docs`
(`docs_site`, named in mkdocs.yml).
"""
