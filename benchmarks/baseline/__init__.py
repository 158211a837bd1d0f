"""The naive baseline app the benchmarks compare kumamap with."""
