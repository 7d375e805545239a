"""`python -m handouts` and the `handouts` console script."""

from __future__ import annotations


def main() -> None:
    try:
        from handouts.cli import main as cli  # installed wheel: cli.py ships inside the package
    except ModuleNotFoundError as exc:
        if exc.name != "handouts.cli":
            raise
        from cli import main as cli  # source checkout or editable install: cli.py at the top level
    cli()


if __name__ == "__main__":
    main()
