"""Deterministic, realistic demo data for demonstrations, tests and benchmarks."""
