"""Care for the person writing: support lines, a safety plan's shape, the gentle check, prompts.

Standard library only: imports nothing from the rest of recovery_journal, so `support` needs no journal.
"""
