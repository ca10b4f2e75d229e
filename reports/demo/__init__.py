"""Synthetic data (labelled and flagged ``is_synthetic``) for the demo, the tests and the benchmarks."""
