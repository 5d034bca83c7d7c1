"""Benchmarks: run on demand with `python -m tests.bench`, never by pytest (see README)."""
