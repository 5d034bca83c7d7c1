"""A case in the back office: every field, the actions the user may take, the timeline."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from intake.backoffice.auth import staff_only
from intake.context import app_context, translator
from intake.encrypted import decrypt
from intake.public.cookies import forget, one_time_pin
from intake.requester import client_address
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import CASE_ROLES, READ_ROLES, sees_personal_data
from workflows.access.visibility import viewed_case
from workflows.cases.models import Case
from workflows.cases.staff_view import CaseWork, case_view, case_work, why_no_action
from workflows.cases.states import action_label
from workflows.cases.tracking import normalize_tracking_code
from workflows.i18n.messages import N_, Errors
from workflows.reference import catalog

# The PIN of a case an officer filed for a caller: shown once, on the next page only.
STAFF_RECEIPT_COOKIE = "intake_staff_receipt"
STAFF_RECEIPT_MAX_AGE = 600


def _options(request: Request, case: Case, work: CaseWork) -> dict[str, Any]:
    """The lists the actions' forms offer (FormField.options), as (value, label) pairs in the
    reader's language; a suggestion list as values."""
    words, reference = translator(request), app_context(request).reference

    def people(staff: list[StaffUser]) -> list[tuple[int, str]]:
        return [(person.id, f"{person.name or person.email} "
                            f"({words.label(catalog.ROLES, person.role)})") for person in staff]

    def terms(listed: tuple[catalog.Term, ...]) -> list[tuple[str, str]]:
        return [(term.code, words.gettext(term.label)) for term in listed]

    return {
        # The police are not among them: a case goes there only by the referral.
        "agencies": [(code, words.gettext(agency.label))
                     for code, agency in reference.agencies.items()
                     if code != case.agency_code and not agency.criminal_referrals],
        "support_agencies": [(code, words.label(reference.agencies.values(), code))
                             for code in work.support_candidates],
        "assignees": people(work.assignable),
        "support_assignees": people(work.support_assignable),
        "outcomes": terms(catalog.OUTCOMES),
        "violator_kinds": terms(catalog.VIOLATOR_KINDS),
        "party_kinds": terms(catalog.PARTY_KINDS),
        "reply_to": [("agency", words.gettext(N_("The agency's mailbox"))),
                     ("me", words.gettext(N_("My own mailbox")))],
        "brand_owners": [(owner.id, owner.organisation) for owner in work.brand_owners],
        "duplicates": [other.tracking_code for other in work.duplicates],
    }


async def render_case(request: Request, user: StaffUser, case: Case, errors: Errors | None = None,
                      values: dict[str, str] | None = None, status_code: int = 200) -> Response:
    """The case page; after a refused form, that form open with what was typed and each
    message beside its field."""
    reference = app_context(request).reference
    view = await case_view(case)
    work = await case_work(view, user, reference.agencies)
    pin = one_time_pin(request, STAFF_RECEIPT_COOKIE, "staff-receipt", case.tracking_code,
                       STAFF_RECEIPT_MAX_AGE)
    errors = errors or {}
    response = render(request, "staff/case.html", {
        "user": user, "view": view, **vars(work), "options": _options(request, case, work),
        "hint_params": {"days": reference.service_levels.explanation_working_days},
        "personal": sees_personal_data(user), "works_cases": user.role in CASE_ROLES,
        "agency": reference.agencies.get(case.agency_code or ""), "pin": pin,
        "problem": errors.get("form") or next(iter(errors.values()), None), "errors": errors,
        "typed": values or {}, "done": _done(request),
        "why_no_action": translator(request).gettext(why_no_action(case, user, work))},
        status_code=status_code, headers={"Cache-Control": "no-store"})
    if pin:
        forget(request, response, STAFF_RECEIPT_COOKIE, path=f"/staff/cases/{case.tracking_code}")
    return response


DONE_SECONDS = 300
DONE_PURPOSE = "case-action-done"


def _done(request: Request) -> str:
    """The action the last form on this case took, as its button said it (after the
    redirect); only what the form itself sealed, and only for a few minutes."""
    token = request.query_params.get("done", "")
    try:
        code, action = decrypt(app_context(request).settings.secret_key, DONE_PURPOSE,
                               token, DONE_SECONDS) if token else ("", "")
    except (ValueError, TypeError):
        return ""
    if code != normalize_tracking_code(request.path_params["code"]):
        return ""
    label = action_label(str(action))
    return translator(request).gettext(label) if label else ""


@staff_only(*READ_ROLES)
async def case_page(request: Request, user: StaffUser) -> Response:
    case = await viewed_case(user, normalize_tracking_code(request.path_params["code"]),
                             client_address(request))
    if case is None:
        return render(request, "public/not_found.html", status_code=404)
    return await render_case(request, user, case)
