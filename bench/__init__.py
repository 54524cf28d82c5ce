"""`make bench`: loopback benchmarks of the mock, the generated client and the tooling.

Run as `PYTHONPATH=generated:mock .venv/bin/python -m bench.run` from the repository root;
it rewrites BENCHMARKS.md. See bench/run.py for the sections and the environment knobs.
"""
