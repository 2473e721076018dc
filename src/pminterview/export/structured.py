"""The postmortem as TOML for machines and trackers, and back.

The export holds everything structured that the Markdown shows, validated by the same pydantic
models as postmortem.toml. It leaves out `to_reframe`: those are blame sentences quoted from
accounts, kept for the facilitator's eyes only. Output is deterministic (declared field order,
no run date), so `to_toml(from_toml(to_toml(pm)))` is byte for byte `to_toml(pm)`.
"""

from __future__ import annotations

import tomllib

import tomli_w
from pydantic import ValidationError

from pminterview.errors import PmError
from pminterview.model import SCHEMA_VERSION, Postmortem


def to_toml(pm: Postmortem) -> str:
    """The export TOML of `pm` (without the facilitator-only reframing list).

    Serialised like postmortem.toml (see `workspace.to_toml`): fields in declared order, no
    unset values."""
    data = pm.model_dump(mode="json", exclude_none=True, exclude={"to_reframe"})
    return tomli_w.dumps(data, multiline_strings=True)


def from_toml(text: str, source: str) -> Postmortem:
    """Read an exported (or working) postmortem; every problem is a PmError naming `source`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PmError(f"{source}: is not valid TOML ({err}); fix it or export again") from None
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PmError(f"{source}: no schema_version, so this is not a pminterview postmortem; check the file")
    if version > SCHEMA_VERSION:
        raise PmError(f"{source}: written by a newer pminterview (schema {version}); upgrade pminterview")
    if version < 1:
        raise PmError(f"{source}: schema_version {version} is not one pminterview wrote; export again")
    try:
        return Postmortem.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise PmError(f"{source}: field {where}: {first['msg'].rstrip('.')}; fix the field or export again") from None
