"""
Pure SHU arithmetic: splitting whole rupiah by weights so that no rupiah is lost or made up.

The largest-remainder rule (Hamilton's method): every part first gets the floor of its exact share; the
rupiah left over (fewer than the number of parts) go one each to the parts with the largest fractional
remainders, ties to the earlier part (the order given: members by id). The parts always sum to the total.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["BASIS_POINTS", "split_largest_remainder"]

BASIS_POINTS = 10_000  # 100 %


def split_largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (whole numbers ≥ 0, not all zero); the parts sum to ``total``."""
    weight_sum = sum(weights)
    if total < 0 or weight_sum <= 0 or any(weight < 0 for weight in weights):
        raise ValueError("split needs a non-negative total and non-negative weights with a positive sum")
    parts = []
    remainders = []
    for index, weight in enumerate(weights):
        share, remainder = divmod(total * weight, weight_sum)  # exact integer arithmetic, no floats
        parts.append(share)
        remainders.append((-remainder, index))
    for _remainder, index in sorted(remainders)[: total - sum(parts)]:
        parts[index] += 1
    return parts
