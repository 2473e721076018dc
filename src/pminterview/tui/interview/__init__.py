"""The responder's interview: one question at a time, saved as they type."""

from pminterview.tui.interview.app import InterviewApp, run
from pminterview.tui.interview.session import InterviewSession

__all__ = ["InterviewApp", "InterviewSession", "run"]
