"""Fixtures of the BUMDes and federation tests: a BUM Desa Bersama in Kec. Sukolilo (Pati) and its federation."""

from datetime import date
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RoleAssignment
from bumdes import services
from core.roles import Role
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import make_user

WEGIL = "33.18.01.2003"  # Desa Wegil, a third desa of Kec. Sukolilo


@pytest.fixture
def bersama(pati_officer):
    """A BUM Desa Bersama of Prawoto and Pakem, registered with its certificate."""
    return services.bumdes_register(
        actor=pati_officer, kind="bum_desa_bersama", name="BUM Desa Bersama Mitra Sejahtera Pati",
        village_code=PRAWOTO, villages=[(PRAWOTO, 75_000_000), (PAKEM, 50_000_000)], founded_on=date(2019, 3, 1),
        registration_number="AHU-00123.AH.02.01.TAHUN 2021", registration_date=date(2021, 6, 1),
    )


@pytest.fixture
def federation(pati_officer, bersama):
    """The BUM Desa Bersama as a federation: Prawoto and Pakem members since 2019."""
    return services.federation_register(actor=pati_officer, kind="bumdes_bersama", bumdes=bersama)


def on_federation(role: str, federation, **extra):
    """A user holding ``role`` on ``federation``."""
    user = make_user(Role.VILLAGE_STAFF, PRAWOTO, **extra)
    user.role_assignments.all().delete()
    RoleAssignment.objects.create(user=user, role=role, federation=federation)
    return user


@pytest.fixture
def federation_director(federation):
    return on_federation(Role.FEDERATION_DIRECTOR, federation, full_name="Direktur Federasi")


@pytest.fixture
def federation_staff(federation):
    return on_federation(Role.FEDERATION_STAFF, federation, full_name="Staf Federasi")


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)
