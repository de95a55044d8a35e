"""Benchmarks: ``python -m benchmarks.<name>`` prints figures."""
