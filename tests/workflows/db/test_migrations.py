"""The committed migrations match the models, and apply to an empty database and to one that
already holds cases."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api.migrate import migrate
from tortoise.transactions import in_transaction

from tests.conftest import _drop_database, create_postgres_database
from workflows.audit.log import Actor, append_event
from workflows.audit.notes import Signer
from workflows.audit.sequencer import run_sequencer
from workflows.audit.verify import verify_log
from workflows.cases.barcodes import barcode_key
from workflows.cases.duplicates import shop_key
from workflows.cases.models import Case
from workflows.cases.search import search_condition
from workflows.cases.web_pages import page_key
from workflows.db.config import apply_migrations, tortoise_config
from workflows.db.sql import numbered_marks
from workflows.i18n.paths import CHECKOUT_DIR


def test_models_and_migrations_agree(tmp_path):
    # makemigrations writes a file when it finds a change, so it runs on a copy.
    shutil.copytree(CHECKOUT_DIR / "workflows", tmp_path / "workflows",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # The tortoise CLI waits forever if the SQLite file's folder is missing: create it.
    (tmp_path / "data").mkdir()
    env = {**os.environ, "INTAKE_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(tmp_path)}
    env.pop("INTAKE_DATABASE_URL", None)
    command = [sys.executable, "-m", "tortoise", "-c", "workflows.db.config.TORTOISE_ORM"]
    migrate = subprocess.run([*command, "migrate"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=60)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    check = subprocess.run([*command, "makemigrations"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert "No changes detected" in check.stdout, check.stdout + check.stderr


@pytest.fixture
async def empty_database(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[str]:
    """A database with no tables at all, of the kind the test is parametrised with."""
    if request.node.callspec.params["database_url"] == "sqlite":
        yield f"sqlite://{tmp_path / 'empty.sqlite3'}"
        return
    name = f"intake_empty_{uuid.uuid4().hex[:12]}"
    yield await create_postgres_database(name)
    await _drop_database(name)


@contextlib.asynccontextmanager
async def opened(database_url: str, target: str | None = None) -> AsyncIterator[Any]:
    """The database migrated up to `target` (every migration without one, as `intake serve`
    does it), open for the test: its connection."""
    if target:
        await migrate(config=tortoise_config(database_url), target=target)
    else:
        await apply_migrations(database_url)
        EXECUTOR_CACHE.clear()
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    try:
        yield Tortoise.get_connection("default")
    finally:
        await Tortoise.close_connections()


def test_every_column_added_to_a_table_has_a_value_for_the_rows_already_there():
    """A NOT NULL column added without a database default cannot be added to a table that
    holds rows on SQLite ("Cannot add a NOT NULL column with default value NULL"): the upgrade
    of a province's database would stop there. Tortoise's `default` is Python's only."""
    missing = []
    for path in sorted((CHECKOUT_DIR / "workflows" / "db" / "migrations").glob("0*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = node.func if isinstance(node, ast.Call) else None
            if getattr(called, "attr", getattr(called, "id", "")) == "AddField":
                assert isinstance(node, ast.Call)
                field = next(k.value for k in node.keywords if k.arg == "field")
                assert isinstance(field, ast.Call)
                options = {k.arg: k.value for k in field.keywords}
                nullable = "null" in options and ast.literal_eval(options["null"]) is True
                default = options.get("db_default")
                if not nullable and (default is None or (
                        isinstance(default, ast.Constant) and default.value is None)):
                    missing.append(f"{path.name}: {ast.unparse(field)}")
    assert missing == []


async def test_months_frozen_before_the_blocks_stay_single_months(database_url,
                                                                  empty_database):
    """0046 gives the frozen months already there months = 1: else the freezer would take
    them for blocks and count them again every round."""
    from workflows.figures.freezer import months_to_freeze
    from workflows.figures.models import FrozenMonth
    from workflows.reference.reporting import ReportingCalendar

    database_url = empty_database
    async with opened(database_url, "models.0045_warning_photos") as connection:
        sqlite = connection.capabilities.dialect == "sqlite"
        marks = ", ".join(numbered_marks(connection.capabilities.dialect, 3))
        frozen_at = "2026-11-20 00:00:00+00:00" if sqlite else dt.datetime(2026, 11, 20,
                                                                           tzinfo=dt.UTC)
        await connection.execute_query(
            f"INSERT INTO frozen_month (first_day, last_day, frozen_at) VALUES ({marks})",
            ["2026-10-01", "2026-10-31", frozen_at] if sqlite else
            [dt.date(2026, 10, 1), dt.date(2026, 10, 31), frozen_at])

    async with opened(database_url):
        assert await FrozenMonth.all().values_list("first_day", "months") == [
            (dt.date(2026, 10, 1), 1)]
        await Case.create(tracking_code="AAAAAAAAAA", pin_digest="0" * 64,
                          category="counterfeit", product_name="Nước mắm",
                          product_group="food", sales_channel="shop", description="Cũ.",
                          status="received")
        await Case.filter(tracking_code="AAAAAAAAAA").update(
            created_at=dt.datetime(2026, 10, 5, tzinfo=dt.UTC))
        waiting = await months_to_freeze(ReportingCalendar(), dt.datetime(2026, 12, 6,
                                                                          tzinfo=dt.UTC))
        assert [month.label for month in waiting] == ["2026-11"]  # October is frozen


async def test_upgrading_a_database_that_holds_cases_keeps_them(database_url, empty_database):
    """Each migration that adds a column must work on a table with rows in it."""
    database_url = empty_database
    async with opened(database_url, "models.0004_staff_accounts") as connection:
        sqlite = connection.capabilities.dialect == "sqlite"
        values = {"tracking_code": "AAAAAAAAAA", "pin_digest": "0" * 64, "pin_failures": 0,
                  "intake_channel": "web", "language": "vi", "category": "counterfeit",
                  "product_name": "Nước mắm", "brand": "Phú Quốc", "product_group": "food",
                  "barcode": "8 934588 063053", "barcode_gs1_prefix": "", "barcode_gs1_office": "",
                  "label_origin": "unknown", "sales_channel": "shop", "shop_name": "Sạp 12",
                  "province": "", "commune": "", "street": "", "platform": "",
                  "online_url": "https://m.shopee.vn/Nuoc-mam-i.88.12?sp_atk=ab12",
                  "description": "Cũ.", "reporter_name": "", "reporter_phone": "",
                  "reporter_email": "", "consent": False, "status": "received",
                  "routing_reason": "", "version": 1, "created_at": "2026-01-05 03:00:00+00:00",
                  "updated_at": "2026-01-05 03:00:00+00:00"}
        marks = ", ".join(numbered_marks(connection.capabilities.dialect, len(values)))
        params = list(values.values())
        if not sqlite:
            params = [dt.datetime(2026, 1, 5, 3, tzinfo=dt.UTC) if key.endswith("_at") else v
                      for key, v in values.items()]
        await connection.execute_query(
            f'INSERT INTO "case" ({", ".join(values)}) VALUES ({marks})', params)

    async with opened(database_url):
        case = await Case.get(tracking_code="AAAAAAAAAA")
        assert (case.product_name, case.outcome, case.shop_bare, case.search_text) == (
            "Nước mắm", "", "sap 12", "nuoc mam | phu quoc | sap 12")  # keys folded again
        assert case.shop_key == shop_key(case.shop_name)  # its letters' marks kept
        # Its link gets the key a new share of the same product page has.
        assert case.page_key == page_key("https://shopee.vn/product/88/12")
        assert case.barcode_key == barcode_key("8934588063053")  # its barcode's too
        found = await Case.filter(search_condition("nuoc mam", connection_dialect())).count()
        assert found == 1
        # Later migrations keep the table's indexes and triggers (a table rebuild would drop
        # them): a case stored now is found by the search, and the queue's indexes are there.
        now = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
        current = {key: value for key, value in values.items() if key != "pin_failures"}
        await Case.create(**{**current, "tracking_code": "BBBBBBBBBB", "product_name": "Sữa bột",
                             "created_at": now, "updated_at": now,
                             "search_text": "sua bot | phu quoc | sap 12"})
        assert await Case.filter(search_condition("sua bot", connection_dialect())).count() == 1
        assert await index_count("case") >= INDEXES_ON_CASE


# The queue's and the statistics' indexes on "case" (models.py Meta.indexes) and the ones the
# columns ask for themselves (db_index), besides the primary and unique keys.
INDEXES_ON_CASE = 16


async def index_count(table: str) -> int:
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        rows = await connection.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", [table])
    else:
        rows = await connection.execute_query_dict(
            "SELECT indexname AS name FROM pg_indexes WHERE tablename = $1", [table])
    return len(rows)


def connection_dialect() -> str:
    return Tortoise.get_connection("default").capabilities.dialect


def legacy_hash(event: dict[str, object]) -> str:
    """The hash chain's formula before the log (written here from its old definition)."""
    content = {key: event[key] for key in ("seq", "case_id", "actor_type", "actor_id", "action",
                                            "before", "after", "reason", "prev_hash")}
    content["created_at"] = "2026-01-05T03:00:00.000000Z"
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def test_the_hash_chains_events_become_the_logs_first_leaves(database_url, empty_database):
    database_url = empty_database
    async with opened(database_url, "models.0017_outbox_claims") as connection:
        sqlite = connection.capabilities.dialect == "sqlite"
        previous = "0" * 64
        for seq in (1, 2, 3):
            event = {"seq": seq, "case_id": None, "actor_type": "staff", "actor_id": "7",
                     "action": "export", "before": None, "after": {"period": f"2026-0{seq}"},
                     "reason": "", "prev_hash": previous}
            event["hash"] = previous = legacy_hash(event)
            columns = [*event, "created_at"]
            values = [json.dumps(value) if key in ("before", "after") and value is not None
                      else value for key, value in event.items()]
            values.append("2026-01-05 03:00:00+00:00" if sqlite
                          else dt.datetime(2026, 1, 5, 3, tzinfo=dt.UTC))
            marks = ", ".join("?" if sqlite else f"${n}" + ("::jsonb" if key == "after" else "")
                              for n, key in enumerate(columns, start=1))
            await connection.execute_query(
                f"INSERT INTO audit_event ({', '.join(columns)}) VALUES ({marks})", values)

    async with opened(database_url):
        signer = Signer.generate("example.org/audit")
        run = await run_sequencer(signer, force=True, wait=True)
        assert run is not None and run.size == 3
        async with in_transaction() as connection:  # the first event written after the chain
            event = await append_event(connection, case=None, actor=Actor.system(),
                                       action="test")
        assert event.seq == 4
        assert (await run_sequencer(signer, force=True, wait=True)).size == 4
        report = await verify_log(signer.verifier)
        assert report.intact and report.events == 4
