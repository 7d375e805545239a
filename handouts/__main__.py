"""`python -m handouts` and the `handouts` console script."""

from __future__ import annotations


def load_cli():
    """The click app: shipped inside the wheel as handouts/cli.py, at the top level in a checkout."""
    try:
        from handouts.cli import main as cli
    except ModuleNotFoundError as exc:
        if exc.name != "handouts.cli":
            raise
        from cli import main as cli
    return cli


def main() -> None:
    load_cli()()


if __name__ == "__main__":
    main()
