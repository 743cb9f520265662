"""A stand-in for a person in their editor: writes the configured text, records what it saw, exits as told.

Usage (as $EDITOR): python fake_editor.py SPEC.json FILE
"""

import json
import os
import stat
import sys
from pathlib import Path

spec = json.loads(Path(sys.argv[1]).read_text())
target = Path(sys.argv[2])
seen = {
    "path": str(target),
    "file_mode": stat.S_IMODE(target.stat().st_mode),
    "dir_mode": stat.S_IMODE(target.parent.stat().st_mode),
    "root_mode": stat.S_IMODE(target.parent.parent.stat().st_mode),
    "initial": target.read_text(encoding="utf-8"),
    "secrets_seen": sorted(k for k in os.environ if "PASSPHRASE" in k or "RECOVERY_CODE" in k),
}
if spec.get("raw_hex") is not None:  # bytes as some editors save them: not always UTF-8
    target.write_bytes(bytes.fromhex(spec["raw_hex"]))
elif spec["text"] is not None:
    with open(target, "a" if spec["append"] else "w", encoding="utf-8") as handle:
        handle.write(spec["text"])
# Editors leave swap or backup files beside the one they edit; the session must clean those up too.
(target.parent / ".entry.md.swp").write_bytes(b"swap")
Path(spec["log"]).write_text(json.dumps(seen))
os.sys.exit(spec["status"])
