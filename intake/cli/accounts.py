"""`intake create-user`, `intake disable-user`, `intake enable-user`: staff accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from intake.cli.common import run_with_database
from workflows.reference.catalog import ROLES


def register(commands: Any) -> None:
    user_parser = commands.add_parser("create-user", help="create a staff account")
    user_parser.add_argument("email")
    user_parser.add_argument("--role", required=True, choices=[role.code for role in ROLES])
    user_parser.add_argument("--agency", help="agency code, for a lead or an inspector")
    user_parser.add_argument("--name", default="")
    user_parser.add_argument("--personal-data", action="store_true",
                             help="a committee account that may see the reporters' personal data")
    user_parser.add_argument("--password-stdin", action="store_true",
                             help="read the password from the first line of standard input")
    user_parser.set_defaults(handler=create)
    for verb in ("disable-user", "enable-user"):
        toggle = commands.add_parser(verb, help=f"{verb.split('-')[0]} a staff account")
        toggle.add_argument("email")
        toggle.set_defaults(handler=set_active)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        print("intake: the two passwords differ", file=sys.stderr)
        return None
    return password


def create(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.access.accounts import AccountError, create_user
    from workflows.reference.loading import load_reference

    settings = Settings.from_env()
    reference = load_reference(settings.config_dir)
    password = _password(args)
    if password is None:
        return 2

    async def make() -> int:
        try:
            user = await create_user(args.email, password, args.role, args.agency,
                                     set(reference.agencies), name=args.name,
                                     personal_data=args.personal_data)
        except AccountError as error:
            print(f"intake: {error}", file=sys.stderr)
            return 2
        where = f" of {user.agency_code}" if user.agency_code else ""
        print(f"Created {user.role}{where}: {user.email}")
        return 0

    return run_with_database(settings, make)


def set_active(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.access.accounts import AccountError
    from workflows.access.accounts import set_active as change_active

    async def change() -> int:
        try:
            user = await change_active(args.email, args.command == "enable-user")
        except AccountError as error:
            print(f"intake: {error}", file=sys.stderr)
            return 2
        state = "enabled" if user.active else "disabled (signed out everywhere)"
        print(f"{user.email} is now {state}.")
        return 0

    return run_with_database(Settings.from_env(), change)
