"""Small stand-alone Textual apps that scripts/bench.py runs as baselines."""
