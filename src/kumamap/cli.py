"""Command line: `kumamap validate [PATH]` and `kumamap layers [PATH]`. No Streamlit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kumamap.catalog import load_catalog

DEFAULT_ROOT = Path("geo")


def validate(root: Path) -> int:
    result = load_catalog(root)
    for problem in result.problems:
        print(problem)
    count = sum(len(layer.features) for layer in result.layers)
    print(f"{len(result.layers)} layers, {count} features, {len(result.events)} events, "
          f"{len(result.problems)} problems", file=sys.stderr)
    return 1 if result.problems else 0


def list_layers(root: Path) -> int:
    result = load_catalog(root)
    for layer in result.layers:
        print(f"{layer.id:<22} {len(layer.features):>4} features  {layer.kind.value:<8} {layer.file}")
    return 1 if result.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kumamap", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("validate", "check the catalog and every layer file"),
                            ("layers", "list layers with feature counts")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("path", nargs="?", type=Path, default=DEFAULT_ROOT,
                             help="data folder with layers.toml (default: geo)")
    args = parser.parse_args(argv)
    run = validate if args.command == "validate" else list_layers
    return run(args.path)


if __name__ == "__main__":
    sys.exit(main())
