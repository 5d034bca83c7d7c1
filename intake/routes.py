"""Every URL of the service, in one flat list."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from intake import health
from intake.api import open311, openapi
from intake.backoffice import staff, stats
from intake.public import open_data
from intake.public import pages as public

STATIC_DIR = Path(__file__).resolve().parent / "static"

routes: list[BaseRoute] = [
    Route("/", public.home, name="home"),
    Route("/report", public.report_form, methods=["GET"], name="report_form"),
    Route("/report", public.submit_report, methods=["POST"], name="submit_report"),
    Route("/receipt/{code}", public.receipt, name="receipt"),
    Route("/track", public.track, name="track"),
    Route("/track/access", public.reporter_access, methods=["POST"], name="reporter_access"),
    Route("/track/{code}/reporter", public.reporter_page, methods=["GET"], name="reporter_page"),
    Route("/track/{code}/reporter", public.reporter_followup, methods=["POST"],
          name="reporter_followup"),
    Route("/lang/{language}", public.switch_language, name="switch_language"),
    Route("/healthz", health.healthz, name="healthz"),
    Route("/open-data", open_data.open_data_page, name="open_data"),
    Route("/open-data/monthly.csv", open_data.open_data_csv, name="open_data_csv"),
    Route("/open-data/monthly.json", open_data.open_data_json, name="open_data_json"),
    Mount("/open311/v2", routes=[
        Route("/openapi.json", openapi.openapi, name="openapi"),
        Route("/services.json", open311.services, name="services"),
        Route("/services/{code}.json", open311.service_definition, name="service_definition"),
        Route("/requests.json", open311.create_request, methods=["POST"], name="create_request"),
        Route("/requests/{code}.json", open311.get_request, name="get_request"),
    ]),
    Mount("/staff", routes=[
        Route("/login", staff.login_form, methods=["GET"], name="login_form"),
        Route("/login", staff.login, methods=["POST"], name="login"),
        Route("/logout", staff.logout, methods=["POST"], name="logout"),
        Route("/queue", staff.queue, name="queue"),
        Route("/stats", stats.stats_page, name="stats"),
        Route("/stats/export", stats.stats_export, name="stats_export"),
        Route("/cases/new", staff.new_case_form, methods=["GET"], name="new_case_form"),
        Route("/cases/new", staff.file_case, methods=["POST"], name="file_case"),
        Route("/cases/{code}", staff.case_page, name="case"),
        Route("/cases/{code}/actions", staff.case_action, methods=["POST"], name="case_action"),
        Route("/cases/{code}/support", staff.support_action, methods=["POST"],
              name="support_action"),
        Route("/cases/{code}/notes", staff.add_case_note, methods=["POST"], name="case_note"),
        Route("/cases/{code}/replies", staff.add_case_reply, methods=["POST"], name="case_reply"),
        Route("/cases/{code}/attachments/{attachment_id:int}", staff.attachment,
              name="attachment"),
    ]),
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]
