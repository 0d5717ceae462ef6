"""Shoal's environment server: gymnasium environments served over Shoal's environment protocol (env.proto); and
`load_policy`, a policy exported by `shoal export` rebuilt with numpy."""

from __future__ import annotations

from shoal_env.policy import Policy, load_policy

__version__ = "0.1.0"

#: The version of the environment protocol this package speaks (EnvRequest/EnvReply.protocol_version).
PROTOCOL_VERSION = 1

__all__ = ["PROTOCOL_VERSION", "Policy", "__version__", "load_policy"]
