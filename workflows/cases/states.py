"""The case workflow, declared as data: which action moves a case from which states to which,
who may take it, and what it needs. `workflows.transitions` is the only code that applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN_STATES = frozenset({"received", "triaged", "assigned", "in_progress", "waiting"})
CLOSED_STATES = frozenset({"resolved", "rejected", "closed"})
# States in which a case's outcome stands and may be shown to its reporter.
SETTLED_STATES = frozenset({"resolved", "closed"})
OUTCOMES = ("violation_confirmed", "not_confirmed", "referred", "insufficient_information")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (a transfer or an extension)
    roles: frozenset[str]
    # reason, agency, assignee, outcome, due_date, duplicate_of, support (agency + task)
    needs: frozenset[str] = frozenset()
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
    _t("mark_duplicate", {"received", "triaged", "assigned"}, "rejected", {"officer"},
       {"duplicate_of", "reason"}, "Gộp vào phản ánh trùng", "Join to a duplicate case"),
    _t("add_support", set(OPEN_STATES), None, {"officer", "lead"}, {"support"},
       "Mời cơ quan phối hợp", "Add a supporting agency"),
)
BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def allowed_actions(status: str, role: str) -> list[Transition]:
    """What this role may do to a case in this status: the only buttons the page shows."""
    return [t for t in TRANSITIONS if status in t.sources and role in t.roles]


# A supporting agency's own task on a case (states in catalog.SUPPORT_STATUSES), with its own
# small workflow. Only the supporting agency's staff take these; `workflows.supports` applies them.
SUPPORT_TRANSITIONS: tuple[Transition, ...] = (
    _t("support_assign", {"open"}, "open", {"lead"}, {"assignee"},
       "Giao cán bộ phối hợp", "Assign an inspector"),
    _t("support_done", {"open"}, "done", {"lead", "inspector"}, {"report"},
       "Báo cáo hoàn thành phối hợp", "Report the task done"),
    _t("support_reopen", {"done"}, "open", {"lead"}, {"reason"},
       "Mở lại nhiệm vụ phối hợp", "Reopen the task"),
)
SUPPORT_BY_ACTION = {transition.action: transition for transition in SUPPORT_TRANSITIONS}


def allowed_support_actions(status: str, role: str) -> list[Transition]:
    return [t for t in SUPPORT_TRANSITIONS if status in t.sources and role in t.roles]
