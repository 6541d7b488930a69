"""Reading a cooperative's member register and board."""

from koperasi.models import Cooperative

from .services import governance_issues

__all__ = ["member_section"]


def member_section(cooperative: Cooperative) -> dict:
    """The members card of the cooperative page: how many, and what the board still lacks."""
    return {"member_count": cooperative.members.count(), "governance": governance_issues(cooperative)}
