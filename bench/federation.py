"""
Benchmark of the federation director's dashboard on the national dataset (PostgreSQL). Prints figures; checks
nothing.

    .venv/bin/python bench/federation.py [--generate] [--members 1000000]

Its database is bench/rollup.py's (DATABASE_URL when set, otherwise BENCH_DATABASE).

It adds two federations to the national dataset (generated as for bench/rollup.py when missing):
* the Pati case: a BUM Desa Bersama of 159 Pati desa with 14 sites and a year of monthly figures;
* a synthetic federation of 5,000 desa across Jawa Tengah and Jawa Timur with 300 sites;
and measures, for each one's director, in process with production settings: SQL queries, database time and
server time of the federation dashboard (first and a later page of members), of the federation's page, and of
the cooperative list (whose scope is the 5,000 member villages), median of 10 requests; and the time the
federation roll-up takes to rebuild. The goal is at most 20 ms of database time per page.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Importing bench.rollup sets the environment (production settings, the benchmark database) before Django loads.
from bench.rollup import collect_static_if_needed
from bench.rollup import ensure_database
from bench.rollup import ms

PATI_NAME = "Bench BUM Desa Bersama Pati"
LARGE_NAME = "Bench federasi 5000 desa"


def build_federations() -> list:
    """The two federations (rebuilt on each run), their sites, figures and directors."""
    from django.db import connection

    from accounts.models import RoleAssignment
    from accounts.models import User
    from bumdes.models import BusinessSite
    from bumdes.models import Federation
    from bumdes.models import FederationVillage
    from bumdes.models import SiteFigure
    from core.roles import Role
    from koperasi.models import Cooperative
    from wilayah.models import Region

    rng = random.Random(159)
    RoleAssignment.objects.filter(federation__name__in=[PATI_NAME, LARGE_NAME]).delete()
    Federation.objects.filter(name__in=[PATI_NAME, LARGE_NAME]).delete()
    pati = sorted(Region.objects.subtree("33.18").villages().filter(kind="desa").values_list("code", flat=True))
    java = sorted(Region.objects.filter(level="village", kind="desa", code__regex=r"^3[35]\.")
                  .values_list("code", flat=True))
    federations = []
    today = date.today()
    for name, codes, site_count in ((PATI_NAME, rng.sample(pati, 159), 14), (LARGE_NAME, rng.sample(java, 5000), 300)):
        codes.sort()
        federation = Federation.objects.create(name=name, kind="company", seat_id=codes[0])
        FederationVillage.objects.bulk_create(
            [FederationVillage(federation=federation, village_id=code, joined_on=date(2019, 1, 1),
                               capital=rng.randrange(50, 101, 5) * 1_000_000) for code in codes], batch_size=2000)
        sites = BusinessSite.objects.bulk_create([
            BusinessSite(federation=federation, kind="clinic" if number % 3 else "shop", name=f"Lokasi {number}",
                         village_id=rng.choice(codes), status=("operating", "preparing", "planned")[number % 3],
                         opened_on=date(2020, 1, 1) if number % 3 == 0 else None,
                         latitude=round(rng.uniform(-8.2, -6.5), 6), longitude=round(rng.uniform(109.0, 114.0), 6))
            for number in range(site_count)])
        months = [(today.replace(day=1) - timedelta(days=31 * back)).replace(day=1) for back in range(12, 0, -1)]
        SiteFigure.objects.bulk_create([
            SiteFigure(site=site, month=month, revenue=rng.randint(10, 90) * 1_000_000, costs=10_000_000)
            for site in sites if site.status == "operating" for month in months], batch_size=2000)
        director, _created = User.objects.get_or_create(email=f"bench-director-{site_count}@example.id",
                                                        defaults={"full_name": f"Direktur {name}"})
        director.role_assignments.all().delete()
        RoleAssignment.objects.create(user=director, role=Role.FEDERATION_DIRECTOR, federation=federation)
        federations.append((name, federation, director))
    # Fresh planner statistics and visibility maps after the bulk loads, as autovacuum keeps them on a live server.
    with connection.cursor() as cursor:
        for model in (FederationVillage, BusinessSite, SiteFigure, Federation, RoleAssignment, Cooperative):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return federations


def measure(client, url: str, runs: int = 10) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times, db_times, counts = [], [], []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        db_times.append(sum(float(query["time"]) for query in queries.captured_queries))
        counts.append(len(queries))
    return {"time": statistics.median(times), "db": statistics.median(db_times), "queries": max(counts)}


def run(args) -> None:
    ensure_database(args.generate, args.members)
    collect_static_if_needed()  # production settings serve hashed static files, which the templates name
    from django.test import Client
    from django.urls import reverse

    from koperasi.models import Cooperative
    from reports.federations import rollup_refresh_federations
    from reports.services import rollup_reconcile

    if not Cooperative.objects.exists():
        raise SystemExit("No national dataset.")
    print(f"Dataset: {Cooperative.objects.count():,} cooperatives", flush=True)
    federations = build_federations()
    started = time.perf_counter()
    rollup_reconcile(snapshot=False)
    print(f"Full reconcile (regions and federations): {time.perf_counter() - started:.2f} s")
    for name, federation, _director in federations:
        started = time.perf_counter()
        rollup_refresh_federations([federation.pk])
        print(f"Federation row of {name} recomputed: {ms(time.perf_counter() - started)}")
    print()
    print("page                                   queries  DB time  server time   (median of 10)")
    for name, federation, director in federations:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(director)
        members = federation.member_villages.count()
        pages = {
            "federation dashboard": reverse("reports:federation-dashboard", args=[federation.pk]),
            "dashboard, members page 3": reverse("reports:federation-dashboard", args=[federation.pk]) + "?page=3",
            "federation page": reverse("bumdes:federation-detail", args=[federation.pk]),
            "cooperative list": reverse("koperasi:list"),
        }
        print(f"{name} ({members:,} member villages)")
        for label, url in pages.items():
            result = measure(client, url)
            print(f"  {label:<36} {result['queries']:>5}  {ms(result['db']):>8}  {ms(result['time']):>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", action="store_true", help="(re)generate the national dataset first")
    parser.add_argument("--members", type=int, default=1_000_000, help="members to generate with the dataset")
    args = parser.parse_args()
    run(args)


if __name__ == "__main__":
    main()
