"""`python -m shoal_env` runs the shoal-env command."""

from shoal_env.cli import main

raise SystemExit(main())
