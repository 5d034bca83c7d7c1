"""`intake api-client create|list|revoke`: the Open311 clients that hold a key."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from intake.cli.common import run_with_database


def register(commands: Any) -> None:
    parser = commands.add_parser("api-client", help="register, list and revoke Open311 clients")
    verbs = parser.add_subparsers(dest="verb", required=True)
    create_parser = verbs.add_parser("create", help="register a client and print its key, once")
    create_parser.add_argument("name")
    create_parser.add_argument("--collects-consent", action="store_true",
                               help="it asks its users for consent to pass on their contact "
                                    "details (as FixMyStreet does)")
    create_parser.add_argument("--reports-per-hour", type=int, default=None,
                               help="its own allowance (default: INTAKE_API_CLIENT_RATE_LIMIT; "
                                    "0: no limit)")
    create_parser.set_defaults(handler=create)
    verbs.add_parser("list", help="every client, revoked ones too").set_defaults(handler=show)
    revoke_parser = verbs.add_parser("revoke", help="refuse a client's key from now on")
    revoke_parser.add_argument("name")
    revoke_parser.set_defaults(handler=revoke)


def create(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.access.api_clients import ClientError, register_client

    async def make() -> int:
        try:
            client, key = await register_client(args.name, collects_consent=args.collects_consent,
                                                reports_per_hour=args.reports_per_hour)
        except ClientError as error:
            print(f"intake: {error}", file=sys.stderr)
            return 2
        print(f"Registered Open311 client {client.name!r}. Its api_key (shown only now):")
        print(key)
        return 0

    return run_with_database(Settings.from_env(), make)


def show(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.access.api_clients import list_clients

    async def listing() -> int:
        for client in await list_clients():
            state = f"revoked {client.revoked_at:%Y-%m-%d}" if client.revoked_at else "active"
            limit = "default" if client.reports_per_hour is None else str(client.reports_per_hour)
            consent = "collects consent" if client.collects_consent else "consent per report"
            print(f"{client.name}\t{state}\treports per hour: {limit}\t{consent}")
        return 0

    return run_with_database(Settings.from_env(), listing)


def revoke(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.access.api_clients import ClientError, revoke_client

    async def take_back() -> int:
        try:
            client = await revoke_client(args.name)
        except ClientError as error:
            print(f"intake: {error}", file=sys.stderr)
            return 2
        print(f"{client.name!r} is revoked: its key is refused from now on.")
        return 0

    return run_with_database(Settings.from_env(), take_back)
