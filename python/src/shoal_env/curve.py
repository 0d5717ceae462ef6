"""CurveZMQ for the server socket: its key pair from a Shoal key file (`shoal keygen`), and a ZAP handler that admits
only the client keys of an allow-list (a file of public keys, one a line, or a directory of `.pub` files)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zmq
from zmq.auth.thread import ThreadAuthenticator

log = logging.getLogger("shoal_env")

KEY_CHARS = 40


class KeyFileError(ValueError):
    """A key file or allow-list that cannot be read or holds no key."""


def read_key(path: str | Path) -> bytes:
    """The Z85 key of a Shoal key file: its first line that is neither empty nor a `#` comment."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as error:
        raise KeyFileError(f"cannot read key file {path}: {error.strerror}") from None
    for line in lines:
        key = line.strip()
        if key and not key.startswith("#"):
            if len(key) != KEY_CHARS:
                break
            return key.encode()
    raise KeyFileError(f"{path} holds no CURVE key ({KEY_CHARS} Z85 characters)")


def read_allow_list(path: str | Path) -> frozenset[bytes]:
    """The public keys of an allow-list: a file of keys, one a line, or a directory of `*.pub` files."""
    folder = Path(path)
    if folder.is_dir():
        return frozenset(read_key(file) for file in sorted(folder.glob("*.pub")))
    try:
        lines = folder.read_text().splitlines()
    except OSError as error:
        raise KeyFileError(f"cannot read allow-list {path}: {error.strerror}") from None
    keys = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    for key in keys:
        if len(key) != KEY_CHARS:
            raise KeyFileError(f"allow-list {path}: {key!r} is not a public key")
    return frozenset(key.encode() for key in keys)


@dataclass(frozen=True)
class CurveServer:
    """A server's CURVE setup: its secret key and the client public keys it admits (Z85)."""

    secret_key: bytes
    allowed: frozenset[bytes]

    @classmethod
    def from_files(cls, secret_key: str | Path, allow: str | Path) -> CurveServer:
        """Reads the setup from `shoal keygen` files; raises KeyFileError naming a bad one."""
        return cls(read_key(secret_key), read_allow_list(allow))

    def apply(self, context: zmq.Context[Any], socket: zmq.Socket[Any]) -> ThreadAuthenticator:
        """Makes `socket` (before it binds) a CURVE server admitting only the allowed keys; returns the started ZAP
        handler, to stop when the socket closes."""
        public_key = zmq.curve_public(self.secret_key)
        authenticator = ThreadAuthenticator(context, log=logging.getLogger("shoal_env.zap"))
        authenticator.start()
        authenticator.configure_curve_callback(domain="*", credentials_provider=self)
        socket.curve_secretkey = self.secret_key
        socket.curve_publickey = public_key
        socket.curve_server = True
        log.info("CURVE: public key %s, %d client keys allowed", public_key.decode(), len(self.allowed))
        return authenticator

    def callback(self, domain: str, key: bytes) -> bool:
        """The ZAP handler's question: may the client with this Z85 public key connect?"""
        if key in self.allowed:
            return True
        log.warning("refused a CURVE client with key %s: not on the allow-list", key.decode(errors="replace"))
        return False
