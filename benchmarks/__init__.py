"""On-demand benchmarks: kumamap against a naive baseline (see README.md)."""
