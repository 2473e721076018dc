"""The interview guide is data: loading, validation and follow-ups."""

from pathlib import Path

import pytest

from pminterview.errors import PmError
from pminterview.guide import QuestionKind, load_guide


def test_default_guide_covers_every_part_of_the_interview() -> None:
    guide = load_guide()
    kinds = {q.kind for q in guide.questions}
    assert kinds == set(QuestionKind)
    assert guide.questions[0].kind is QuestionKind.ROLE
    assert "blameless" in guide.purpose
    for question in guide.questions:
        assert question.prompt and question.help and question.example, question.id


def test_default_guide_asks_how_not_why() -> None:
    for question in load_guide().questions:
        assert not question.prompt.lower().startswith("why"), question.id


def test_section_of_finds_the_owning_section() -> None:
    guide = load_guide()
    assert guide.section_of("timeline").id == "knew"
    with pytest.raises(KeyError):
        guide.section_of("nope")


@pytest.mark.parametrize("answer", ["idk", "Not sure.", "nothing", "it broke"])
def test_vague_answers_get_the_gentle_follow_up(answer: str) -> None:
    assert load_guide().follow_up(answer) == load_guide().followups[0].prompt


def test_short_answers_get_a_follow_up_and_full_ones_none() -> None:
    guide = load_guide()
    assert guide.follow_up("restarted it") is not None
    assert guide.follow_up("I restarted the replica because the runbook lists it first") is None
    assert guide.follow_up("") is None


def test_a_custom_guide_with_repeated_ids_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "guide.toml"
    path.write_text(
        'title = "t"\npurpose = "p"\n'
        '[[sections]]\nid = "a"\ntitle = "A"\n'
        '[[sections.questions]]\nid = "q"\nprompt = "one"\n'
        '[[sections.questions]]\nid = "q"\nprompt = "two"\n'
    )
    with pytest.raises(PmError, match="guide.toml.*repeated: q"):
        load_guide(path)


def test_a_broken_guide_file_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "guide.toml"
    path.write_text("title = ")
    with pytest.raises(PmError, match="guide.toml: not valid TOML"):
        load_guide(path)
    with pytest.raises(PmError, match="cannot read the guide"):
        load_guide(tmp_path / "missing.toml")
