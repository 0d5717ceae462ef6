"""Return and length of each environment's running episode."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium.vector import AutoresetMode


class EpisodeCounters:
    """Per-environment return (a float64 sum of rewards) and length, started afresh when an episode ends.

    In NEXT_STEP mode, the step after an episode's end is the environment's reset step: it counts toward no episode
    (its reward is 0 anyway), so that lengths count the steps actually taken, as in SAME_STEP mode.

    When the environment counts its episodes itself (gymnasium's RecordEpisodeStatistics puts {"episode": {"r", "l"}}
    in the info of an episode's last step: infos["final_info"] of a SAME_STEP vector env, the step's infos of a
    NEXT_STEP one), its figures are reported instead: a wrapper outside it that clips rewards then still reports the
    unclipped return, as env.proto asks.
    """

    def __init__(self, num_envs: int, autoreset_mode: AutoresetMode = AutoresetMode.SAME_STEP) -> None:
        self.next_step = autoreset_mode == AutoresetMode.NEXT_STEP
        self.returns = np.zeros(num_envs, dtype=np.float64)
        self.lengths = np.zeros(num_envs, dtype=np.int64)
        #: NEXT_STEP: the environments whose episode ended on the last step, so that their next step is a reset step.
        self._resetting: npt.NDArray[np.intp] = np.empty(0, dtype=np.intp)

    def restart(self) -> None:
        """Every environment starts a new episode."""
        self.returns[:] = 0.0
        self.lengths[:] = 0
        self._resetting = np.empty(0, dtype=np.intp)

    def step(
        self, rewards: npt.NDArray[np.float64], ended: npt.NDArray[np.intp], infos: dict[str, Any]
    ) -> list[tuple[float, int]]:
        """Counts one step of every environment; the (return, length) of each episode in `ended`, in that order."""
        self.returns += rewards
        self.lengths += 1
        if len(self._resetting):
            # Their episodes ended on the last step (and were counted from 0 again): this reset step counts for none.
            self.returns[self._resetting] = 0.0
            self.lengths[self._resetting] = 0
        if self.next_step:
            self._resetting = ended
        if len(ended) == 0:
            return []
        episodes = list(zip(self.returns[ended].tolist(), self.lengths[ended].tolist()))
        _take_recorded(episodes, ended, infos if self.next_step else infos.get("final_info"))
        self.returns[ended] = 0.0
        self.lengths[ended] = 0
        return episodes


def _take_recorded(episodes: list[tuple[float, int]], ended: npt.NDArray[np.intp], final: Any) -> None:
    """Replaces counted figures by those RecordEpisodeStatistics reported in `final`, the infos of the episodes' last
    steps, where it did."""
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
