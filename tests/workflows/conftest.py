"""People of every role and a shortcut to take an action as one of them."""

from __future__ import annotations

import pytest

from tests.helpers import REPORTER, VALID_REPORT, post_report
from workflows.access.accounts import create_user
from workflows.cases.models import Case
from workflows.cases.transitions import ActionRequest, take_action

PASSWORD = "mật-khẩu-đủ-dài-1"
AGENCIES = {"qltt", "khcn", "bvntd"}


@pytest.fixture
async def people(app):
    made = {}
    for key, (role, agency) in {"officer": ("officer", None), "lead": ("lead", "qltt"),
                                "inspector": ("inspector", "qltt"),
                                "other_inspector": ("inspector", "qltt"),
                                "khcn_lead": ("lead", "khcn"),
                                "khcn_inspector": ("inspector", "khcn"),
                                "bvntd_lead": ("lead", "bvntd"),
                                "analyst": ("analyst", None)}.items():
        made[key] = await create_user(f"{key}@tinh.gov.vn", PASSWORD, role, agency, AGENCIES)
    return made


@pytest.fixture
def act(app):
    """Take an action on the case as it is now in the database (its current version unless
    `version=` is given)."""
    context = app.state.intake

    async def act(case: Case, user, action: str, **fields) -> Case:
        fresh = await Case.get(id=case.id)
        version = fields.pop("version", fresh.version)
        return await take_action(fresh, user, ActionRequest(action, version, as_form(fields)),
                                 context.reference, context.events)
    return act


def as_form(fields: dict) -> dict[str, str]:
    """Values as a browser posts them: dates as YYYY-MM-DD, numbers as digits."""
    return {name: value.isoformat() if hasattr(value, "isoformat") else str(value)
            for name, value in fields.items() if value is not None}


async def triage_case(client) -> Case:
    """A report no rule routes (food safety of goods of another kind): it waits for an
    officer."""
    await post_report(client, {**VALID_REPORT, **REPORTER, "category": "food_safety",
                               "product_group": "other"})
    return await Case.get()
