"""`python -m recovery_journal` runs the same command as `recovery-journal`."""

from .launch import main

main()
