"""Demo of the member registry: two people who applied themselves and wait for Prawoto's pengurus, one who left."""

from datetime import date
from datetime import timedelta

from koperasi.models import Cooperative
from members import services
from members.models import MemberStatus

__all__ = ["members_demo_create"]

PRAWOTO = "33.18.01.2001"


def members_demo_create(*, prawoto_staff, today: date) -> int:
    """Returns the number of applications waiting."""
    cooperative = Cooperative.objects.filter(village_id=PRAWOTO).first()
    if cooperative is None:
        return 0
    waiting = 0
    for sequence, name, sex, day in ((9101, "Sri Wahyuni", "P", 55), (9102, "Agus Salim", "L", 12)):
        nik = f"331801{day:02d}0391{sequence:04d}"
        waiting += application_made(cooperative, nik=nik, name=name, sex=sex)
    member = cooperative.members.order_by("-pk").first()
    if member is not None and not member.positions.filter(ended_on__isnull=True).exists():
        services.member_status_change(actor=prawoto_staff, member=member, status=MemberStatus.KELUAR,
                                      status_on=max(member.joined_on, today - timedelta(days=10)),
                                      reason="Pindah domisili ke Kudus")
    return waiting


def application_made(cooperative, *, nik: str, name: str, sex: str) -> int:
    application = services.application_submit(
        cooperative=cooperative, nik=nik, name=name, sex=sex, domicile_code=cooperative.village_id,
        address="Dusun Krajan", rt="2", rw="1", occupation="Petani", phone="081234560000")
    return 1 if application else 0
