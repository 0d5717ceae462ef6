"""Shoal's environment server: gymnasium environments served over Shoal's environment protocol (env.proto)."""

from __future__ import annotations

__version__ = "0.1.0"

#: The version of the environment protocol this package speaks (EnvRequest/EnvReply.protocol_version).
PROTOCOL_VERSION = 1

__all__ = ["PROTOCOL_VERSION", "__version__"]
