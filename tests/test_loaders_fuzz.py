"""Random and mutated files thrown at every loader: nothing but PmError may come out.

Seeds are real files (the sample incident's accounts, the incident, a merged postmortem, the
bundled guide, a transcript), mutated at the byte level (flips, cuts, splices, junk) and at
the TOML level (values of the wrong type, deleted and unknown keys, deep nesting), plus plain
random bytes. Every loader must either load the file or raise PmError with one line.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pminterview import locations
from pminterview.errors import PmError
from pminterview.guide import load_guide
from pminterview.model import Account, Incident, Postmortem
from pminterview.workspace import Workspace, read_model, to_toml

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI failures reproduce
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _seeds() -> dict[str, bytes]:
    sample = locations.sample_incident()
    seeds = {
        "incident": (sample / "incident.toml").read_bytes(),
        "guide": resources.files("pminterview").joinpath("guides/default.toml").read_bytes(),
        "transcript": (
            b"Role: on-call SRE\n\n## Anything else\n\nI was paged at 14:02.\n\n"
            b"## Safeguards\n\n- missing: no alert on replication lag\n"
        ),
    }
    accounts = sorted((sample / "accounts").glob("*.toml"))
    for path in accounts:
        seeds[f"account {path.stem}"] = path.read_bytes()
    try:
        from pminterview.merge import merge

        loaded = [read_model(p, Account, "account") for p in accounts]
        postmortem = merge(read_model(sample / "incident.toml", Incident, "incident"), loaded)
    except ImportError:
        postmortem = Postmortem(incident=read_model(sample / "incident.toml", Incident, "incident"))
    seeds["postmortem"] = to_toml(postmortem).encode()
    return seeds


SEEDS = _seeds()

# --- mutations --------------------------------------------------------------------------------

_scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "\x1b[2J", "../../etc/passwd", "draft", "missing", "14:02", "a" * 300]),
    st.datetimes(timezones=st.none() | st.just(dt.timezone.utc)),
    st.dates(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(data: object, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


@st.composite
def toml_mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed parsed, one to three keys changed, deleted or added, written back."""
    data = tomllib.loads(seed.decode())
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add", "nest"]))
        if action == "replace":
            parent[path[-1]] = draw(_values)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(_values)
        elif action == "nest":
            value: object = draw(_scalars)
            for _ in range(draw(st.integers(1, 60))):
                value = [value]
            parent[path[-1]] = value
    try:
        return tomli_w.dumps(data).encode()
    except (TypeError, ValueError):
        return seed  # tomli_w cannot write every value hypothesis makes (e.g. NaN in keys)


@st.composite
def byte_mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with bytes flipped, cut, spliced or repeated."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "repeat"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20) | st.sampled_from([b"\x00", b"\x1b[2J", b"\xff\xfe", b"[[", b'"""', b"\\u0000"]))
        elif action == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + 200] * draw(st.integers(2, 5))
    return bytes(data)


def _mutations(seed: bytes) -> st.SearchStrategy[bytes]:
    try:
        tomllib.loads(seed.decode())
    except tomllib.TOMLDecodeError:
        return byte_mutations(seed)  # not TOML (a transcript): bytes only
    return st.one_of(toml_mutations(seed), byte_mutations(seed))


def files(*names: str) -> st.SearchStrategy[bytes]:
    """Mutations of the named seeds, or plain random bytes."""
    seeds = [SEEDS[n] for n in names]
    mutated = st.sampled_from(seeds).flatmap(_mutations)
    return st.one_of(mutated, mutated, st.binary(max_size=300), st.text(max_size=200).map(str.encode))


# --- the loaders --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="pmi-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _only_pm_error(load: Callable[[], object]) -> None:
    try:
        load()
    except PmError as err:
        assert "\n" not in str(err)


ACCOUNT_SEEDS = [n for n in SEEDS if n.startswith("account")]


@FUZZ
@given(content=files(*ACCOUNT_SEEDS))
def test_reading_an_account_raises_only_pm_error(scratch: Path, content: bytes) -> None:
    path = scratch / "account.toml"
    path.write_bytes(content)
    _only_pm_error(lambda: read_model(path, Account, "account"))


@FUZZ
@given(content=files("incident"))
def test_reading_an_incident_raises_only_pm_error(scratch: Path, content: bytes) -> None:
    path = scratch / "incident.toml"
    path.write_bytes(content)
    _only_pm_error(lambda: read_model(path, Incident, "incident"))


@FUZZ
@given(content=files("postmortem"))
def test_reading_a_postmortem_raises_only_pm_error(scratch: Path, content: bytes) -> None:
    path = scratch / "postmortem.toml"
    path.write_bytes(content)
    _only_pm_error(lambda: read_model(path, Postmortem, "postmortem"))


@pytest.fixture(scope="module")
def fuzz_workspace(scratch: Path) -> Workspace:
    return Workspace.create(scratch / "incident", "Fuzzed")


@FUZZ
@given(content=files(*ACCOUNT_SEEDS))
def test_a_bad_account_never_takes_the_workspace_down(fuzz_workspace: Workspace, content: bytes) -> None:
    path = fuzz_workspace.root / "accounts" / "dana.toml"
    path.write_bytes(content)
    entries = fuzz_workspace.accounts()  # must not raise
    assert [e.participant for e in entries] == ["dana"]
    (entry,) = entries
    assert (entry.account is None) != (entry.error is None)
    if entry.error is not None:
        # ...and the bad file is never replaced by a save.
        with pytest.raises(PmError):
            fuzz_workspace.save_account(Account(participant="dana"))
        assert path.read_bytes() == content


@FUZZ
@given(content=files("guide"))
def test_loading_a_guide_raises_only_pm_error(scratch: Path, content: bytes) -> None:
    path = scratch / "guide.toml"
    path.write_bytes(content)
    _only_pm_error(lambda: load_guide(path))


@FUZZ
@given(content=files("transcript", "guide"))
def test_parsing_a_transcript_raises_only_pm_error(content: bytes) -> None:
    try:
        transcript = importlib.import_module("pminterview.transcript")
    except ImportError:
        pytest.skip("pminterview.transcript is not in this tree yet")
    incident = Incident(id="fuzz", title="Fuzzed", started=dt.datetime(2026, 11, 27, 14, tzinfo=dt.timezone.utc))
    text = content.decode("utf-8", "replace")
    _only_pm_error(lambda: transcript.parse_transcript(text, "dana", "", load_guide(), incident, source="t.md"))


@FUZZ
@given(content=files("postmortem"))
def test_reading_an_exported_postmortem_raises_only_pm_error(content: bytes) -> None:
    try:
        from_toml = importlib.import_module("pminterview.export").from_toml
    except (ImportError, AttributeError):
        pytest.skip("pminterview.export.from_toml is not in this tree yet")
    text = content.decode("utf-8", "replace")
    _only_pm_error(lambda: from_toml(text, "export.toml"))


def test_the_seeds_themselves_load() -> None:
    """The mutations start from real, valid files; otherwise the fuzzing proves little."""
    with tempfile.TemporaryDirectory() as folder:
        for name in ACCOUNT_SEEDS:
            path = Path(folder) / "a.toml"
            path.write_bytes(SEEDS[name])
            assert read_model(path, Account, "account")
        path = Path(folder) / "p.toml"
        path.write_bytes(SEEDS["postmortem"])
        assert read_model(path, Postmortem, "postmortem")
        path.write_bytes(SEEDS["guide"])
        assert load_guide(path).questions


DEEP = [b"a = " + b"[" * 20_000, b"a = " + b"{b = " * 20_000, b"[" * 20_000]


@pytest.mark.parametrize("content", DEEP, ids=["arrays", "inline tables", "table header"])
def test_nesting_deeper_than_the_parser_can_follow_is_a_pm_error(scratch: Path, content: bytes) -> None:
    # tomllib recurses per level; hypothesis rarely builds thousands of levels, so ask directly.
    path = scratch / "deep.toml"
    path.write_bytes(content)
    for model in (Account, Incident, Postmortem):
        with pytest.raises(PmError):
            read_model(path, model, "file")
    with pytest.raises(PmError):
        load_guide(path)


@pytest.mark.parametrize("content", DEEP, ids=["arrays", "inline tables", "table header"])
def test_nesting_too_deep_in_an_exported_postmortem(content: bytes) -> None:
    from pminterview.export import from_toml

    with pytest.raises(PmError, match="export.toml"):
        from_toml(content.decode(), "export.toml")
