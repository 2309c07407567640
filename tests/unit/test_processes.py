"""The indexing and reading processes: scheduled as batch work, at the same weight as other programs."""

from __future__ import annotations

import os
import sys

import pytest

from reader.core.processes import process_pool


def _priority() -> tuple[int, int]:
    return os.sched_getscheduler(0), os.getpriority(os.PRIO_PROCESS, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="scheduling classes are Linux's")
def test_pool_processes_are_batch_work_not_starved_by_a_lower_priority() -> None:
    with process_pool(1) as pool:
        policy, nice = pool.submit(_priority).result(timeout=300)  # a hang guard
    assert policy == os.SCHED_BATCH
    assert nice == os.getpriority(os.PRIO_PROCESS, 0)  # not below the programs it shares the machine with
