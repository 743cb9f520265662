"""The journal service: the unlocked Journal, its books (stages, milestones, counters), opening, the editor.

May import settings, sealing, storage, domain, stages, paths, errors; never the terminal (typer, rich).
"""
