"""The ``gatesim`` console command installed with the package: the same program
as the Rust binary, run in this process."""

from __future__ import annotations

import sys


def main() -> None:
    """Runs ``gatesim`` with this process's arguments and exits with its code.

    The command installs its own handlers of SIGINT and SIGTERM (this process
    is the command): Ctrl-C stops it as it stops the binary, exit code 130."""
    from . import _gatesim

    sys.stdout.flush()
    code = _gatesim.main(["gatesim", *sys.argv[1:]])
    sys.exit(code)


if __name__ == "__main__":
    main()
