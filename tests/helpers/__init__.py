"""Shared test helpers: users and processes for the bastion-host tests, key bursts for the TUI."""
