"""One journal on several devices: `sync`, `sync setup`, `sync join`, `sync status`, `sync leave`.

Commands like the rest of commands/: they may import what commands may (never storage or sealing).
"""
