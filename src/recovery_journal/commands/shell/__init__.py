"""Fitting the journal to your shell: the config file, completion scripts, and help that works offline.

Commands like the rest of commands/: they may import what commands may (never storage or sealing).
"""
