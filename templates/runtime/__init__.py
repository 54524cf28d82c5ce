"""The client package's runtime code that does not vary with the spec, as plain Python.

`make generate` copies every module of this folder (this file aside) into the generated
package, byte for byte, after the generator has run; a module here replaces the generator's
own of the same name (`errors.py`, `types.py`). Keeping them here, not in Jinja templates,
means ruff, `mypy --strict` and the tests check them as they are written.

The rule: a module here imports only the standard library, httpx, attrs and other modules of
this folder, never a generated one, so it type-checks on its own. What the spec decides
(models, operations, the resource classes, the package's name and version) stays in the
Jinja templates beside this folder.
"""
