"""Blame-language lint for postmortems: a pure function from text to findings.

    >>> from pminterview.lint import lint_text
    >>> [f.category for f in lint_text("The engineer failed to check the host.")]
    ['counterfactual']
    >>> lint_text("The health check failed to detect the fault.")
    []

Seven categories (`CATEGORIES`): counterfactual, normative, human-error, root-cause,
hindsight, proximal and vigilance. Each `Finding` carries its category, its span (line,
column, offset, length), a one-line message and a reframing suggestion.

- `lint_text(text, *, names=(), roles=(), select=None, ignore=None)`: the engine.
- `prose_fields(record)` and `lint_fields(pairs, ...)`: lint an account or postmortem field by
  field (``answers.actions.text``, ``actions[0].title``).
- `command.run_lint_command(...)`: ``pminterview lint``.
- `evaluate.evaluate(corpus_path)`: recall and false-positive rate on a labelled corpus
  (``tests/lint_corpus.toml``), and `evaluate.evaluate_all` for every labelled set.

The engine is pure: its only I/O is reading ``rules.toml`` once, on first use.

How person-directed sentences are told from system-directed ones
------------------------------------------------------------------
A word list cannot do it: "failed to" is blame after "the engineer" and good analysis after
"the health check". Every rule in ``rules.toml`` is a trigger pattern plus conditions; the
engine finds the grammatical subject (or object) of the trigger with light heuristics
(`grammar`): skip adverbs and auxiliaries, take the noun phrase before the trigger, follow
prepositions ("the alert *for the on-call*") and relative clauses ("the engineer *who
restarted the service*") to the real head, and classify the head as a person (pronouns,
participant names and roles, person nouns such as engineer/operator/on-call), a system
(check, alert, limit, deploy, pipeline, config, code spans, ...) or unknown. A rule can also
require a human action verb ("failed to *notice*" vs "failed to *start*"), a past participle
("should have *checked*" vs "should have *a runbook*"), a person object ("retrain *the
engineer*" vs "retrain *the model*"), an imperative or modal for action items ("*must*
double-check" vs "I double-checked"), and can be silenced by negation ("*not* obvious",
"*rather than* human error"). Counterfactuals whose condition is a system ("if *the alert*
had fired, we would have ...") stay quiet.

Markdown is understood: code spans and fenced or indented code blocks, HTML comments and link
targets are ignored; headings, list items and quotes are separate sentences.

Opting out
----------
Put a marker on the line to silence it (an HTML comment is invisible when rendered)::

    "He should have known", one reviewer wrote. <!-- pminterview: ignore -->
    It was obviously the cache. <!-- pminterview: ignore[hindsight] -->
    <!-- pminterview: ignore-next-line -->
    The root cause field is kept for the tracker's sake.

``ignore`` silences every category on its line, ``ignore[cat,cat]`` only those categories,
and ``ignore-next-line`` (optionally with ``[cats]``) applies to the following line. The
marker works in any text, including TOML string values.
"""

from .engine import Finding, check_categories, lint_text
from .fields import FieldFinding, lint_fields, prose_fields
from .rules import CATEGORIES, Rule, load_rules

__all__ = [
    "CATEGORIES",
    "FieldFinding",
    "Finding",
    "Rule",
    "check_categories",
    "lint_fields",
    "lint_text",
    "load_rules",
    "prose_fields",
]
