"""Generation: from `openapi.yaml` and `overlays/` to the effective spec and the `generated/` package.

Owns `make spec`, `make generate` and `make check` (`regenerate`), and the OpenAPI Overlay 1.0.0
applier they use (`overlay`).
"""
