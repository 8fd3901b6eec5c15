"""``python -m cli``: the ``newsfacts`` command."""

from cli.main import main

raise SystemExit(main())
