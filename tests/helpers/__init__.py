"""Shared helpers for the workspace, multi-user, crash and SSH tests."""
