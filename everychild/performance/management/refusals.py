"""What the DfE import commands say when a file is refused: every problem kept, how many more,
and that nothing changed (one wording for every importer of published statistics)."""

from django.core.management.base import CommandError

from everychild.performance.dfe import ImportRefused


def refusal(command, refused: ImportRefused, *, unchanged: str, returncode: int = 1):
    """Write the problems to the command's stderr; return the CommandError to raise."""
    for problem in refused.problems:
        command.stderr.write(f"  {problem}")
    more = refused.total - len(refused.problems)
    if more > 0:
        command.stderr.write(f"  … and {more} more")
    return CommandError(
        f"Nothing was loaded: {refused.total} problem{'s' if refused.total != 1 else ''}"
        f" (listed above). {unchanged}",
        returncode=returncode,
    )
