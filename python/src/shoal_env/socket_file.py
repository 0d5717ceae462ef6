"""The file an ``ipc://`` bind creates, removed when the server closes.

libzmq leaves the file behind when the socket closes. It is recorded by its inode when bound and removed only if
it is still that file, so a server that bound the same path since (a restarted one) keeps its own.
"""

from __future__ import annotations

import os


class IpcSocketFile:
    """The socket file at an ``ipc://`` endpoint just bound."""

    def __init__(self, path: str, identity: tuple[int, int]) -> None:
        self.path = path
        self._identity = identity

    @classmethod
    def bound_at(cls, endpoint: str) -> IpcSocketFile | None:
        """The file bound at ``endpoint``; None for other transports, wildcards and abstract sockets."""
        scheme = "ipc://"
        if not endpoint.startswith(scheme):
            return None
        path = endpoint[len(scheme):]
        if path in ("", "*") or path.startswith("@"):
            return None
        identity = _identity(path)
        return cls(path, identity) if identity is not None else None

    def remove(self) -> None:
        """Removes the file if it is still the one bound."""
        if _identity(self.path) == self._identity:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass


def _identity(path: str) -> tuple[int, int] | None:
    try:
        status = os.lstat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino
