"""How sync results read: calm plain lines for people, and the fields of the JSON documents."""

from __future__ import annotations

from typing import Any

from ...domain.words import counted
from ...sync.engine import Status, SyncReport


def report_json(report: SyncReport) -> dict[str, Any]:
    return {
        "folder": str(report.folder),
        "device": report.device,
        "files_applied": report.files_applied,
        "entries_added": report.entries_added,
        "entries_updated": report.entries_updated,
        "entries_removed": report.entries_removed,
        "conflicts": report.conflicts,
        "other_changes": report.others_changed,
        "written": report.written,
        "entries_sent": report.entries_sent,
        "deletions_sent": report.deletions_sent,
        "skipped": [{"device": s.device, "file": s.name, "why": s.why} for s in report.skipped],
        "not_sent": report.not_sent,
    }


def report_lines(report: SyncReport) -> list[str]:
    lines = []
    took = [
        (report.entries_added, "new entry", "new entries"),
        (report.entries_updated, "changed entry", "changed entries"),
        (report.entries_removed, "deleted entry", "deleted entries"),
        (report.others_changed, "other change", "other changes"),
    ]
    brought = [counted(n, one, many) for n, one, many in took if n]
    if brought:
        lines.append(f"Brought in from your other devices: {', '.join(brought)}.")
    if report.conflicts:
        lines.append(
            f"{counted(report.conflicts, 'entry was', 'entries were')} changed on two devices; both versions "
            "are kept (`history` shows them)."
        )
    if report.written is not None:
        sent = [counted(report.entries_sent, "entry", "entries")]
        if report.deletions_sent:
            sent.append(counted(report.deletions_sent, "deletion", "deletions"))
        lines.append(f"Sent from this device: {', '.join(sent)}.")
    if not brought and report.written is None:
        lines.append("Everything is in step: nothing new either way.")
    for skipped in report.skipped:
        lines.append(
            f"Left {skipped.device}/{skipped.name} for next time: {skipped.why}. It changed nothing; a sync "
            "tool may still be copying it."
        )
    if report.not_sent:
        shown = ", ".join(map(str, report.not_sent))
        lines.append(f"Entries {shown} couldn't be opened, so they weren't sent; `doctor` says more.")
    return lines


def status_json(status: Status) -> dict[str, Any]:
    return {
        "folder": str(status.folder),
        "device": status.device,
        "to_send": status.to_send,
        "devices": [
            {
                "device": d.device,
                "this_device": d.this_device,
                "last_synced": d.last_synced,
                "written": d.written,
                "applied": d.applied,
                "waiting": d.waiting,
                "readable": d.readable,
            }
            for d in status.devices
        ],
    }


def status_lines(status: Status) -> list[str]:
    lines = [f"Syncing through {status.folder} as device {status.device}."]
    if status.to_send:
        lines.append(f"Waiting to send from here: {counted(status.to_send, 'entry', 'entries')}.")
    else:
        lines.append("Nothing is waiting to be sent from here.")
    for d in status.devices:
        when = f"last synced {d.last_synced} (by its clock)" if d.last_synced else "not synced yet"
        if d.this_device:
            lines.append(f"  {d.device} (this device): {when}.")
            continue
        waiting = (
            f"{counted(d.waiting, 'change file', 'change files')} waiting" if d.waiting else "all taken in"
        )
        unread = "" if d.readable else " Its manifest hasn't arrived whole yet."
        lines.append(f"  {d.device}: {when}; {waiting}.{unread}")
    if len(status.devices) < 2:
        lines.append("No other device has joined yet: `recovery-journal sync join FOLDER` on another one.")
    return lines
