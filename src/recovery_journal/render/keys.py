"""How a recovery code is shown: once, clearly, with what to do with it."""

from __future__ import annotations

from rich.panel import Panel
from rich.text import Text

from .output import Output

KEEP_IT = (
    "Write this down and keep it somewhere safe, away from this computer.\n"
    "It opens this journal, and every backup made from now on. If the passphrase is ever forgotten, "
    "`recovery-journal recover` uses it to set a new one, and "
    "`recovery-journal backup restore FILE --recovery-code` opens a backup with it.\n"
    "It won't be shown again."
)
OLD_CODE = "The old code no longer opens the journal; it still opens the backups made while it was current."


def show_recovery_code(out: Output, code: str, *, first: bool) -> None:
    """The code goes to stdout (it is the result); the explanation goes with it."""
    title = "Your recovery code" if first else "Your new recovery code"
    if out.rich:
        body = Text()
        body.append(code, style="bold")
        body.append("\n\n" + KEEP_IT + ("" if first else "\n" + OLD_CODE))
        out.show(Panel(body, title=title, expand=False, padding=(1, 2)))
    else:
        out.lines([f"{title}: {code}", KEEP_IT.replace("\n", " ")] + ([] if first else [OLD_CODE]))
