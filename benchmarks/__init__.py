"""textqa's benchmark harness (beside the package, not shipped in the wheel).

Run ``python -m benchmarks --help``; see ``benchmarks/README.md`` for the method and for how to
add a suite. Importing this package does nothing.
"""
