"""process_pool.OrderedPool: results in the items' order, in worker processes or in this one."""

import operator
import os

import pytest

from vatstats_assets.process_pool import OrderedPool


@pytest.mark.parametrize("workers", [0, 2])
def test_results_come_back_in_the_order_of_the_items(workers: int) -> None:
    with OrderedPool(workers) as pool:
        assert list(pool.map(operator.neg, range(50))) == [-n for n in range(50)]


def test_without_workers_the_items_are_worked_in_this_process() -> None:
    with OrderedPool(0) as pool:
        assert set(pool.map(_process_id, range(3))) == {os.getpid()}


def test_items_are_read_only_as_far_ahead_as_two_a_worker() -> None:
    read: list[int] = []

    def items():
        for n in range(20):
            read.append(n)
            yield n

    with OrderedPool(1) as pool:
        results = pool.map(operator.neg, items())
        assert next(results) == 0
        assert len(read) == 2


def test_a_worker_that_raises_raises_in_the_caller() -> None:
    with OrderedPool(1) as pool, pytest.raises(ValueError, match="invalid literal"):
        list(pool.map(int, ["12", "not a number"]))


def test_a_negative_number_of_workers_is_refused() -> None:
    with pytest.raises(ValueError, match="workers must be 0 or more, not -1"):
        OrderedPool(-1)


def _process_id(_: int) -> int:
    return os.getpid()
