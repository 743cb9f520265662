"""The journal service: the unlocked Journal and its books, opening one, composing in the editor or a pipe.

May import settings, sealing, storage, domain, stages, paths, errors; never the terminal (typer, rich).
"""
