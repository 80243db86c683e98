"""What the SEN2 commands share: choosing the area, the size limit, exit codes."""

from django.core.management.base import CommandError

from everychild.areas.models import Area
from everychild.returns.sen2.reading import DEFAULT_MAX_BYTES

# Exit codes: 0 all well (or warnings only), 1 the data has errors, 2 the file or the
# command could not be used at all.
EXIT_ERRORS = 1
EXIT_UNUSABLE = 2


def add_size_limit(parser) -> None:
    parser.add_argument(
        "--max-size",
        type=int,
        default=DEFAULT_MAX_BYTES // 1024**2,
        metavar="MB",
        help=f"refuse a file larger than this many megabytes (default "
        f"{DEFAULT_MAX_BYTES // 1024**2})",
    )


def max_bytes(options) -> int:
    if options["max_size"] <= 0:
        raise CommandError("--max-size must be a positive number of megabytes.", returncode=2)
    return options["max_size"] * 1024**2


def choose_area(la: str | None) -> Area:
    if la:
        area = (
            Area.objects.filter(old_la_code=la).first() or Area.objects.filter(la_code=la).first()
        )
        if area is None:
            raise CommandError(f"There is no area with LA number {la}.", returncode=2)
        return area
    areas = list(Area.objects.all()[:2])
    if not areas:
        raise CommandError("There is no area in EveryChild yet.", returncode=2)
    if len(areas) > 1:
        raise CommandError("There is more than one area: say which with --la.", returncode=2)
    return areas[0]
