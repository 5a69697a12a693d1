"""The `onestop` console command: every operational task, wrapping manage.py.

`onestop seed-demo`, `onestop audit verify`, `onestop pii rotate`, `onestop worker`, and every
Django command (`onestop migrate`, `onestop createsuperuser`, ...). Dashes and spaces are
accepted where the command's module name has underscores (`seed-demo` -> `seed_demo`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["onestop", *args[1:]])


if __name__ == "__main__":
    main()
