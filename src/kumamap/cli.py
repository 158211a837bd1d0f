"""Command line: `kumamap validate | layers | export [PATH]`. No Streamlit."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from kumamap.catalog import CATALOG_FILE, folder_label, load_catalog
from kumamap.export import FORMATS, export
from kumamap.filters import FilterState, apply_filters
from kumamap.freshness import stale_problems
from kumamap.i18n import DEFAULT_LANG
from kumamap.model import LANGS, LoadResult, Precision, Problem, Status
from kumamap.views import PRESETS

DEFAULT_ROOT = Path("geo")
ALL_LAYERS = "all"


class Failure(Exception):
    """A command cannot go on; its message is the one line the user sees."""


def load_folder(root: Path) -> LoadResult:
    """The catalog of an existing folder; a missing folder or a file is one clear line."""
    if not root.exists():
        raise Failure(f"{root}: no such folder (expected a data folder with {CATALOG_FILE})")
    if not root.is_dir():
        raise Failure(f"{root}: is not a folder (expected a data folder with {CATALOG_FILE})")
    return load_catalog(root)


def validate(root: Path, today: date | None = None) -> int:
    """Every problem of the data, and every status that may have gone stale by `today`."""
    result = load_folder(root)
    # Stale statuses are named here, not by the loader: the page still draws the feature.
    stale = stale_problems(result.layers, today or date.today(), root.name or str(root))
    problems = (*result.problems, *stale)
    for problem in problems:
        print(problem)
    count = sum(len(layer.features) for layer in result.layers)
    print(f"{len(result.layers)} layers, {count} features, {len(result.events)} events, "
          f"{len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


def list_layers(root: Path) -> int:
    result = load_folder(root)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    for layer in result.layers:
        precisions = Counter(feature.precision for feature in layer.features)
        by_precision = " / ".join(str(precisions[precision]) for precision in Precision)
        print(f"{layer.id:<20} {len(layer.features):>4} features "
              f"({by_precision} exact / approximate / schematic)  "
              f"{layer.kind.value:<8} {layer.file}")
    return 1 if result.problems else 0


def check_known(parser: argparse.ArgumentParser, flag: str, given: Iterable[str],
                known: Iterable[str]) -> None:
    """Exit 2 naming the valid values when a value is not in the data (argparse style)."""
    valid = sorted(set(known))
    unknown = sorted(set(given) - set(valid))
    if unknown:
        parser.error(f"{flag}: unknown {', '.join(map(repr, unknown))} "
                     f"(choose from {', '.join(valid)})")


def filter_state(args: argparse.Namespace, result: LoadResult,
                 parser: argparse.ArgumentParser) -> FilterState:
    """The command's filters as the page would set them; unknown values end the command."""
    features = result.features
    layer_ids = [layer.id for layer in result.layers]
    check_known(parser, "--layer", args.layer or (), [*layer_ids, ALL_LAYERS])
    check_known(parser, "--category", args.category or (), (f.category for f in features))
    check_known(parser, "--prefecture", args.prefecture or (),
                (f.prefecture for f in features if f.prefecture))
    if not args.layer:
        # As the page opens: the layers the catalog shows by default.
        chosen = set(result.default_layer_ids)
    elif ALL_LAYERS in args.layer:
        chosen = set(layer_ids)
    else:
        chosen = set(args.layer)
    return FilterState(
        layer_ids=frozenset(chosen),
        categories=frozenset(args.category or ()),
        statuses=frozenset(Status(status) for status in args.status or ()),
        year=args.year,
        prefectures=frozenset(args.prefecture or ()),
        text=args.text,
    )


def export_problems(result: LoadResult, root: Path,
                    layer_ids: frozenset[str]) -> tuple[Problem, ...]:
    """The problems that change what this export holds: those of the catalog (a broken entry
    drops its layer) and of the exported layers' files. The story and the timeline are not
    exported, nor are the other layers."""
    label = folder_label(root)
    files = {f"{label}/{CATALOG_FILE}"} | {
        f"{label}/{layer.file}" for layer in result.layers if layer.id in layer_ids}
    return tuple(problem for problem in result.problems if problem.file in files)


def export_view(args: argparse.Namespace) -> int:
    """Write what the map would show with these filters; problems go to stderr.

    Problems in the exported layers write nothing, so a good file is never replaced by a
    partial one, unless --allow-problems says to write the rest.
    """
    result = load_folder(args.path)
    if not result.layers:
        # Checked before writing: an empty export would replace a good file with nothing.
        reason = str(result.problems[0]) if result.problems else f"{args.path}: no layers"
        raise Failure(f"{reason}; nothing written")
    state = filter_state(args, result, args.command_parser)
    blocking = export_problems(result, args.path, state.layer_ids)
    left_out = "left out: " if args.allow_problems else ""
    for problem in result.problems:
        print(f"{left_out if problem in blocking else ''}{problem}", file=sys.stderr)
    where = args.output or "stdout"
    if blocking and not args.allow_problems:
        raise Failure(f"{len(blocking)} problems in the exported layers (above); nothing "
                      f"written to {where}, an earlier file is kept (--allow-problems writes "
                      "the rest)")
    view = apply_filters(result.layers, state)
    text, _name, _mime = export(view, args.lang, args.format, args.preset, result.catalog)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_safely(args.output, text)
    print(f"{view.feature_count} features as {args.format} to {where}", file=sys.stderr)
    return 0


def write_safely(output: Path, text: str) -> None:
    """Write beside the target, then rename: the old file stays whole until the new one is.

    A device or pipe (e.g. /dev/stdout) is written to directly: renaming onto it would
    replace the device itself.
    """
    if output.is_dir():
        raise Failure(f"{output}: is a folder; give a file name to write to")
    if output.exists() and not output.is_file():
        with output.open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        return
    if not output.parent.is_dir():
        raise Failure(f"{output}: the folder {output.parent} does not exist; nothing written")
    handle, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    temporary = Path(name)
    try:
        # newline="": the CSV module already writes its own line ends.
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, output.stat().st_mode if output.exists() else new_file_mode())
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)


def new_file_mode() -> int:
    """What open() would give a new file (mkstemp makes it private)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def add_path(command: argparse.ArgumentParser) -> None:
    command.add_argument("path", nargs="?", type=Path, default=DEFAULT_ROOT,
                         help="data folder with layers.toml (default: geo)")


def add_export_command(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "export", help="write the features the filters show as GeoJSON, CSV or an HTML map")
    # Values known only once the data is loaded are checked then, with this usage line.
    command.set_defaults(command_parser=command)
    add_path(command)
    command.add_argument("--format", required=True, choices=FORMATS)
    command.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    command.add_argument("--layer", action="append", metavar="ID",
                         help=f"layer to include, repeatable; '{ALL_LAYERS}' for every layer "
                              "(default: the layers shown when the page opens)")
    command.add_argument("--category", action="append", metavar="C")
    command.add_argument("--status", action="append", choices=[s.value for s in Status])
    command.add_argument("--year", type=int, metavar="Y", help="status as of this year")
    command.add_argument("--prefecture", action="append", metavar="CODE", help="JIS code, e.g. 43")
    command.add_argument("--text", default="", metavar="Q", help="name contains")
    command.add_argument("--lang", default=DEFAULT_LANG, choices=LANGS)
    command.add_argument("--preset", default="kumamoto", choices=list(PRESETS),
                         help="starting view of the HTML map")
    command.add_argument("--allow-problems", action="store_true",
                         help="write even when the exported layers have problems, leaving out "
                              "what they name (default: write nothing, keep an earlier file)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kumamap", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("validate", "check the catalog and every layer file"),
                            ("layers", "list layers with feature counts")):
        add_path(commands.add_parser(name, help=help_text))
    add_export_command(commands)
    return parser


def run(args: argparse.Namespace) -> int:
    if args.command == "export":
        return export_view(args)
    command = validate if args.command == "validate" else list_layers
    return command(args.path)


def main(argv: Sequence[str] | None = None) -> int:
    """Every failure ends as one line on stderr and exit 1, never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except Failure as failure:
        message = str(failure)
    except OSError as err:  # the disk, not the data: full, read-only, permissions
        where = err.filename or getattr(args, "output", None) or args.path
        message = f"{where}: {err.strerror or err}; nothing written"
    print(f"kumamap: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
