"""Experiments: replications, executors, sweeps, paired comparison and attribution."""
