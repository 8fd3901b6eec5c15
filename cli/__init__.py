"""The ``newsfacts`` command: a door of its own, outside the core package. It summarises files on the
one pipeline, and starts the other doors (``serve``: the HTTP API, ``eval``: the evals) and the queue
worker. ``cli.main`` is the command; ``python -m cli`` runs it too."""
