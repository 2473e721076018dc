"""The lint engine: spans, Markdown, contractions, people, filters and opt-out markers."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pminterview.lint import CATEGORIES, Finding, lint_fields, lint_text


def categories(text: str, **kwargs) -> list[str]:
    return [f.category for f in lint_text(text, **kwargs)]


def test_categories_are_the_documented_ids_in_order() -> None:
    assert CATEGORIES == (
        "counterfactual", "normative", "human-error", "root-cause", "hindsight", "proximal", "vigilance",
    )


def test_finding_is_frozen_and_hashable() -> None:
    finding = lint_text("The engineer failed to check the host.")[0]
    assert isinstance(finding, Finding)
    assert hash(finding) == hash(dataclasses.replace(finding))
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 3  # type: ignore[misc]


def test_span_points_at_the_trigger_in_characters() -> None:
    text = "# Notes\n\nAt 14:02 the engineer failed to check the host.\n"
    (finding,) = lint_text(text)
    assert finding.rule_id == "failed-to"
    assert (finding.line, finding.column) == (3, 23)
    assert text[finding.offset : finding.offset + finding.length] == finding.excerpt == "failed to check"
    assert finding.message and finding.suggestion


def test_columns_count_characters_not_bytes() -> None:
    text = "Ünïcødé ☃ — the engineer failed to check."
    (finding,) = lint_text(text)
    assert finding.column == text.index("failed") + 1


def test_person_and_system_subjects_are_told_apart() -> None:
    assert categories("The engineer failed to check the host.") == ["counterfactual"]
    assert categories("The health check failed to detect the fault.") == []
    assert categories("A limit that would have helped had been removed.") == []
    assert categories("The deploy failed.") == []
    assert categories("The alert for the on-call failed to fire.") == []
    assert categories("The engineer who restarted the service failed to check the logs.") == ["counterfactual"]


@pytest.mark.parametrize(
    "text",
    [
        "We should've rolled back.",
        "We should’ve rolled back.",  # typographic apostrophe
        "She shouldn't have restarted it.",
        "She shouldn’t have restarted it.",
        "He should not have restarted it.",
        "They could've asked the DBA.",
        "He forgot to drain the node.",
        "The operator had forgotten the flag.",
        "He didn't bother to read it.",
        "She neglected to update the runbook.",
        "They ought to have known.",
        "If only we had waited.",
    ],
)
def test_inflections_and_contractions(text: str) -> None:
    assert "counterfactual" in categories(text)


def test_code_spans_and_blocks_are_ignored() -> None:
    text = (
        "Ran `should have been obvious` as a test string.\n\n"
        "```\nthe engineer failed to check; human error\n```\n\n"
        "~~~text\nroot cause: careless\n~~~\n\n"
        "    indented code: the operator forgot to check\n"
    )
    assert lint_text(text) == []


def test_a_code_span_subject_counts_as_a_system() -> None:
    assert lint_text("`deploy.sh` failed to release the lock.") == []


def test_markdown_markers_and_blocks() -> None:
    text = (
        "## Root cause\n"
        "> The engineer should have checked.\n"
        "- [ ] Remind engineers to check the region\n"
        "1. Make sure the pipeline checks the schema\n"
        "| Step | The on-call failed to notice the alert |\n"
    )
    found = [(f.line, f.category) for f in lint_text(text)]
    assert (1, "root-cause") in found
    assert (2, "counterfactual") in found
    assert (3, "vigilance") in found
    assert not any(line == 4 for line, _ in found)
    assert (5, "counterfactual") in found


def test_a_list_item_does_not_run_into_the_next_one() -> None:
    # Without the item break, "the pipeline" would become the subject of "double-check".
    text = "- Update the pipeline\n- Double-check the region before deploying\n"
    assert categories(text) == ["vigilance"]


def test_link_targets_and_html_are_ignored() -> None:
    text = "See [the notes](https://example.com/human-error/root-cause) and <span title='careless'>x</span>."
    assert lint_text(text) == []


def test_names_and_roles_make_a_subject_a_person() -> None:
    text = "Bolt failed to renew the lease."
    # Unknown capitalised word plus a non-human verb: not enough to call it a person.
    assert lint_text(text) == []
    assert categories(text, names=["Bolt"]) == ["counterfactual"]
    assert categories("The primary failed to notify the team.", roles=["primary"]) == ["counterfactual"]
    # A participant's first name is enough once the full name is known.
    assert categories("Priya failed to renew the lease.", names=["Priya Shah"]) == ["counterfactual"]


def test_select_and_ignore() -> None:
    text = "Obviously the engineer failed to check. The root cause was the config."
    assert set(categories(text)) == {"hindsight", "counterfactual", "root-cause"}
    assert categories(text, select=["root-cause"]) == ["root-cause"]
    assert set(categories(text, ignore=["hindsight", "root-cause"])) == {"counterfactual"}
    assert categories(text, select="hindsight,root-cause") == ["hindsight", "root-cause"]
    with pytest.raises(ValueError, match="unknown category 'blame'"):
        lint_text(text, select=["blame"])


def test_opt_out_markers() -> None:
    assert lint_text("He should have known. <!-- pminterview: ignore -->") == []
    partly = "Obviously he should have known. <!-- pminterview: ignore[hindsight] -->"
    assert categories(partly) == ["counterfactual"]
    next_line = "<!-- pminterview: ignore-next-line -->\nHe should have known.\nShe should have known."
    assert [f.line for f in lint_text(next_line)] == [3]
    assert lint_text("He should have known. # pminterview: ignore[counterfactual, hindsight]") == []


def test_negated_and_meta_mentions_stay_quiet() -> None:
    for text in (
        "There was no single root cause.",
        "Human error is a starting point, not a conclusion.",
        "It was not obvious which cluster was primary.",
        "Nobody was careless.",
    ):
        assert lint_text(text) == [], text


def test_overlapping_findings_of_one_category_are_merged() -> None:
    found = lint_text("It was a careless mistake.")
    assert [f.category for f in found] == ["normative"]


def test_a_finding_inside_another_is_dropped_unless_the_outer_is_filtered() -> None:
    text = "The operator simply ignored the warning."
    assert [(f.category, f.excerpt) for f in lint_text(text)] == [("hindsight", "simply ignored")]
    assert [(f.category, f.excerpt) for f in lint_text(text, ignore=["hindsight"])] == [("counterfactual", "ignored")]


def test_lint_fields_reports_field_paths() -> None:
    results = lint_fields([("summary", "Fine."), ("actions[0].title", "Be more careful with deletes")])
    assert [(r.field, r.finding.category) for r in results] == [("actions[0].title", "vigilance")]


def test_empty_and_whitespace_text() -> None:
    assert lint_text("") == []
    assert lint_text("   \n\n\t") == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_gives_consistent_spans(text: str) -> None:
    for finding in lint_text(text):
        assert text[finding.offset : finding.offset + finding.length] == finding.excerpt
        assert finding.length > 0
        line_start = text.rfind("\n", 0, finding.offset) + 1
        assert finding.column == finding.offset - line_start + 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "The engineer ", "failed to check ", "should have ", "`code` ", "\n\n", "- ", "# ", "> ",
    "```\n", "obviously ", "root cause ", "human error ", "<!-- ", " -->", "’", "If only we had ",
    "Double-check ", "|", "\n", "Sam's fault ", "had the alert fired ",
]), max_size=40))
def test_markdown_fragments_never_break_the_engine(parts: list[str]) -> None:
    text = "".join(parts)
    for finding in lint_text(text):
        assert text[finding.offset : finding.offset + finding.length] == finding.excerpt


def test_lint_imports_without_textual() -> None:
    code = "import sys, pminterview.lint, pminterview.lint.command; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_run_on_text_is_cut_into_bounded_sentences() -> None:
    from pminterview.lint.markdown import MAX_SENTENCE, prepare

    text = "he should have checked and she failed to notice and " * 400
    prepared = prepare(text)
    assert all(end - start <= MAX_SENTENCE for start, end, _ in prepared.sentences)
    assert prepared.sentences[0][0] == 0 and prepared.sentences[-1][1] == len(text)
    # Every piece is still linted.
    assert len(lint_text(text)) > 400


def test_triggers_need_a_word_boundary() -> None:
    # Leading \b is checked by the engine, not the regex; a match inside a word is retried.
    (finding,) = lint_text("Metadata root cause: the disk filled.")
    assert finding.excerpt == "root cause"
    assert lint_text("The unforgotten lesson from last year helped.") == []
    assert [f.excerpt for f in lint_text("Unforgotten, he forgot to drain it.")] == ["forgot"]


@pytest.mark.parametrize(
    "text",
    [
        "The on\u2011call engineer failed to check the host.",  # non-breaking hyphen
        "The engineer should\u00a0have\u00a0checked the host.",  # no-break spaces
        "The engineer shouldn\u02bct have restarted it.",  # modifier-letter apostrophe
        "İT WAS THE ENGINEER'S FAULT.",  # a capital whose lowercase is two characters
    ],
)
def test_typography_and_non_ascii_case_are_folded(text: str) -> None:
    (finding,) = lint_text(text)
    assert text[finding.offset : finding.offset + finding.length] == finding.excerpt


def test_names_in_any_script_are_one_word() -> None:
    from pminterview.lint.grammar import tokenize

    assert [t.text for t in tokenize("Zoë and Müller's script")] == ["Zoë", "and", "Müller's", "script"]
    assert categories("Søren's mistake took the site down.") == ["human-error"]


@pytest.mark.parametrize(
    "text",
    [
        "The alerts were noisy, and they failed to distinguish the real outage.",
        "The pods restarted, but they failed to pass their readiness checks.",
        "We restarted the pods, but they failed to pass the checks.",
        "The retries kept coming. They failed to back off.",
    ],
)
def test_they_refers_to_things_as_well_as_people_quiet(text: str) -> None:
    assert lint_text(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The engineers restarted the pods, but they failed to check the logs.",
        "The on-call engineers were busy. They failed to notice the alert.",
        "They failed to check the host.",
    ],
)
def test_they_refers_to_people_fires(text: str) -> None:
    assert categories(text) == ["counterfactual"]


def test_operator_after_a_product_name_is_software() -> None:
    assert lint_text("The Strimzi operator failed to roll the brokers.") == []
    assert lint_text("The `mysql` operator ignored the annotation.") == []
    assert lint_text("The external-dns operator failed to create the record.") == []
    assert categories("The operator failed to check the host.") == ["counterfactual"]
    assert categories("The on-call operator ignored the disk alert.") == ["counterfactual"]


def test_short_quoted_phrases_are_mentions_longer_quotes_are_speech() -> None:
    assert lint_text('The flag is documented as "obviously dangerous" in the help.') == []
    assert lint_text('The form still has a "Root Cause" field.') == []
    assert categories('He said "you should have checked the host first" in the channel.') == ["counterfactual"]


def test_abstract_nouns_are_not_people() -> None:
    assert lint_text("The assessment did not consider the replica lag.") == []
    assert categories("The assessor did not consider the replica lag.") == ["counterfactual"]


def test_single_quoted_phrases_are_mentions_but_apostrophes_are_not_quotes() -> None:
    assert lint_text("The runbook says to 'be careful' with the purge command.") == []
    assert categories("The engineers' mistake took the site down.") == ["human-error"]


def test_quoted_program_output_is_a_mention_at_any_length() -> None:
    assert categories("The error message read 'permission denied: you should have run this as root'.") == []
    assert categories('The CLI printed "you should have checked the region before applying".') == []
    # The same words as someone's own speech are still linted.
    assert "counterfactual" in categories("She said 'the engineer should have checked the region first'.")


def test_a_negated_verb_earlier_in_the_clause_governs_the_trigger() -> None:
    assert categories("The review did not attempt to find a single root cause.") == []
    # ... but not across a comma and "and", and "without" does not reach that far.
    assert "root-cause" in categories("The engineer did not page anyone, and the root cause was the config.")
    assert "normative" in categories("Running that script without a dry run was irresponsible.")


def test_a_subordinate_clause_has_its_own_subject() -> None:
    assert "proximal" in categories("The outage began when John ran the script against the wrong cluster.")
    assert "proximal" in categories("When the alert fired, Bob ran the script against the wrong cluster.")
    assert categories("The outage began because the job ran against the wrong cluster.") == []


def test_a_gerund_after_by_takes_the_doer_of_its_clause() -> None:
    assert "vigilance" in categories("This should be avoided in the future by being more careful.")
    assert "vigilance" in categories("Prevent this by being more careful.")
    assert categories("The cache avoids this by being aware of the TTL.") == []
    assert categories("I got through it by paying attention to the logs.") == []


def test_the_object_ends_before_a_clause() -> None:
    # "by the developer meant that ...": the object is the developer, not "that".
    assert "human-error" in categories("An oversight by the developer meant that the flag was on.")


def test_a_compound_subject_is_named_by_its_last_noun() -> None:
    # "release manager" is a person although "release" alone is a system noun.
    assert "proximal" in categories("The release manager approved the deploy despite the failing checks.")
    assert categories("The deploy pipeline continued despite the failing checks.") == []
