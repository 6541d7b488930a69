"""
Land and construction in Kabupaten Pati for the demo, through the real services: plots at every step of the
ladder (proposed, surveyed, verified, rejected, under construction, handed over), Desa Prawoto's gerai whose
construction slips behind plan, an overdue project, a gerai handed over months ago that stands idle, and
operating units filing (or forgetting) their monthly reports. Dates are then set back so that the dashboards'
history and the slippage read like a programme that started in the autumn of 2025.
"""

import io
import json
import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone
from PIL import Image

from accounts.models import User
from koperasi.models import Cooperative
from pembangunan import services
from pembangunan.models import ConstructionProject
from pembangunan.models import LandPlot
from pembangunan.models import ProgressReport
from units.models import UnitStatus
from units.services import unit_update

__all__ = ["demo_land_create"]

PATI, PRAWOTO = "33.18", "33.18.01.2001"
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<<>>\n%%EOF\n"
OWNERS = [("tanah_kas_desa", "sertifikat"), ("tanah_kas_desa", "perdes"), ("aset_pemda", "sertifikat"),
          ("hibah_warga", "surat_hibah"), ("sewa", "perjanjian_sewa")]
PLOT_NAMES = {"tanah_kas_desa": "Tanah kas desa", "aset_pemda": "Aset pemda di", "hibah_warga": "Hibah warga di",
              "sewa": "Lahan sewa di"}
CONTRACTORS = ["CV Karya Pati", "CV Juwana Mandiri", "PT Bangun Muria", "CV Sukolilo Jaya", "CV Tayu Konstruksi"]


def _photo(rng: random.Random) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    colour = (rng.randint(90, 170), rng.randint(110, 180), rng.randint(70, 140))
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("foto-lokasi.jpg", buffer.getvalue(), content_type="image/jpeg")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _inside(point, ring) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _points_in_pati(rng: random.Random, count: int) -> list[tuple[Decimal, Decimal]]:
    """Random positions inside Kabupaten Pati's outline (the web map's boundary file), so pins land on land."""
    geo = json.loads((Path(settings.BASE_DIR) / "static" / "geo" / "regencies" / "33.json").read_text())
    feature = next(item for item in geo["features"] if item["properties"]["code"] == PATI)
    rings = feature["geometry"]["coordinates"]
    ring = rings[0] if feature["geometry"]["type"] == "Polygon" else max((poly[0] for poly in rings), key=len)
    xs, ys = [x for x, _y in ring], [y for _x, y in ring]
    points = []
    while len(points) < count:
        point = (rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys)))
        if _inside(point, ring):
            points.append((Decimal(f"{point[1]:.6f}"), Decimal(f"{point[0]:.6f}")))
    return points


def _backdate(plot: LandPlot, days_ago: int, today) -> None:
    """The plot was recorded ``days_ago`` and each later step some weeks after: what snapshots rebuild from."""
    now = timezone.now()
    recorded = now - timedelta(days=days_ago)
    steps = {"created_at": recorded}
    if plot.verified_at:
        steps["verified_at"] = recorded + timedelta(days=min(21, days_ago // 3))
    if plot.construction_at:
        steps["construction_at"] = recorded + timedelta(days=min(35, days_ago // 2))
    if plot.surveyed_on:
        steps["surveyed_on"] = (recorded + timedelta(days=min(10, days_ago // 4))).date()
    LandPlot.objects.filter(pk=plot.pk).update(**steps)


def _project(officer, plot, rng, *, start_days_ago: int, duration: int, title: str = "Gerai dan gudang"):
    today = timezone.localdate()
    area = rng.choice([450, 520, 600, 680])
    return services.project_create(
        actor=officer, plot=plot, title=title, building_area_m2=area,
        contract_value=area * rng.randint(2_400_000, 3_100_000),
        contract_date=today - timedelta(days=start_days_ago + 7),
        planned_start=today - timedelta(days=start_days_ago),
        planned_finish=today - timedelta(days=start_days_ago) + timedelta(days=duration),
        contractor_name=rng.choice(CONTRACTORS), contract_number=f"KTR/{rng.randint(100, 999)}/AGN/2025",
        bank_name=rng.choice(["BRI", "BNI", "Bank Mandiri"]), loan_amount=3_000_000_000, loan_tenor_months=72)


def _reports(staff, project, rng, points: list[tuple[int, int]]) -> None:
    """(days ago, percent) pairs, each with a photo."""
    today = timezone.localdate()
    for days_ago, percent in points:
        services.progress_report_add(actor=staff, project=project, reported_on=today - timedelta(days=days_ago),
                                     percent=percent, notes=rng.choice(["Pondasi", "Struktur", "Dinding dan atap",
                                                                        "Finishing", "Instalasi listrik"]),
                                     photos=[_photo(rng)])


def _prawoto(staff, officer, verifier, rng, point) -> None:
    """Desa Prawoto's gerai: verified, contracted, and slipping well behind its plan."""
    cooperative = Cooperative.objects.get(village_id=PRAWOTO)
    plot = services.plot_record(
        actor=staff, cooperative=cooperative, name="Tanah kas desa Prawoto, Dusun Krajan", area_m2=1800,
        owner_kind="tanah_kas_desa", legal_status="sertifikat", legal_reference="SHP No. 12/Prawoto",
        latitude=point[0], longitude=point[1], address="Jl. Raya Sukolilo–Kudus km 3, sebelah balai desa",
        unit_type_codes=["gerai_sembako", "pergudangan", "kantor"], photos=[_photo(rng)], keep_location=True)
    services.plot_document_add(actor=staff, plot=plot, kind="sertifikat", upload=_pdf("sertifikat-tkd.pdf"))
    services.plot_document_add(actor=staff, plot=plot, kind="perdes", upload=_pdf("perdes-pemanfaatan-tkd.pdf"))
    services.plot_survey(actor=staff, plot=plot, surveyed_on=timezone.localdate() - timedelta(days=110))
    services.plot_verify(actor=verifier, plot=plot)
    project = _project(officer, plot, rng, start_days_ago=100, duration=120, title="Gerai, gudang dan kantor")
    _reports(staff, project, rng, [(75, 10), (45, 22), (12, 34)])  # planned by now: 83 %
    _backdate(LandPlot.objects.get(pk=plot.pk), 140, timezone.localdate())


def demo_land_create(*, seed: int = 2026) -> dict:
    """Plots across Pati's cooperatives at every stage; idempotent (does nothing when plots exist)."""
    if LandPlot.objects.exists():
        return {"plots": LandPlot.objects.count(), "created": False}
    rng = random.Random(seed)
    today = timezone.localdate()
    staff = User.objects.get(email="prawoto@demo.kopdes.id")
    coordinator = User.objects.get(email="sukolilo@demo.kopdes.id")
    officer = User.objects.get(email="pati@demo.kopdes.id")
    verifier = User.objects.get(email="verifikator@demo.kopdes.id")
    cooperatives = list(Cooperative.objects.filter(village__code__startswith=PATI + ".").exclude(village_id=PRAWOTO)
                        .select_related("village").order_by("village_id"))
    rng.shuffle(cooperatives)
    chosen = cooperatives[:72]
    points = _points_in_pati(rng, len(chosen) + 1)
    _prawoto(staff, officer, verifier, rng, points.pop())
    # How far each plot has come: 14 proposed, 10 surveyed, 10 verified, 3 rejected, 26 building, 9 handed over.
    ladder = ["proposed"] * 14 + ["surveyed"] * 10 + ["verified"] * 10 + ["rejected"] * 3 + ["building"] * 26 + \
        ["handed_over"] * 9
    idle_gerai = None
    for index, (cooperative, step, point) in enumerate(zip(chosen, ladder, points, strict=False)):
        owner, legal = OWNERS[index % len(OWNERS)]
        # Sukolilo's coordinator records for his kecamatan; the Dinas for the rest.
        recorder = coordinator if cooperative.village_id.startswith("33.18.01.") else officer
        plot = services.plot_record(
            actor=recorder, cooperative=cooperative, name=f"{PLOT_NAMES[owner]} {cooperative.village.name}"[:150],
            area_m2=rng.choice([800, 1000, 1200, 1500, 2000, 2500]), owner_kind=owner, legal_status=legal,
            latitude=point[0], longitude=point[1], unit_type_codes=["gerai_sembako", "pergudangan"])
        days_ago = rng.randint(20, 60)
        if step != "proposed":
            services.plot_survey(actor=recorder, plot=plot, surveyed_on=today - timedelta(days=rng.randint(3, 15)))
        if step == "rejected":
            services.plot_reject(actor=verifier, plot=plot, reason="Tanah masih sengketa waris; lampirkan surat "
                                                                   "pelepasan hak dari ahli waris.")
        elif step in ("verified", "building", "handed_over"):
            services.plot_verify(actor=verifier, plot=plot)
            days_ago = rng.randint(90, 200)
        if step == "building":
            started = rng.randint(30, 150)
            duration = rng.choice([120, 150, 180])
            if index % 9 == 0:  # overdue: planned to finish before today
                started, duration = 170, 140
            project = _project(officer, plot, rng, start_days_ago=started, duration=duration)
            done = min(95, max(5, round(100 * started / duration * rng.uniform(0.55, 1.1))))
            _reports(recorder, project, rng, [(max(1, started // 2), done // 2), (max(0, started // 8), done)])
        if step == "handed_over":
            project = _project(officer, plot, rng, start_days_ago=rng.randint(190, 240), duration=150)
            _reports(recorder, project, rng, [(120, 45), (60, 100)])
            services.project_hand_over(actor=officer, project=project, handed_over_on=today - timedelta(days=55),
                                       upload=_pdf("bast-serah-terima.pdf"))
            days_ago = rng.randint(240, 300)
            gerai = cooperative.units.get(unit_type__code="gerai_sembako")
            if idle_gerai is None:
                idle_gerai = cooperative  # built, handed over, and the gerai still is not trading
            else:
                go_live = today - timedelta(days=50)
                gerai = unit_update(actor=officer, unit=gerai, status=UnitStatus.OPERASIONAL, go_live_date=go_live)
                _monthly_reports(recorder, gerai, rng, skip_last=index % 3 == 0)
        _backdate(LandPlot.objects.get(pk=plot.pk), days_ago, today)
    # Handed-over plots were handed over 55 days ago (the service stamps today); the idle one long before.
    LandPlot.objects.filter(status="handed_over").update(handed_over_at=timezone.now() - timedelta(days=55))
    if idle_gerai is not None:
        LandPlot.objects.filter(cooperative=idle_gerai).update(handed_over_at=timezone.now() - timedelta(days=120))
        ConstructionProject.objects.filter(plot__cooperative=idle_gerai).update(
            handed_over_on=today - timedelta(days=120))
        ProgressReport.objects.filter(project__plot__cooperative=idle_gerai).update(
            reported_on=F("reported_on") - timedelta(days=65))
    return {"plots": LandPlot.objects.count(), "created": True}


def _monthly_reports(actor, unit, rng, *, skip_last: bool) -> None:
    month = unit.go_live_date.replace(day=1)
    last = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    while month <= last:
        if not (skip_last and month == last):
            revenue = rng.randint(25, 80) * 1_000_000
            services.unit_report_file(actor=actor, unit=unit, month=month, revenue=revenue,
                             costs=int(revenue * rng.uniform(0.82, 0.95)),
                             figures={"transactions": rng.randint(400, 1600)})
        month = (month + timedelta(days=32)).replace(day=1)
