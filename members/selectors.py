"""Reading a cooperative's member register and board."""

from core.identifiers import mask_nik
from koperasi.models import Cooperative

from .models import MemberStatus
from .models import PersonalDataRead
from .services import governance_issues

__all__ = ["MEMBER_REDACTIONS", "member_section", "personal_data_reads"]


def member_section(cooperative: Cooperative) -> dict:
    """The members card of the cooperative page: how many are active, and what the board still lacks."""
    return {"member_count": cooperative.members.filter(status=MemberStatus.AKTIF).count(),
            "governance": governance_issues(cooperative)}


# What a reader who may not see personal data is shown of a member's history: with the masked NIK, a
# full birth date (plus sex and domicile) would rebuild the NIK, so only the year remains.
MEMBER_REDACTIONS = {
    "nik": mask_nik,
    "birth_date": lambda value: getattr(value, "year", value),
    "phone": lambda value: "•••",
    "address": lambda value: "•••" if value else value,
    "rt": lambda value: "•••" if value else value,
    "rw": lambda value: "•••" if value else value,
}


def personal_data_reads(*, filters: dict | None = None):
    """The log of full-NIK reads, newest first (for the national administrator)."""
    reads = PersonalDataRead.objects.select_related("user")
    user = (filters or {}).get("user", "").strip()
    return reads.filter(user__email__icontains=user) if user else reads
