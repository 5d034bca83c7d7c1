"""The case workflow, declared as data: which action moves a case from which states to which,
who may take it, and what it needs. `workflows.transitions` is the only code that applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN_STATES = frozenset({"received", "triaged", "assigned", "in_progress", "waiting"})
CLOSED_STATES = frozenset({"resolved", "rejected", "closed"})
OUTCOMES = ("violation_confirmed", "not_confirmed", "referred", "insufficient_information")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (a transfer or an extension)
    roles: frozenset[str]
    needs: frozenset[str] = frozenset()  # reason, agency, assignee, outcome, due_date
    label_vi: str = ""
    label_en: str = ""

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_vi


def _t(action: str, sources: set[str], target: str | None, roles: set[str], needs: set[str],
       vi: str, en: str) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), frozenset(needs), vi, en)


TRANSITIONS: tuple[Transition, ...] = (
    _t("triage", {"received"}, "triaged", {"officer"}, {"agency"},
       "Phân loại, chuyển cơ quan", "Triage to an agency"),
    _t("assign", {"received", "triaged", "assigned", "in_progress"}, "assigned",
       {"officer", "lead"}, {"assignee"}, "Giao cán bộ xử lý", "Assign an inspector"),
    _t("start", {"assigned"}, "in_progress", {"lead", "inspector"}, set(),
       "Bắt đầu xử lý", "Start work"),
    _t("wait", {"in_progress"}, "waiting", {"lead", "inspector"}, {"reason"},
       "Chờ bổ sung (tạm dừng thời hạn)", "Wait for information (pauses the clock)"),
    _t("resume", {"waiting"}, "in_progress", {"lead", "inspector"}, set(),
       "Tiếp tục xử lý", "Resume work"),
    _t("resolve", {"in_progress", "waiting"}, "resolved", {"lead", "inspector"}, {"outcome"},
       "Kết thúc xử lý", "Resolve"),
    _t("reject", {"received", "triaged", "assigned"}, "rejected", {"officer", "lead"}, {"reason"},
       "Không thụ lý (tin rác, ngoài phạm vi, trùng)", "Reject (spam, out of scope, duplicate)"),
    _t("close", {"resolved", "rejected"}, "closed", {"officer", "lead"}, set(),
       "Đóng hồ sơ", "Close"),
    _t("reopen", {"resolved", "rejected", "closed"}, "in_progress", {"officer", "lead"},
       {"reason"}, "Mở lại", "Reopen"),
    _t("transfer", {"received", "triaged", "assigned", "in_progress", "waiting"}, "triaged",
       {"officer", "lead"}, {"agency", "reason"}, "Chuyển cơ quan khác", "Transfer to another agency"),
    _t("extend", set(OPEN_STATES), None, {"officer", "lead"}, {"due_date", "reason"},
       "Gia hạn xử lý", "Extend the due date"),
)
BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def allowed_actions(status: str, role: str) -> list[Transition]:
    """What this role may do to a case in this status: the only buttons the page shows."""
    return [t for t in TRANSITIONS if status in t.sources and role in t.roles]
