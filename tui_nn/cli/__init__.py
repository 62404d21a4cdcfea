"""The command line. ``main`` puts the one parser together; a module per command group adds its
subcommands and handlers (run, runs, sweep, evaluate, bench, app); ``exits`` holds the exit codes,
``overrides`` the one ``--set``, ``output`` and ``signals`` what every command shares."""
