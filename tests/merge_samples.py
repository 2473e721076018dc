"""The bundled sample incident as fixtures for the merge and export tests."""

from __future__ import annotations

import pytest

from pminterview import locations
from pminterview.model import Account, Incident
from pminterview.workspace import Workspace


def sample_workspace() -> Workspace:
    return Workspace(locations.sample_incident())


@pytest.fixture
def sample_incident() -> Incident:
    return sample_workspace().incident()


@pytest.fixture
def sample_accounts() -> list[Account]:
    entries = sample_workspace().accounts()
    assert all(entry.account is not None for entry in entries), [entry.error for entry in entries]
    return [entry.account for entry in entries]
