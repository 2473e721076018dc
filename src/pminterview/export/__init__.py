"""Postmortem -> Markdown and TOML (and back from TOML), readiness, and the export command."""

from pminterview.export.command import export_workspace
from pminterview.export.markdown import to_markdown
from pminterview.export.readiness import readiness
from pminterview.export.selection import submitted_only
from pminterview.export.structured import from_toml, to_toml

__all__ = ["export_workspace", "from_toml", "readiness", "submitted_only", "to_markdown", "to_toml"]
