"""The quickstart demo (manage.py seed_demo) on the real database: the logins and the stories the README promises."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from koperasi.models import Cooperative
from koperasi.models import StageStatus
from koperasi.selectors import review_queue
from reports.models import RegionRollup
from sampledata.demo import DEMO_LOGINS
from sampledata.demo import DEMO_PASSWORD
from sampledata.demo import demo_users_create
from targets.models import Target

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_persona_and_area_and_is_idempotent():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo cooperatives created" in out.getvalue()
    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert user.check_password(DEMO_PASSWORD) and user.role_assignments.exists(), login.email
    # Pati: every one of its 406 desa/kelurahan has a cooperative; Blitar and Bathin Solapan most of theirs.
    assert Cooperative.objects.filter(village__code__startswith="33.18.").count() == 406
    assert 200 < Cooperative.objects.filter(village__code__startswith="35.05.").count() < 248
    assert 5 <= Cooperative.objects.filter(village__code__startswith="14.03.16.").count() <= 13
    # Prawoto went through the real services: its Musdesus was sent back with a reason.
    prawoto = Cooperative.objects.get(village_id="33.18.01.2001")
    musdesus = prawoto.stages.get(stage__code="musdesus")
    assert musdesus.status == StageStatus.REJECTED and "BPD" in musdesus.rejection_reason
    assert prawoto.units.count() == 7
    assert Target.objects.filter(region_id="35.05", title__startswith="248").exists()
    # Verification put the identifiers on the cooperatives, as the real workflow does.
    operational = Cooperative.objects.filter(formation_completed=True, formation_model="baru")
    assert operational.exists()
    assert not operational.filter(sk_ahu_number="").exists() and not operational.filter(npwp="").exists()
    # The Pati officer's queue holds stages others submitted, which they can verify.
    pati = User.objects.get(email="pati@demo.kopdes.id")
    queue = review_queue(user=pati).qs
    assert queue.exists() and not queue.filter(submitted_by=pati).exists()
    # The dashboards read the roll-up, which the demo builds.
    assert RegionRollup.objects.get(code="33.18").cooperatives == 406
    # Every member has the register's number, so an admission takes the next one (it had restarted at 00001).
    from members.models import Member
    from members.services import member_numbers_next

    assert not Member.objects.filter(member_number="").exists()
    jaten = Cooperative.objects.filter(village__code__startswith="35.05.").order_by("pk").first()
    assert member_numbers_next(jaten.pk) == jaten.members.count() + 1

    # The Pati federation: 159 member desa, its PT's 12 clinic sites (6 operating), a co-working space, a
    # planned Pertamini, and an agreement refused for want of the cooperative's SK AHU; federasi@ directs it.
    from bumdes.models import CooperationAgreement
    from bumdes.models import Federation
    from core.scoping import scope_for
    from reports.models import FederationRollup

    federation = Federation.objects.get(kind="bumdes_bersama")
    company = Federation.objects.get(parent=federation)
    assert federation.member_villages.count() == 159 and federation.is_legal_entity
    clinics = company.sites.filter(kind="clinic")
    assert clinics.count() == 12 and clinics.filter(status="operating").count() == 6
    assert company.sites.filter(kind="coworking", status="operating").exists()
    assert company.sites.filter(kind="fuel", status="planned").exists()
    assert CooperationAgreement.objects.filter(status="active").count() == 2
    refused = CooperationAgreement.objects.get(cooperative__village_id="33.18.01.2001")
    assert refused.status == "draft" and "SK AHU" in refused.note
    director = User.objects.get(email="federasi@demo.kopdes.id")
    assert director.role_assignments.get().federation == federation
    assert len(scope_for(director).roots) == 159
    assert FederationRollup.objects.get(federation=federation).cooperatives == 159

    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "already present" in again.getvalue()
    assert Cooperative.objects.filter(village__code__startswith="33.18.").count() == 406


def test_demo_officers_sign_in_with_their_password_in_the_quickstart(client, settings):
    settings.MFA_REQUIRED_ROLES = []  # config/settings/local.py: the quickstart does not require two factors
    demo_users_create()
    signed_in = client.post("/accounts/login/", {"login": "pati@demo.kopdes.id", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"  # no e-mail code, no authenticator code
    assert client.get("/koperasi/").status_code == 200
