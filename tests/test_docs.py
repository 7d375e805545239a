"""The docs stay true: every command has help with an example and is in the README, every option too."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from handouts.__main__ import load_cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
APP = load_cli()


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = list(_commands(APP))


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help_with_an_example_and_is_in_the_readme(run, path, command):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"handouts {' '.join(path)}" in result.output
    assert f"handouts {' '.join(path)}" in README


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_option_is_in_the_readme(path, command):
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--") and opt not in ("--help",):
                assert re.search(re.escape(opt) + r"\b", README), f"{' '.join(path)} {opt} is not in the README"
