"""A later merge keeps the facilitator's work: nothing they wrote is thrown away."""

from __future__ import annotations

import datetime as dt

from pminterview.export.readiness import readiness
from pminterview.merge import _keep_notes, merge
from pminterview.model import (
    Account,
    AccountStatus,
    Action,
    ActionStatus,
    ContributingFactor,
    DifferingAccount,
    Perspective,
    Safeguard,
    Suggestion,
)
from pminterview.workspace import to_toml

from merge_samples import sample_accounts, sample_incident  # noqa: F401  (fixtures)

TODAY = dt.date(2026, 12, 1)


def sre(*extra_safeguards: Safeguard) -> Account:
    return Account(
        participant="ana",
        role="on-call SRE",
        status=AccountStatus.SUBMITTED,
        safeguards=[Safeguard(kind="missing", description="No alert on connection pool saturation"), *extra_safeguards],
        suggestions=[Suggestion(text="Alert on connection pool saturation above 90%")],
    )


def test_re_merge_without_changes_gives_the_same_draft(sample_incident, sample_accounts) -> None:
    first = merge(sample_incident, sample_accounts, today=TODAY)
    second = merge(sample_incident, sample_accounts, first, today=TODAY)
    assert to_toml(second) == to_toml(first)


def test_action_fields_set_by_the_facilitator_survive(sample_incident, sample_accounts) -> None:
    first = merge(sample_incident, sample_accounts, today=TODAY)
    action = first.actions[0]
    action.owner = "payments team"
    action.due = dt.date(2026, 12, 15)
    action.status = ActionStatus.IN_PROGRESS
    action.tracker = "https://tracker.example/PAY-12"
    action.priority = "low"
    second = merge(sample_incident, sample_accounts, first, today=dt.date(2027, 1, 1))
    kept = next(a for a in second.actions if a.id == action.id)
    assert (kept.owner, kept.due, kept.status, kept.tracker, kept.priority) == (
        "payments team",
        dt.date(2026, 12, 15),
        ActionStatus.IN_PROGRESS,
        "https://tracker.example/PAY-12",
        "low",
    )
    assert kept.created == TODAY  # the day it was first drafted, not the day of the re-merge


def test_edited_factor_and_action_text_survive_and_new_material_is_added() -> None:
    from pminterview.model import Incident

    incident = Incident(id="x", title="Pool")
    first = merge(incident, [sre()], today=TODAY)
    factor = first.factors[0]
    factor.title, factor.edited = "Pool exhaustion was invisible until checkout failed", True
    first.actions[0].title, first.actions[0].edited = "Page the payments owner at 90% pool use", True

    # The account gains a new safeguard and a second person joins with the same one.
    owner = Account(
        participant="bo",
        role="payments owner",
        status=AccountStatus.SUBMITTED,
        safeguards=[Safeguard(kind="missing", description="Nothing alerted when the connection pool was saturated")],
    )
    second = merge(incident, [sre(Safeguard(kind="failed", description="The error-rate alert fired late")), owner], first, today=TODAY)

    edited = next(f for f in second.factors if f.id == factor.id)
    assert edited.title == "Pool exhaustion was invisible until checkout failed" and edited.edited
    assert edited.raised_by == ["on-call SRE", "payments owner"]  # attributions follow the accounts
    assert any(f.title == "The error-rate alert fired late" for f in second.factors)
    assert any(a.title == "Page the payments owner at 90% pool use" for a in second.actions)
    assert any("error-rate alert fired late" in a.title for a in second.actions)


def test_the_facilitators_own_items_and_narrative_are_kept(sample_incident, sample_accounts) -> None:
    first = merge(sample_incident, sample_accounts, today=TODAY)
    first.factors.append(ContributingFactor(id="cf-own", title="Friday afternoon rollouts are routine", edited=True))
    first.actions.append(Action(id="a-own", title="Review rollout timing policy", owner="release team", edited=True))
    first.narrative, first.narrative_edited = "Our own words.", True
    first.went_well, first.went_well_edited = ["The incident channel worked well."], True
    first.supporting_material = ["Grafana snapshot: https://grafana.example/d/pool"]
    first.summary = "A config rename shrank the payments connection pool."
    second = merge(sample_incident, sample_accounts, first, today=TODAY)
    assert second.factors[-1].id == "cf-own"
    assert second.actions[-1].id == "a-own" and second.actions[-1].owner == "release team"
    assert second.narrative == "Our own words." and second.narrative_edited
    assert second.went_well == ["The incident channel worked well."]
    assert second.supporting_material == ["Grafana snapshot: https://grafana.example/d/pool"]
    assert second.summary == "A config rename shrank the payments connection pool."


def test_an_action_with_an_owner_stays_when_its_source_is_withdrawn() -> None:
    from pminterview.model import Incident

    incident = Incident(id="x", title="Pool")
    first = merge(incident, [sre()], today=TODAY)
    first.actions[0].owner = "payments team"
    withdrawn = Account(participant="ana", role="on-call SRE", status=AccountStatus.SUBMITTED)
    second = merge(incident, [withdrawn], first, today=TODAY)
    assert [a.owner for a in second.actions] == ["payments team"]
    assert second.factors == []  # unedited, and its material is gone


def test_ids_are_derived_from_content_not_position(sample_incident, sample_accounts) -> None:
    alone = merge(sample_incident, sample_accounts[:1])
    together = merge(sample_incident, sample_accounts)
    assert {f.id for f in alone.factors} <= {f.id for f in together.factors}


def test_done_actions_get_their_completion_date() -> None:
    from pminterview.model import Incident

    incident = Incident(id="x", title="Pool")
    first = merge(incident, [sre()], today=TODAY)
    first.actions[0].status = ActionStatus.DONE
    second = merge(incident, [sre()], first, today=dt.date(2026, 12, 20))
    assert second.actions[0].completed == dt.date(2026, 12, 20)


def test_an_edited_narrative_names_the_accounts_merged_after_it(sample_incident, sample_accounts) -> None:
    first = merge(sample_incident, sample_accounts[:-1], today=TODAY)
    assert first.narrative_roles == first.roles
    first.narrative, first.narrative_edited = "Our own words about what happened.", True
    second = merge(sample_incident, sample_accounts, first, today=TODAY)
    assert second.narrative == "Our own words about what happened."
    newcomer = next(role for role in second.roles if role not in first.roles)
    assert second.narrative_roles == first.roles
    stale = [reason for reason in readiness(second, sample_accounts) if "narrative was last edited before" in reason]
    assert len(stale) == 1 and newcomer in stale[0]
    # Editing the narrative with every account merged (the screen records that) satisfies it.
    second.narrative_roles = list(second.roles)
    assert not [reason for reason in readiness(second, sample_accounts) if "narrative was last edited before" in reason]


def test_an_emptied_narrative_is_drafted_again_from_the_accounts(sample_incident, sample_accounts) -> None:
    first = merge(sample_incident, sample_accounts, today=TODAY)
    first.narrative, first.narrative_edited = "  \n", True
    second = merge(sample_incident, sample_accounts, first, today=TODAY)
    assert not second.narrative_edited
    assert second.narrative == merge(sample_incident, sample_accounts, today=TODAY).narrative


def test_notes_on_two_disagreements_about_the_same_topic_stay_with_their_own() -> None:
    def disagreement(times: tuple[str, str], note: str = "") -> DifferingAccount:
        versions = [Perspective(role="on-call SRE", time=times[0]), Perspective(role="database owner", time=times[1])]
        return DifferingAccount(topic="the replica restart", versions=versions, note=note)

    earlier = [disagreement(("14:40", "14:55"), "14:40 matches the logs"), disagreement(("15:30", "15:10"), "a second restart")]
    fresh = [disagreement(("14:40", "14:55")), disagreement(("15:30", "15:10"))]
    _keep_notes(fresh, earlier)
    assert [d.note for d in fresh] == ["14:40 matches the logs", "a second restart"]
    # A lone disagreement keeps its note by topic even when a time in it was corrected.
    corrected = [disagreement(("14:41", "14:55"))]
    _keep_notes(corrected, earlier[:1])
    assert corrected[0].note == "14:40 matches the logs"
