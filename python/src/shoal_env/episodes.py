"""Return and length of each environment's running episode."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt


class EpisodeCounters:
    """Per-environment return (a float64 sum of rewards) and length, started afresh when an episode ends.

    When the environment counts its episodes itself (gymnasium's RecordEpisodeStatistics puts
    {"episode": {"r", "l"}} in the info of an episode's last step), its figures are reported instead: a wrapper
    outside it that clips rewards then still reports the unclipped return, as env.proto asks.
    """

    def __init__(self, num_envs: int) -> None:
        self.returns = np.zeros(num_envs, dtype=np.float64)
        self.lengths = np.zeros(num_envs, dtype=np.int64)

    def restart(self) -> None:
        """Every environment starts a new episode."""
        self.returns[:] = 0.0
        self.lengths[:] = 0

    def step(
        self, rewards: npt.NDArray[np.float64], ended: npt.NDArray[np.intp], infos: dict[str, Any]
    ) -> list[tuple[float, int]]:
        """Counts one step of every environment; the (return, length) of each episode in `ended`, in that order."""
        self.returns += rewards
        self.lengths += 1
        if len(ended) == 0:
            return []
        episodes = list(zip(self.returns[ended].tolist(), self.lengths[ended].tolist()))
        _take_recorded(episodes, ended, infos)
        self.returns[ended] = 0.0
        self.lengths[ended] = 0
        return episodes


def _take_recorded(episodes: list[tuple[float, int]], ended: npt.NDArray[np.intp], infos: dict[str, Any]) -> None:
    """Replaces counted figures by those RecordEpisodeStatistics reported in the final infos, where it did."""
    final = infos.get("final_info")
    if not isinstance(final, dict) or "episode" not in final:
        return
    recorded, mask = final["episode"], final.get("_episode")
    if not isinstance(recorded, dict) or mask is None:
        return
    try:
        for slot, env in enumerate(ended.tolist()):
            if mask[env]:
                episodes[slot] = (float(recorded["r"][env]), int(recorded["l"][env]))
    except (KeyError, IndexError, TypeError, ValueError):
        return
