"""A server-wide memory budget for what readers upload, pure and thread-safe.

Every session may hold one uploaded layer, and a parsed layer costs many times its file's
bytes (measured in benchmarks/README.md, "Readers holding uploads"). Without a bound, 30
readers each holding the largest upload would take a 2 GB replica down for everyone. A
layer reserves its estimated cost before it is parsed; the reservation ends when the
session drops the layer (another file, no file) or the session itself is gone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# Measured: a 5 MB GeoJSON of 10,000 polygons held by a session adds ~38 MB of server RSS
# (benchmarks/uploads.py, the replicas' environment); rounded up, so the estimate errs on
# the safe side: 500 MB lets 12 readers hold the largest upload at once.
COST_PER_FILE_BYTE = 8
UPLOAD_BUDGET_BYTES = 500_000_000


@dataclass(frozen=True)
class Refusal:
    used: int
    limit: int


class Budget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        with self._lock:
            return sum(self._held.values())

    def reserve(self, key: str, amount: int) -> Refusal | None:
        """Hold `amount` under `key`, or say why not (None: reserved)."""
        with self._lock:
            used = sum(self._held.values()) - self._held.get(key, 0)
            if used + amount > self.limit:
                return Refusal(used, self.limit)
            self._held[key] = amount
            return None

    def release(self, key: str) -> None:
        with self._lock:
            self._held.pop(key, None)


def upload_cost(file_bytes: int) -> int:
    return file_bytes * COST_PER_FILE_BYTE


UPLOADS = Budget(UPLOAD_BUDGET_BYTES)
