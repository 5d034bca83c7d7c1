"""Queue: p50/p95 of the back-office queue page and its search, over N cases (issue goal:
p95 < 50 ms at 1,000,000 cases), with the query plans the database chose."""

from __future__ import annotations

import contextlib
import datetime as dt

import httpx
from tortoise import Tortoise

from intake.app import create_app
from tests.bench.common import Figure, Results, bench_settings, connected, p50_p95, timed
from tests.helpers import csrf_token
from workflows.access.accounts import AccountError, create_user
from workflows.access.models import StaffUser
from workflows.cases.queue import PER_PAGE, Cursor, QueueFilters, filtered_cases, listing

PASSWORD = "benchmark-password-1"
GOAL_MS = 50.0
# (who, label, query string)
SCENARIOS = (
    ("officer", "queue, all cases, by due date", ""),
    ("officer", "queue, one status", "?status=in_progress"),
    ("officer", "queue, overdue only", "?overdue=1"),
    # Reached by "Next" (keyset); {page200} is the cursor of page 199's last row.
    ("officer", "queue, page 200", "?page=200&after={page200}"),
    ("officer", "queue, page 10 by number (the last so opened)", "?page=10"),
    ("officer", "search by brand", "?q=Chanel"),
    ("officer", "search by tracking code", "?q={code}"),
    ("inspector", "queue of one agency", ""),
    ("inspector", "search within one agency", "?q=Nike"),
)


async def _accounts() -> dict[str, str]:
    agencies = {"qltt", "khcn", "bvntd"}
    people = {"officer": ("bench.officer@intake.example.vn", "officer", None),
              "inspector": ("bench.inspector@intake.example.vn", "inspector", "qltt")}
    for email, role, agency in people.values():
        with contextlib.suppress(AccountError):
            await create_user(email, PASSWORD, role, agency, agencies)
    return {key: email for key, (email, _, _) in people.items()}


async def _signed_in(app, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
    token = await csrf_token(client, "/staff/login")
    response = await client.post("/staff/login", data={"email": email, "password": PASSWORD,
                                                       "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


async def explain(sql: str, params: list, database: str) -> str:
    """The plan as the database prints it (Tortoise's own explain() loses the parameters)."""
    connection = Tortoise.get_connection("default")
    if database == "sqlite":
        rows = await connection.execute_query_dict("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row["detail"] for row in rows)
    rows = await connection.execute_query_dict("EXPLAIN " + sql, params)
    return "\n".join(row["QUERY PLAN"] for row in rows)


async def plans(url: str, database: str, results: Results) -> None:
    async with connected(url):
        officer = await StaffUser.get(email="bench.officer@intake.example.vn")
        inspector = await StaffUser.get(email="bench.inspector@intake.example.vn")
        now = dt.datetime.now(dt.UTC)
        for who, user in (("officer", officer), ("inspector", inspector)):
            base = filtered_cases(user, QueueFilters(), now)
            page = listing(base, QueueFilters(), 1)
            page._choose_db_if_not_chosen()
            page._make_query()
            sql, params = page.query.get_parameterized_sql()
            results.plans[f"{database}: {who} queue page"] = await explain(sql, params, database)


async def queue_part(url: str, database: str, cases: int, repeat: int, results: Results) -> None:
    app = create_app(bench_settings(url))
    async with app.router.lifespan_context(app):
        emails = await _accounts()
        code = (await (await _signed_in(app, emails["officer"])).get("/staff/queue")).text
        code = code.split('href="/staff/cases/')[1].split('"')[0]
        clients = {who: await _signed_in(app, email) for who, email in emails.items()}
        officer = await StaffUser.get(email=emails["officer"])
        before_200 = await listing(filtered_cases(officer, QueueFilters(), dt.datetime.now(
            dt.UTC)), QueueFilters(), 1).offset(199 * PER_PAGE - 1).limit(1)
        page200 = str(Cursor.of(before_200[0], "due")).replace("+", "%2B")
        for who, label, query in SCENARIOS:
            path = "/staff/queue" + query.format(code=code, page200=page200)

            async def fetch(client=clients[who], path=path) -> None:
                response = await client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            p50, p95 = p50_p95(await timed(fetch, repeat))
            results.add(Figure("queue", database, f"{label} p50", p50, "ms"))
            results.add(Figure("queue", database, f"{label} p95", p95, "ms",
                               goal=f"< {GOAL_MS:.0f} ms", met=p95 < GOAL_MS,
                               note=f"{cases:,} cases"))
        for client in clients.values():
            await client.aclose()
    await plans(url, database, results)
