"""Every URL of the service, in one flat list; the back office and the API mounted with theirs."""

from __future__ import annotations

from pathlib import Path

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from intake import health, sms_delivery
from intake.api import discovery, filing, openapi, services, updates
from intake.api import requests as service_requests
from intake.api.cors import open311_cors
from intake.backoffice import (
    attachments,
    brand_owners,
    case_forms,
    case_page,
    new_case,
    notices,
    queue,
    sign_in,
    stats,
)
from intake.backoffice import campaign as staff_campaign
from intake.backoffice import warnings as staff_warnings
from intake.brands import inquiry as brand_inquiry
from intake.brands import portal as brand_portal
from intake.brands import registration as brand_registration
from intake.brands import sign_in as brand_sign_in
from intake.public import (
    audit_log,
    campaign,
    explanation,
    feedback,
    following,
    forgotten_pin,
    guides,
    home,
    open_data,
    places,
    report,
    reporter,
    same_goods,
    track,
)
from intake.public import warnings as public_warnings

STATIC_DIR = Path(__file__).resolve().parent / "static"


class IdConvertor(Convertor[int]):
    """A row id in a path: at most 9 digits, inside the id columns' range on PostgreSQL
    (int4: a larger number is refused by the driver, which read as the database failing,
    503), and never a huge string for int() (the built-in `int` convertor takes any number
    of digits and answers 500 past 4,300)."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())


async def service_requests_endpoint(request: Request) -> Response:
    """One route for the list (GET) and for filing (POST), so that a 405 names both."""
    if request.method == "POST":
        return await filing.create_request(request)
    return await service_requests.list_requests(request)

routes: list[BaseRoute] = [
    Route("/", home.home, name="home"),
    Route("/emblem", home.emblem, name="emblem"),
    Route("/privacy", home.privacy, name="privacy"),
    Route("/report", report.report_form, methods=["GET"], name="report_form"),
    Route("/report", report.submit_report, methods=["POST"], name="submit_report"),
    Route("/receipt/{code}", report.receipt, name="receipt"),
    Route("/report/similar", same_goods.similar_reports, methods=["POST"],
          name="similar_reports"),
    Route("/report/place", places.commune_at, name="commune_at"),
    Route("/report/joined", same_goods.joined, name="joined"),
    Route("/report/genuine", guides.brand_guides, name="brand_guides"),
    Route("/genuine", guides.genuine_page, name="genuine"),
    Route("/check", guides.check_page, name="check"),
    Route("/suggest", campaign.suggest, methods=["GET", "POST"], name="suggest"),
    Route("/warnings", public_warnings.warnings_page, name="warnings"),
    Route("/warnings.json", public_warnings.warnings_json, name="warnings_json"),
    Route("/warnings.atom", public_warnings.warnings_atom, name="warnings_atom"),
    Route("/warnings/{warning_id:id}", public_warnings.warning_page, name="warning"),
    Route("/warnings/{warning_id:id}/photos/{photo_id:id}", public_warnings.warning_photo,
          name="warning_photo"),
    Route("/genuine/{guide_id:id}/photos/{photo_id:id}", guides.guide_photo, name="guide_photo"),
    Route("/track", track.track, name="track"),
    Route("/track/{code}/proof", track.log_proof, name="log_proof"),
    Route("/track/{code}/proof.json", track.log_proof_json, name="log_proof_json"),
    Route("/track/access", reporter.reporter_access, methods=["POST"], name="reporter_access"),
    Route("/track/forgot", forgotten_pin.forgot_pin, methods=["POST"], name="forgot_pin"),
    # The reporter's own link, in every message to them: short, for an SMS.
    Route("/r/{token}", reporter.reporter_link, name="reporter_link"),
    Route("/track/{code}/reporter", reporter.reporter_page, methods=["GET"],
          name="reporter_page"),
    Route("/track/{code}/reporter", reporter.reporter_followup, methods=["POST"],
          name="reporter_followup"),
    Route("/track/{code}/reporter/feedback", reporter.reporter_feedback, methods=["POST"],
          name="reporter_feedback"),
    Route("/track/{code}/reporter/new-pin", reporter.reporter_new_pin, methods=["POST"],
          name="reporter_new_pin"),
    Route("/track/{code}/reporter/sign-out", reporter.reporter_sign_out, methods=["POST"],
          name="reporter_sign_out"),
    Route("/feedback/{token}", feedback.feedback_form, methods=["GET"], name="feedback_form"),
    Route("/feedback/{token}", feedback.send_feedback, methods=["POST"], name="send_feedback"),
    Route("/track/{code}/follow", following.follow_case, methods=["POST"], name="follow_case"),
    Route("/follow/{token}", following.follow_link, methods=["GET", "POST"], name="follow_form"),
    Route("/unfollow/{token}", following.unfollow_link, methods=["GET", "POST"],
          name="unfollow_form"),
    Route("/explain/{token}", explanation.explanation_form, methods=["GET"],
          name="explanation_form"),
    Route("/explain/{token}", explanation.send_explanation, methods=["POST"],
          name="send_explanation"),
    # Brand owners: registration, sign-in by mailed link, their own pages, their opinions.
    Route("/brands", brand_sign_in.sign_in_form, methods=["GET"], name="brand_sign_in_form"),
    Mount("/brands", routes=[
        Route("/sign-in", brand_sign_in.ask_for_link, methods=["POST"], name="brand_ask_link"),
        Route("/sign-in/{token}", brand_sign_in.sign_in_link, methods=["GET", "POST"],
              name="brand_sign_in_link"),
        Route("/sign-out", brand_sign_in.sign_out_owner, methods=["POST"], name="brand_sign_out"),
        Route("/register", brand_registration.registration_form, methods=["GET"],
              name="brand_register_form"),
        Route("/register", brand_registration.send_registration, methods=["POST"],
              name="brand_register"),
        Route("/portal", brand_portal.portal, name="brand_portal"),
        Route("/portal/preferences", brand_portal.save_preferences, methods=["POST"],
              name="brand_preferences"),
        Route("/portal/guides/new", brand_portal.new_guide, methods=["GET", "POST"],
              name="brand_new_guide"),
        Route("/portal/guides/{guide_id:id}", brand_portal.edit_guide, methods=["GET", "POST"],
              name="brand_guide"),
        Route("/portal/guides/{guide_id:id}/photos/{photo_id:id}", brand_portal.guide_photo,
              name="brand_guide_photo"),
        Route("/portal/guides/{guide_id:id}/photos/{photo_id:id}/remove",
              brand_portal.drop_photo, methods=["POST"], name="brand_drop_photo"),
        Route("/inquiries/{token}", brand_inquiry.inquiry_form, methods=["GET"],
              name="brand_inquiry_form"),
        Route("/inquiries/{token}", brand_inquiry.send_opinion, methods=["POST"],
              name="brand_send_opinion"),
        Route("/inquiries/{token}/photos/{attachment_id:id}", brand_inquiry.inquiry_photo,
              name="brand_inquiry_photo"),
    ]),
    Route("/audit/checkpoint", audit_log.checkpoint, name="log_checkpoint"),
    Route("/audit/checkpoints", audit_log.checkpoints, name="log_checkpoints"),
    Route("/audit/key", audit_log.key, name="log_key"),
    Route("/audit/proof/inclusion", audit_log.inclusion, name="log_inclusion"),
    Route("/audit/proof/consistency", audit_log.consistency, name="log_consistency"),
    Route("/lang/{language}", home.switch_language, name="switch_language"),
    Route("/healthz", health.healthz, name="healthz"),
    # The SMS gateway's delivery reports (Kannel's dlr-url), one signed token per message.
    Route("/sms/delivery/{token}", sms_delivery.delivery_report, name="sms_delivery"),
    Route("/open-data", open_data.open_data_page, name="open_data"),
    Route("/open-data/monthly.csv", open_data.open_data_csv, name="open_data_csv"),
    Route("/open-data/monthly.json", open_data.open_data_json, name="open_data_json"),
    # Open311 GeoReport v2: every document as .json and .xml (intake.api.formats).
    Mount("/open311", middleware=open311_cors, routes=[
        Route("/discovery.{format:format}", discovery.discovery, name="discovery"),
        Mount("/v2", routes=[
            Route("/discovery.{format:format}", discovery.discovery, name="discovery_v2"),
            Route("/openapi.json", openapi.openapi, name="openapi"),
            Route("/services.{format:format}", services.services, name="services"),
            Route("/services/{code}.{format:format}", services.service_definition,
                  name="service_definition"),
            Route("/requests.{format:format}", service_requests_endpoint,
                  methods=["GET", "POST"], name="requests"),
            Route("/requests/{code}.{format:format}", service_requests.get_request,
                  name="get_request"),
            Route("/tokens/{token}.{format:format}", service_requests.get_token, name="token"),
            Route("/servicerequestupdates.{format:format}", updates.updates_endpoint,
                  methods=["GET", "POST"], name="service_request_updates"),
        ]),
    ]),
    Mount("/staff", routes=[
        Route("/login", sign_in.login_form, methods=["GET"], name="login_form"),
        Route("/login", sign_in.login, methods=["POST"], name="login"),
        Route("/logout", sign_in.logout, methods=["POST"], name="logout"),
        Route("/queue", queue.queue, name="queue"),
        Route("/notices", notices.notices_page, methods=["GET"], name="notices"),
        Route("/notices", notices.save_notices, methods=["POST"], name="save_notices"),
        Route("/stats", stats.stats_page, name="stats"),
        Route("/stats/export", stats.stats_export, name="stats_export"),
        Route("/cases/new", new_case.new_case_form, methods=["GET"], name="new_case_form"),
        Route("/cases/new", new_case.file_case, methods=["POST"], name="file_case"),
        Route("/cases/{code}", case_page.case_page, methods=["GET"], name="case"),
        # The action forms post to the case's own address, so that a refused form comes back
        # where it was; /actions is the same for older pages still open in a browser.
        Route("/cases/{code}", case_forms.case_action, methods=["POST"], name="case_post"),
        Route("/cases/{code}/actions", case_forms.case_action, methods=["POST"],
              name="case_action"),
        Route("/cases/{code}/support", case_forms.support_action, methods=["POST"],
              name="support_action"),
        Route("/cases/{code}/notes", case_forms.add_case_note, methods=["POST"], name="case_note"),
        Route("/cases/{code}/replies", case_forms.add_case_reply, methods=["POST"],
              name="case_reply"),
        Route("/cases/{code}/review", case_forms.review_action, methods=["POST"],
              name="case_review"),
        Route("/cases/{code}/explanations/{explanation_id:id}", case_forms.publish_explanation,
              methods=["POST"], name="publish_explanation"),
        Route("/cases/{code}/explanations/{explanation_id:id}/withdraw",
              case_forms.withdraw_explanation, methods=["POST"], name="withdraw_explanation"),
        Route("/cases/{code}/attachments/{attachment_id:id}", attachments.attachment,
              name="attachment"),
        Route("/cases/{code}/attachments/{attachment_id:id}/share",
              case_forms.share_photo_with_owners, methods=["POST"], name="share_photo"),
        Route("/cases/{code}/brand-inquiries/{inquiry_id:id}/withdraw",
              case_forms.withdraw_brand_inquiry, methods=["POST"], name="withdraw_brand_inquiry"),
        Route("/brand-owners", brand_owners.brand_owners_page, name="brand_owners"),
        Route("/campaign", staff_campaign.campaign_page, name="staff_campaign"),
        Route("/warnings", staff_warnings.warnings_page, methods=["GET", "POST"],
              name="staff_warnings"),
        Route("/warnings/{warning_id:id}", staff_warnings.warning_page, methods=["GET", "POST"],
              name="staff_warning"),
        Route("/warnings/{warning_id:id}/photos/{photo_id:id}",
              staff_warnings.staff_warning_photo, name="staff_warning_photo"),
        Route("/brand-owners/{owner_id:id}", brand_owners.brand_owner_page,
              methods=["GET", "POST"], name="brand_owner"),
        Route("/brand-owners/{owner_id:id}/guides/{guide_id:id}/take-down",
              brand_owners.take_guide_down, methods=["POST"], name="take_guide_down"),
        Route("/brand-owners/{owner_id:id}/documents/{document_id:id}",
              brand_owners.brand_owner_document, name="brand_owner_document"),
    ]),
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]
