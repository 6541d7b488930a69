"""
Benchmark of the bulk member import on PostgreSQL. Prints figures; checks nothing.

    BENCH_DATABASE=kopdes_imports_bench REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/imports.py \
        [--rows 100000] [--runs 5] [--xlsx]

1. Writes a member file of --rows valid rows (CSV, as the template's columns; --xlsx also times an XLSX of the
   same rows) for one cooperative.
2. Times the dry run (``import_validate_run``: read, check every row by the register's rules, count, error
   file) and the commit (``import_commit_run``: every row checked again under the cooperative's lock,
   written with COPY and history rows, member numbers assigned), each in process, as the worker runs them.
3. Times the floor: a plain PostgreSQL COPY of the same member rows into a copy of the member table (its
   indexes included), and prints the ratio (validate + commit) / COPY; for reference, the same COPY into a copy
   that also has the member table's foreign keys (cooperative, domicile), which every write into the register pays.
   Steps 2–3 run --runs times, each into an empty register (a single run swings by ±20 % on a shared
   machine); the summary gives the median ratio, its range and how many runs met the goal.
4. Times the re-upload of the same file (every row unchanged, nothing written).
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from datetime import date
from datetime import timedelta
from pathlib import Path
from statistics import median

os.environ.setdefault("BENCH_DATABASE", "kopdes_imports_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Importing bench.rollup sets the environment (production settings, the benchmark database) before Django loads.
from bench.rollup import load_averages
from bench.rollup import migrated_database

VILLAGE = "33.18.01.2001"  # Prawoto, Sukolilo, Pati
HEADER = ["NIK", "Nama lengkap", "Jenis kelamin", "Tanggal lahir", "Desa/kelurahan domisili", "Alamat", "RT", "RW",
          "Pekerjaan", "Nomor HP", "Tanggal masuk", "Anggota pendiri", "Status", "Tanggal keluar/meninggal",
          "Alasan keluar/meninggal"]



def fresh_cooperative():
    """A national administrator and the cooperative of Prawoto, without members (earlier runs are wiped)."""
    from django.db import connection

    from accounts.models import RoleAssignment
    from accounts.models import User
    from core.roles import Role
    from koperasi.models import Cooperative
    from koperasi.services import cooperative_register

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_member_copy")
        cursor.execute("TRUNCATE members_member, members_historicalmember, impor_importjob CASCADE")
    admin = User.objects.filter(email="bench-imports@kopdes.id").first()
    if admin is None:
        admin = User.objects.create_user(email="bench-imports@kopdes.id", password="bench-only-Passw0rd",
                                         full_name="Benchmark")
        RoleAssignment.objects.create(user=admin, role=Role.NATIONAL_ADMIN)
    cooperative = Cooperative.objects.filter(village_id=VILLAGE).first()
    if cooperative is None:
        cooperative = cooperative_register(actor=admin, village_code=VILLAGE)
    return admin, cooperative


def member_rows(count: int):
    """Valid, distinct members: NIKs registered in Kec. Sukolilo, birth dates spread over 1950–2005."""
    start = date(1950, 1, 1)
    for index in range(count):
        born = start + timedelta(days=(index * 7) % 20000)
        female = index % 2 == 1
        day = born.day + (40 if female else 0)
        nik = f"331801{day:02d}{born:%m%y}{index % 9999 + 1:04d}"
        if index >= 9999:  # keep NIKs distinct past the 4-digit sequence: another kecamatan of Pati
            nik = f"3318{(index // 9999) % 21 + 2:02d}{nik[6:]}"
        yield [nik, f"Warga Bench {index}", "P" if female else "L", born.strftime("%d/%m/%Y"), "",
               f"Dusun {index % 12 + 1}", str(index % 20 + 1), str(index % 5 + 1), "Petani",
               f"0812{index % 100_000_000:08d}", "01/08/2025", "tidak", "", "", ""]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(member_rows(count))


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in member_rows(count):
        sheet.append(row)
    workbook.save(path)


def run_import(admin, cooperative, path: Path, *, commit: bool) -> tuple[float, float, object]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from impor.models import CommitMode
    from impor.services import import_commit
    from impor.services import import_commit_run
    from impor.services import import_upload
    from impor.services import import_validate_run

    with transaction.atomic():
        job = import_upload(actor=admin, kind="anggota", cooperative=cooperative, language="id",
                            upload=SimpleUploadedFile(path.name, path.read_bytes()))
    started = time.perf_counter()
    job = import_validate_run(job.pk)
    validated = time.perf_counter() - started
    committed = 0.0
    if commit:
        import_commit(actor=admin, job=job, mode=CommitMode.ALL_OR_NOTHING)
        started = time.perf_counter()
        job = import_commit_run(job.pk)
        committed = time.perf_counter() - started
    return validated, committed, job


def copy_floor(cooperative, *, foreign_keys: bool = False) -> float:
    """
    A plain COPY of the same member rows into a copy of the member table with its indexes (the floor). With
    ``foreign_keys``, the copy also has the member table's two foreign keys (cooperative, domicile), checked as
    the register's are (deferred, at COMMIT): what any write of these rows into the register must pay.
    """
    from django.db import connection
    from django.db import transaction

    with connection.cursor() as cursor:
        buffer = io.StringIO()
        cursor.copy_expert(f"COPY (SELECT * FROM members_member WHERE cooperative_id = {cooperative.pk}) TO STDOUT",
                           buffer)
        cursor.execute("CREATE TABLE bench_member_copy (LIKE members_member INCLUDING DEFAULTS INCLUDING INDEXES)")
        if foreign_keys:
            cursor.execute("ALTER TABLE bench_member_copy "
                           "ADD FOREIGN KEY (cooperative_id) REFERENCES koperasi_cooperative (id) "
                           "DEFERRABLE INITIALLY DEFERRED, "
                           "ADD FOREIGN KEY (domicile_id) REFERENCES wilayah_region (code) "
                           "DEFERRABLE INITIALLY DEFERRED")
        buffer.seek(0)
        started = time.perf_counter()
        with transaction.atomic():  # the deferred checks run at its COMMIT, inside the timing
            cursor.copy_expert("COPY bench_member_copy FROM STDIN", buffer)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_member_copy")
    return elapsed


def one_run(admin, cooperative, path: Path, rows: int) -> tuple[float, float, float, float]:
    """One import of the file into an empty register, then both floors: (dry run, commit, floor, floor with keys)."""
    from members.models import Member

    validated, committed, job = run_import(admin, cooperative, path, commit=True)
    assert job.committed_counts["new"] == rows, f"not every row was imported: {job.committed_counts}"
    assert Member.objects.filter(cooperative=cooperative).count() == rows, "not every row was imported"
    return validated, committed, copy_floor(cooperative), copy_floor(cooperative, foreign_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5,
                        help="imports into an empty register, each timed beside its own floor (default 5)")
    parser.add_argument("--xlsx", action="store_true", help="also time the dry run of the same rows as XLSX")
    arguments = parser.parse_args()
    os.environ["IMPORT_MAX_ROWS"] = str(max(arguments.rows, 200_000))
    migrated_database()

    directory = Path(tempfile.mkdtemp(prefix="kopdes-bench-imports-"))
    path = directory / "anggota.csv"
    write_csv(path, arguments.rows)
    print(f"Member import benchmark: {arguments.rows:,} rows, CSV {path.stat().st_size / 1e6:.1f} MB, "
          f"{arguments.runs} runs (load: {load_averages()})", flush=True)
    print("  run   dry run   commit   validate + commit   floor (plain COPY)   ratio   "
          "COPY with the two foreign keys   ratio", flush=True)
    ratios, key_ratios, totals = [], [], []
    for run in range(1, arguments.runs + 1):
        admin, cooperative = fresh_cooperative()
        validated, committed, floor, with_keys = one_run(admin, cooperative, path, arguments.rows)
        total = validated + committed
        totals.append(total)
        ratios.append(total / floor)
        key_ratios.append(total / with_keys)
        print(f"  {run:3d}   {validated:5.2f} s  {committed:5.2f} s   {total:5.2f} s             "
              f"{floor:5.2f} s              {total / floor:4.1f}×   {with_keys:5.2f} s"
              f"                         {total / with_keys:4.1f}×", flush=True)
    met = sum(ratio <= 5 for ratio in ratios)
    print(f"  validate + commit: median {median(totals):.2f} s, {min(totals):.2f}–{max(totals):.2f} s (goal < 10 s)",
          flush=True)
    print(f"  ratio to the floor (plain COPY of the same rows): median {median(ratios):.1f}×, "
          f"{min(ratios):.1f}–{max(ratios):.1f}×, ≤ 5× in {met} of {len(ratios)} runs (goal ≤ 5×)", flush=True)
    print(f"  for reference, ratio to a COPY into a table with the register's two foreign keys: "
          f"median {median(key_ratios):.1f}×, {min(key_ratios):.1f}–{max(key_ratios):.1f}×", flush=True)
    again, _committed, job = run_import(admin, cooperative, path, commit=False)
    print(f"  re-upload of the same file (dry run):  {again:6.2f} s  counts {job.counts}", flush=True)
    if arguments.xlsx:
        xlsx = directory / "anggota.xlsx"
        write_xlsx(xlsx, arguments.rows)
        xlsx_validated, _committed, job = run_import(admin, cooperative, xlsx, commit=False)
        print(f"  the same rows as XLSX, dry run:        {xlsx_validated:6.2f} s  "
              f"({xlsx.stat().st_size / 1e6:.1f} MB) counts {job.counts}", flush=True)
    print(f"  load after: {load_averages()}", flush=True)


if __name__ == "__main__":
    main()
