"""Keep this process's memory (keys, passphrases, words) out of core files and other processes' reach.

Best effort, and silent where the platform can't: no core files at all, and on Linux the process is made
non-dumpable, which also stops other programs running as the same person from attaching to it. A session
agent also locks the key it holds into memory (no swap) and overwrites it when it ends.
"""

from __future__ import annotations

import contextlib
import sys

PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """No core dumps; not dumpable or traceable by others (Linux). Called once, before any secret is read."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def lock_memory(buffer: bytearray) -> bool:
    """Keep these bytes out of swap (mlock) where the system allows it; False where it doesn't."""
    if not buffer:
        return False
    try:
        import ctypes

        view = (ctypes.c_char * len(buffer)).from_buffer(buffer)
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.mlock(ctypes.c_void_p(ctypes.addressof(view)), ctypes.c_size_t(len(buffer))) == 0)
    except (OSError, AttributeError, ValueError, TypeError):
        return False


def wipe(buffer: bytearray) -> None:
    """Overwrite a secret held in a mutable buffer, in place."""
    buffer[:] = bytes(len(buffer))
