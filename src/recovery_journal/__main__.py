"""`python -m recovery_journal` runs the same command as `recovery-journal`."""

from .cli import main

main()
