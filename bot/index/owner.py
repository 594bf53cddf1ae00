"""Which process holds the embedded index folder, and how to reach it.

Qdrant Edge lets one process open a folder. The process holding it writes
`<folder>/owner.json` (pid, role, and for `serve` its URL and a per-run admin token, readable
only by the folder's owner); `python -m bot ask` and `python -m ingestion` read it to send
their work to the running server instead of failing on the lock. Whoever can read the folder
could change the index anyway, so the token adds no new trust.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

FILE = "owner.json"
ADMIN_INGEST = "/api/admin/ingest"  # served by bot/ops/admin.py


@dataclass(frozen=True)
class Owner:
    pid: int
    role: str  # "serve" or "ingestion"
    url: str = ""
    token: str = ""

    def describe(self) -> str:
        what = "python -m bot serve" if self.role == "serve" else "python -m ingestion"
        return f"{what}, pid {self.pid}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read(folder: Path) -> Owner | None:
    """The live owner recorded in the folder, or None (none, unreadable, or its process died)."""
    try:
        data = json.loads((folder / FILE).read_text(encoding="utf-8"))
        owner = Owner(
            pid=int(data["pid"]),
            role=str(data.get("role", "")),
            url=str(data.get("url", "")),
            token=str(data.get("token", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return owner if _alive(owner.pid) else None


def claim(folder: Path, owner: Owner) -> None:
    """Record this process as the folder's holder (call once the index is open)."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{FILE}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(owner), f)
    os.replace(tmp, folder / FILE)


def release(folder: Path, pid: int | None = None) -> None:
    """Forget the record if it is this process's."""
    current = read(folder)
    if current is None or current.pid == (pid or os.getpid()):
        (folder / FILE).unlink(missing_ok=True)


def post(owner: Owner, path: str, body: dict, *, token: str = "", timeout: float = 600) -> dict:
    """POST JSON to the owning server; returns its JSON reply (an `{"error": …}` reply too).
    Raises OSError when the server cannot be reached."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        owner.url.rstrip("/") + path,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            data = json.loads(exc.read() or b"{}")
        except ValueError:
            data = {}
        return data if isinstance(data, dict) and "error" in data else {"error": str(exc)}
