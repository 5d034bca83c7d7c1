"""The README's two commands are the ones CI runs and the ones that exist."""

from __future__ import annotations

import argparse
import re

from intake.cli import build_parser
from workflows.i18n.paths import CHECKOUT_DIR

README = (CHECKOUT_DIR / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL)]


def test_the_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    start, test = shell_blocks()[:2]
    assert start.endswith(".venv/bin/intake serve --demo")
    assert test.endswith("-m pytest -n auto --maxprocesses 4")
    ci_lines = (CHECKOUT_DIR / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci_lines


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def test_every_intake_command_the_readme_names_exists():
    named = set(re.findall(r"`intake ([a-z-]+)(?: ([a-z]+))?", README))
    assert ("audit", "verify") in named and ("create-user", "") in named
    commands = _subcommands(build_parser())
    for command, subcommand in named:
        assert command in commands, command
        below = _subcommands(commands[command])
        if below:
            assert subcommand in below, f"{command} {subcommand}"
