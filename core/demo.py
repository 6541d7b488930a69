"""Demo accounts for the quickstart (``manage.py seed_demo``). Never run this on a real server."""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import RoleAssignment
from accounts.models import User
from accounts.roles import Role

__all__ = ["DEMO_PASSWORD", "DemoLogin", "demo_users_create"]

DEMO_PASSWORD = "demo-kopdes-2025"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    persona: str
    roles: tuple[tuple[str, str | None], ...]


DEMO_LOGINS = (
    DemoLogin("admin@demo.kopdes.id", "Admin Nasional", "National administrator", ((Role.NATIONAL_ADMIN, None),)),
    DemoLogin("pati@demo.kopdes.id", "Dinas Koperasi Kab. Pati", "District officer, Kabupaten Pati",
              ((Role.KABUPATEN_OFFICER, "33.18"),)),
    DemoLogin("sukolilo@demo.kopdes.id", "Koordinator Kec. Sukolilo", "Kecamatan officer, Sukolilo (Pati)",
              ((Role.KECAMATAN_OFFICER, "33.18.01"),)),
    DemoLogin("prawoto@demo.kopdes.id", "Staf Desa Prawoto", "Village staff, Desa Prawoto (Sukolilo, Pati)",
              ((Role.VILLAGE_STAFF, "33.18.01.2001"),)),
    DemoLogin("federasi@demo.kopdes.id", "Direktur BUMDes Bersama", "Federation director, three Sukolilo desa",
              ((Role.FEDERATION_DIRECTOR, "33.18.01.2001"), (Role.FEDERATION_DIRECTOR, "33.18.01.2002"),
               (Role.FEDERATION_DIRECTOR, "33.18.01.2003"))),
)


@transaction.atomic
def demo_users_create() -> tuple[DemoLogin, ...]:
    """Create (or reset) the demo accounts; safe to run again."""
    for login in DEMO_LOGINS:
        user, _created = User.objects.get_or_create(email=login.email, defaults={"full_name": login.full_name})
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        if any(role == Role.NATIONAL_ADMIN for role, _region in login.roles):
            user.is_staff = user.is_superuser = True
        user.save()
        for role, region in login.roles:
            RoleAssignment.objects.get_or_create(user=user, role=role, region_id=region)
    return DEMO_LOGINS
