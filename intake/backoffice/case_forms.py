"""Every form posted on a case page goes one way: find the case the user may see, read the
form, check CSRF, hand it to the domain, and show a refusal on the case page (409 when someone
changed the case meanwhile) or go back to the case (303)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.backoffice.auth import staff_only
from intake.backoffice.case_page import DONE_PURPOSE, render_case
from intake.context import app_context, translator
from intake.encrypted import encrypt
from intake.formdata import read_form, text_fields
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import AGENCY_ROLES, CASE_ROLES
from workflows.access.visibility import visible_case
from workflows.cases.conversation import add_note, add_public_reply
from workflows.cases.feedback import decide_review
from workflows.cases.field_kinds import bounded_int
from workflows.cases.models import Case
from workflows.cases.refusals import ActionRefused, StaleCase
from workflows.cases.states import action_label
from workflows.cases.supports import take_support_action
from workflows.cases.tracking import normalize_tracking_code
from workflows.cases.transitions import ActionRequest, take_action
from workflows.i18n.messages import N_, Problem
from workflows.parties.brand_steps import share_photo, withdraw_inquiry
from workflows.parties.request_steps import publish_summary, withdraw_request
from workflows.reference.catalog import STATUSES, SUPPORT_STATUSES

CaseWrite = Callable[[Case, dict[str, str]], Awaitable[object]]


def _version(values: dict[str, str]) -> int:
    version = bounded_int(values.get("version", ""), 9)
    return -1 if version is None else version


def action_request(values: dict[str, str]) -> ActionRequest:
    return ActionRequest(values.get("action", ""), _version(values), values)


async def _post_on_case(request: Request, user: StaffUser, write: CaseWrite) -> Response:
    context = app_context(request)
    case = await visible_case(user, normalize_tracking_code(request.path_params["code"]))
    if case is None:
        return render(request, "public/not_found.html", status_code=404)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return await render_case(request, user, case, {"form": form}, status_code=400)
    values = text_fields(form)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Please try again."))
        return await render_case(request, user, case, {"form": problem}, values, 400)
    try:
        await write(case, values)
    except ActionRefused as refused:
        errors = dict(refused.errors)
        for field, problem in errors.items():
            if "status" in problem.params:  # the state's name in the reader's language
                status = translator(request).label(STATUSES + SUPPORT_STATUSES,
                                                   str(problem.params["status"]))
                errors[field] = Problem(problem.message, {**problem.params, "status": status})
        code = 409 if isinstance(refused, StaleCase) else 400
        return await render_case(request, user, case, errors, values, code)
    # The page says what was done ("Đã thực hiện: …"), from the action's own declaration.
    # Sealed, for a few minutes: a link someone sends cannot make the page say so.
    done = done_action(values)
    token = encrypt(app_context(request).settings.secret_key, DONE_PURPOSE,
                    [case.tracking_code, done]) if action_label(done) else ""
    return RedirectResponse(f"/staff/cases/{case.tracking_code}"
                            + (f"?done={quote(token)}" if token else ""), status_code=303)


def done_action(values: dict[str, str]) -> str:
    """What the form did, as the page will name it (workflows.cases.states.OTHER_LABELS for
    what is no transition): a message is a reply or a question, a review granted or not."""
    action = values.get("action", "")
    kind, _, _ = action.partition("-")  # "publish-12": the summary of request 12
    if action in ("message", "review"):
        return f"{action}:{values.get('kind' if action == 'message' else 'decision', '')}"
    return {"publish": "publish", "withdraw": "withdraw_explanation"}.get(kind, action)


@staff_only(*CASE_ROLES)
async def case_action(request: Request, user: StaffUser) -> Response:
    context = app_context(request)
    return await _post_on_case(request, user, lambda case, values: take_action(
        case, user, action_request(values), context.reference, context.events))


@staff_only(*AGENCY_ROLES)
async def support_action(request: Request, user: StaffUser) -> Response:
    """A supporting agency's staff working their own task on another agency's case."""
    context = app_context(request)
    return await _post_on_case(request, user, lambda case, values: take_support_action(
        case, user, action_request(values), context.reference, context.events))


@staff_only(*CASE_ROLES)
async def add_case_note(request: Request, user: StaffUser) -> Response:
    events = app_context(request).events
    return await _post_on_case(request, user, lambda case, values: add_note(
        case, user, values.get("body", ""), events))


@staff_only(*CASE_ROLES)
async def review_action(request: Request, user: StaffUser) -> Response:
    """The lead grants the reporter's request for a review (the case reopens) or declines it
    with a reason the reporter reads."""
    context = app_context(request)
    return await _post_on_case(request, user, lambda case, values: decide_review(
        case, user, values.get("decision") == "grant", values.get("reason", ""),
        context.reference, context.events))


@staff_only(*CASE_ROLES)
async def add_case_reply(request: Request, user: StaffUser) -> Response:
    events = app_context(request).events
    return await _post_on_case(request, user, lambda case, values: add_public_reply(
        case, user, values.get("body", ""), events, values.get("kind", "reply")))


@staff_only(*CASE_ROLES)
async def publish_explanation(request: Request, user: StaffUser) -> Response:
    """The agency's summary of a business's answer, for /track."""
    events = app_context(request).events
    explanation_id = int(request.path_params["explanation_id"])
    return await _post_on_case(request, user, lambda case, values: publish_summary(
        case, user, explanation_id, values.get("summary", ""), events))


@staff_only(*CASE_ROLES)
async def withdraw_explanation(request: Request, user: StaffUser) -> Response:
    """An unanswered request no longer needed: its link stops, it is not overdue."""
    events = app_context(request).events
    explanation_id = int(request.path_params["explanation_id"])
    return await _post_on_case(request, user, lambda case, values: withdraw_request(
        case, user, explanation_id, events))


@staff_only(*CASE_ROLES)
async def share_photo_with_owners(request: Request, user: StaffUser) -> Response:
    """A photo of the goods shown to the brand owners asked about the case ("1"), or not."""
    events = app_context(request).events
    attachment_id = int(request.path_params["attachment_id"])
    return await _post_on_case(request, user, lambda case, values: share_photo(
        case, user, attachment_id, values.get("share") == "1", events))


@staff_only(*CASE_ROLES)
async def withdraw_brand_inquiry(request: Request, user: StaffUser) -> Response:
    events = app_context(request).events
    inquiry_id = int(request.path_params["inquiry_id"])
    return await _post_on_case(request, user, lambda case, values: withdraw_inquiry(
        case, user, inquiry_id, events))
