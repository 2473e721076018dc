"""The postmortem as TOML for machines and trackers, and back.

The export holds everything structured that the Markdown shows, validated by the same pydantic
models as postmortem.toml. It leaves out `to_reframe`: those are blame sentences quoted from
accounts, kept for the facilitator's eyes only. Output is deterministic (declared field order,
no run date), so `to_toml(from_toml(to_toml(pm)))` is byte for byte `to_toml(pm)`.
"""

from __future__ import annotations

from pathlib import Path

import tomli_w

from pminterview.model import Postmortem
from pminterview.workspace import parse_model


def to_toml(pm: Postmortem) -> str:
    """The export TOML of `pm` (without the facilitator-only reframing list).

    Serialised like postmortem.toml (see `workspace.to_toml`): fields in declared order, no
    unset values."""
    data = pm.model_dump(mode="json", exclude_none=True, exclude={"to_reframe"})
    return tomli_w.dumps(data, multiline_strings=True)


def from_toml(text: str, source: str) -> Postmortem:
    """Read an exported (or working) postmortem; every problem is a PmError naming `source`."""
    return parse_model(text, Postmortem, "postmortem", Path(source))
