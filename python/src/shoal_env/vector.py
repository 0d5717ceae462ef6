"""Building the M environments of a server as one vector environment, and the autoreset mode it is served in.

env.proto reports episode ends in one of two autoreset modes. In SAME_STEP, the step that ends an episode carries its
reward and flags, its final observation, and the first observation of the next episode. In NEXT_STEP (gymnasium's
default for vector envs, and the only mode of many native ones, such as gymnasium 1.4.0's CartPoleVectorEnv), that
step returns the episode's last observation, and the environment's next step is a reset step: its action is ignored,
its reward is 0, and it returns the next episode's first observation. Shoal's actor records reset steps and masks them
out of learning.

An environment that is natively vectorised (its gymnasium spec has a vector_entry_point) is served by its own vector
env, in the mode it declares, SAME_STEP or NEXT_STEP: it is usually far faster than M single environments
(CartPole-v1's CartPoleVectorEnv, NEXT_STEP only, steps over ten times faster than SyncVectorEnv at M=64). Any other
environment is served by gymnasium's SyncVectorEnv in SAME_STEP mode, which spends no step on resets.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import gymnasium as gym
from gymnasium.envs.registration import EnvSpec
from gymnasium.vector import AutoresetMode, SyncVectorEnv, VectorEnv
from gymnasium.wrappers import TimeLimit

from shoal_env.errors import one_line as _one_line
from shoal_env.wrappers import Pipeline, pipelines

log = logging.getLogger("shoal_env")

Vectorization = Literal["auto", "sync", "native"]
VECTORIZATIONS: tuple[Vectorization, ...] = ("auto", "sync", "native")

GYMNASIUM_PREFIX = "gymnasium:"
PYTHON_PREFIX = "python:"

#: Namespaces whose package registers its ids only when asked, not on import: the module and its function to call
#: (None when importing is enough), so that `gymnasium:MinAtar/Breakout-v1` works as it is written.
REGISTRARS: dict[str, tuple[str, str | None]] = {
    "MinAtar": ("minatar.gym", "register_envs"),
    "ALE": ("ale_py", None),
}


class EnvMakeError(RuntimeError):
    """An environment string that cannot be turned into a vector environment; the message says why."""


@dataclass
class VectorEnvironment:
    """A vector env of M environments, and what the protocol says about it."""

    env: VectorEnv[Any, Any, Any]
    #: The name in EnvSpec: the gymnasium id, or "module:callable".
    name: str
    #: "sync" (gymnasium's SyncVectorEnv around M single envs) or "native" (the environment's own vector env).
    vectorization: Literal["sync", "native"]
    #: The time limit that truncates episodes, 0 when there is none or it is unknown.
    max_episode_steps: int
    #: SAME_STEP or NEXT_STEP: how the vector env reports episode ends (see the module's docstring).
    autoreset_mode: AutoresetMode = AutoresetMode.SAME_STEP

    @property
    def num_envs(self) -> int:
        return int(self.env.num_envs)

    @property
    def implementation(self) -> str:
        """The vector env's class name, for logs and EnvSpec.server."""
        return type(self.env.unwrapped).__name__


def make_vector_env(
    env: str,
    num_envs: int,
    env_args: dict[str, Any] | None = None,
    vectorization: Vectorization = "auto",
    wrappers: Sequence[str] = (),
) -> VectorEnvironment:
    """The vector env of an environment string, `gymnasium:<id>` or `python:<module>:<callable>`.

    `env_args` are keyword arguments for `gymnasium.make` (or `make_vec`) or for the callable. For a gymnasium id,
    `vectorization` picks the environment's own vectorised implementation ("native", its `vector_entry_point`) or
    gymnasium's SyncVectorEnv around M single envs in SAME_STEP mode ("sync"). "auto" takes the native one whenever
    there is one, in the mode its metadata["autoreset_mode"] declares: SAME_STEP, or NEXT_STEP (also when it declares
    none, gymnasium's default), in which Shoal masks the reset steps out of learning. It falls back to SyncVectorEnv
    when there is none, when it cannot be made, or when it declares another mode (DISABLED). A `python:` callable,
    which returns one `gymnasium.Env`, is always served by SyncVectorEnv. `wrappers` names pipelines
    (`shoal_env.wrappers`) applied to each environment, in order; with any, a gymnasium id is served by SyncVectorEnv.
    """
    if num_envs < 1:
        raise EnvMakeError(f"the number of environments must be at least 1, not {num_envs}")
    if vectorization not in VECTORIZATIONS:
        raise EnvMakeError(f"vectorization must be one of {', '.join(VECTORIZATIONS)}, not {vectorization!r}")
    args = dict(env_args or {})
    try:
        chosen = pipelines(list(wrappers))
    except KeyError as error:
        raise EnvMakeError(f"{env}: {error.args[0]}") from None
    if chosen and vectorization == "native":
        raise EnvMakeError(f"{env}: wrappers wrap single environments; only sync vectorization serves them")
    if env.startswith(GYMNASIUM_PREFIX):
        return _make_gymnasium(env[len(GYMNASIUM_PREFIX) :], num_envs, args, vectorization, chosen)
    if env.startswith(PYTHON_PREFIX):
        if vectorization == "native":
            raise EnvMakeError(f"{env}: a python: callable makes one environment; only sync vectorization serves it")
        return _make_python(env[len(PYTHON_PREFIX) :], num_envs, args, chosen)
    raise EnvMakeError(f"environment {env!r} must be gymnasium:<id> or python:<module>:<callable>")


def _make_gymnasium(
    env_id: str, num_envs: int, env_args: dict[str, Any], vectorization: Vectorization, chosen: list[Pipeline]
) -> VectorEnvironment:
    spec = _find_spec(env_id)
    for pipeline in chosen:
        env_args = {**pipeline.make_args, **env_args}
    if vectorization != "sync" and not chosen:
        native = _make_native(spec, env_id, num_envs, env_args, required=vectorization == "native")
        if native is not None:
            return native
    try:
        # gymnasium.make's PassiveEnvChecker stays on: it only checks the first reset and step, and serving without it
        # measured no faster (CartPole-v1, M=16).
        vector = gym.make_vec(
            env_id,
            num_envs=num_envs,
            vectorization_mode="sync",
            # copy=False: the server encodes the observations before the next step overwrites them.
            vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP, "copy": False},
            wrappers=[pipeline.wrap for pipeline in chosen],
            **env_args,
        )
    except Exception as error:
        raise EnvMakeError(f"gymnasium:{env_id}: {_one_line(error)}") from error
    return VectorEnvironment(vector, env_id, "sync", _sync_time_limit(vector, spec))


def _make_native(
    spec: EnvSpec, env_id: str, num_envs: int, env_args: dict[str, Any], required: bool
) -> VectorEnvironment | None:
    """The environment's own vector env in the mode it declares; None (or an error if `required`) when it has none,
    cannot be made, or declares a mode that is neither SAME_STEP nor NEXT_STEP."""
    if spec.vector_entry_point is None:
        if required:
            raise EnvMakeError(f"gymnasium:{env_id} has no vectorised implementation (no vector_entry_point)")
        return None
    try:
        vector = gym.make_vec(env_id, num_envs=num_envs, vectorization_mode="vector_entry_point", **env_args)
    except Exception as error:
        if required:
            raise EnvMakeError(f"gymnasium:{env_id}: {_one_line(error)}") from error
        log.warning("gymnasium:%s: its own vector env failed (%s); using SyncVectorEnv", env_id, _one_line(error))
        return None
    # A vector env that declares no mode autoresets on the next step, as gymnasium's own wrappers assume.
    mode = vector.metadata.get("autoreset_mode", AutoresetMode.NEXT_STEP)
    if mode not in (AutoresetMode.SAME_STEP, AutoresetMode.NEXT_STEP):
        vector.close()
        problem = (
            f"gymnasium:{env_id}'s own vector env ({type(vector.unwrapped).__name__}) autoresets in mode "
            f"{getattr(mode, 'name', mode)}, neither SAME_STEP nor NEXT_STEP"
        )
        if required:
            raise EnvMakeError(f"{problem} (use --vectorization sync or auto)")
        log.warning("%s; using SyncVectorEnv", problem)
        return None
    limit = env_args.get("max_episode_steps", spec.max_episode_steps)
    return VectorEnvironment(vector, env_id, "native", _steps(limit), mode)


def _make_python(target: str, num_envs: int, env_args: dict[str, Any], chosen: list[Pipeline]) -> VectorEnvironment:
    factory = load_callable(target)

    def make_one() -> gym.Env[Any, Any]:
        made = factory(**env_args)
        if not isinstance(made, gym.Env):
            raise EnvMakeError(f"python:{target} returned {type(made).__name__}, not a gymnasium.Env")
        wrapped: gym.Env[Any, Any] = made
        for pipeline in chosen:
            wrapped = pipeline.wrap(wrapped)
        return wrapped

    try:
        vector = SyncVectorEnv(
            [make_one] * num_envs, copy=False, autoreset_mode=AutoresetMode.SAME_STEP
        )
    except EnvMakeError:
        raise
    except Exception as error:
        raise EnvMakeError(f"python:{target}: {_one_line(error)}") from error
    first = vector.envs[0]
    return VectorEnvironment(vector, target, "sync", _sync_time_limit(vector, first.spec))


def load_callable(target: str) -> Callable[..., Any]:
    """The callable named by "module:name" (name may be dotted, "module:Class.method")."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise EnvMakeError(f"python:{target} must name a module and a callable: python:<module>:<callable>")
    try:
        found: Any = importlib.import_module(module_name)
    except Exception as error:
        raise EnvMakeError(
            f"python:{target}: cannot import {module_name} ({_one_line(error)}); is it on the Python path "
            f"(PYTHONPATH)?"
        ) from error
    for part in attribute.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            raise EnvMakeError(f"python:{target}: {module_name} has no {attribute}") from None
    if not callable(found):
        raise EnvMakeError(f"python:{target}: {attribute} is a {type(found).__name__}, not a callable")
    return found  # type: ignore[no-any-return]


def _find_spec(env_id: str) -> EnvSpec:
    """The registered spec of an id, importing its module first for the "module:Env-v0" form gymnasium allows."""
    module, _, name = env_id.rpartition(":")
    _register_namespace(env_id, name)
    try:
        if module:
            importlib.import_module(module)
        return gym.spec(name)
    except Exception as error:
        raise EnvMakeError(f"gymnasium:{env_id}: {_one_line(error)}") from error


def _register_namespace(env_id: str, name: str) -> None:
    """Registers the namespace of `name` through its package (REGISTRARS) if it is one of those and not yet there."""
    namespace = name.split("/", 1)[0] if "/" in name else ""
    if namespace not in REGISTRARS or any(key.startswith(namespace + "/") for key in gym.registry):
        return
    module_name, function = REGISTRARS[namespace]
    try:
        module = importlib.import_module(module_name)
        if function is not None:
            getattr(module, function)()
    except Exception as error:
        raise EnvMakeError(
            f"gymnasium:{env_id}: the {namespace} namespace is registered by {module_name}, which failed "
            f"({_one_line(error)}); install its package in the Python that serves environments (pythonExecutable)"
        ) from error


def _sync_time_limit(vector: VectorEnv[Any, Any, Any], spec: EnvSpec | None) -> int:
    """The TimeLimit around the first sub-environment, else the spec's, else 0."""
    env: Any = vector.envs[0] if isinstance(vector, SyncVectorEnv) else None
    while isinstance(env, gym.Wrapper):
        if isinstance(env, TimeLimit):
            return _steps(env._max_episode_steps)
        env = env.env
    return _steps(spec.max_episode_steps if spec is not None else None)


def _steps(limit: Any) -> int:
    return int(limit) if isinstance(limit, int) and limit > 0 else 0

