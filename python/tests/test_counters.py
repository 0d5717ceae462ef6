"""Episode returns and lengths as the server counts them, in both autoreset modes."""

from __future__ import annotations

import numpy as np
from gymnasium.vector import AutoresetMode

from shoal_env.episodes import EpisodeCounters


def count(counters: EpisodeCounters, rewards: list[float], ended: list[int]) -> list[tuple[float, int]]:
    return counters.step(np.array(rewards, np.float64), np.array(ended, np.intp), {})


def test_same_step_counts_every_step() -> None:
    counters = EpisodeCounters(2)
    assert count(counters, [1.0, 0.5], []) == []
    assert count(counters, [1.0, 0.5], [1]) == [(1.0, 2)]
    assert count(counters, [1.0, 0.5], [0, 1]) == [(3.0, 3), (0.5, 1)]


def test_next_step_reset_steps_count_toward_no_episode_whatever_their_reward() -> None:
    counters = EpisodeCounters(2, AutoresetMode.NEXT_STEP)
    assert count(counters, [1.0, 2.0], []) == []
    assert count(counters, [1.0, 2.0], [0]) == [(2.0, 2)]
    assert count(counters, [7.0, 2.0], []) == []  # environment 0's reset step
    assert count(counters, [1.0, 2.0], [0, 1]) == [(1.0, 1), (8.0, 4)]
    # Both reset; environment 1 reports an end on its reset step, an episode of no steps.
    assert count(counters, [float("nan"), 3.0], [1]) == [(0.0, 0)]
    assert count(counters, [1.0, 9.0], [0]) == [(1.0, 1)]  # environment 1 resets again
    assert count(counters, [0.0, 4.0], [1]) == [(4.0, 1)]


def test_a_restart_forgets_the_reset_steps_to_come() -> None:
    counters = EpisodeCounters(2, AutoresetMode.NEXT_STEP)
    assert count(counters, [1.0, 1.0], [0]) == [(1.0, 1)]
    counters.restart()
    assert count(counters, [1.0, 1.0], [0, 1]) == [(1.0, 1), (1.0, 1)]
