import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from core.audit import audit_trail
from wilayah.models import Region
from wilayah.services import DEFAULT_REGION_FILE
from wilayah.services import region_import

pytestmark = pytest.mark.django_db


def _count(**filters) -> int:
    return Region.objects.filter(**filters).count()


def test_official_list_has_the_exact_national_counts():
    assert _count() == 91_599
    assert _count(level="province") == 38
    assert _count(level="regency") == 514
    assert _count(level="regency", kind="kabupaten") == 416
    assert _count(level="regency", kind="kota") == 98
    assert _count(level="district") == 7_285
    assert _count(level="village") == 83_762
    assert _count(level="village", kind="desa") == 75_252
    assert _count(level="village", kind="kelurahan") == 8_496
    assert _count(level="village", kind="desa_adat") == 14


def test_tree_links_and_subtree_counts():
    pati = Region.objects.get(code="33.18")
    assert pati.name == "Kabupaten Pati"
    assert pati.parent_id == "33"
    assert pati.child_count == Region.objects.filter(parent_id="33.18").count() == 21
    # Pati: 401 desa + 5 kelurahan, the figure the Satgas reported.
    assert pati.village_count == Region.objects.subtree("33.18").villages().count() == 406
    assert Region.objects.get(code="35.05").village_count == 248  # Kab. Blitar
    assert Region.objects.get(code="14.03.16").village_count == 13  # Kec. Bathin Solapan
    assert sum(Region.objects.filter(level="province").values_list("village_count", flat=True)) == 83_762
    prawoto = Region.objects.get(code="33.18.01.2001")
    assert (prawoto.level, prawoto.kind, prawoto.ancestor_codes) == ("village", "desa", ["33", "33.18", "33.18.01"])


def test_reload_is_idempotent_and_writes_nothing():
    history_before = Region.history.count()
    result = region_import()
    assert (result.created, result.updated, result.deactivated, result.unchanged) == (0, 0, 0, 91_599)
    assert _count() == 91_599
    assert Region.history.count() == history_before


def _write_variant(tmp_path, change) -> str:
    """A copy of the official file with ``change(rows)`` applied."""
    with DEFAULT_REGION_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows = change(rows)
    path = tmp_path / "wilayah-variant.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "name", "level", "parent_code", "kind"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_renamed_region_is_updated_in_place_with_its_diff_in_the_audit_trail(tmp_path):
    def rename(rows):
        for row in rows:
            if row["code"] == "33.18.01.2001":
                row["name"] = "Prawoto Baru"
        return rows

    result = region_import(path=_write_variant(tmp_path, rename))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 91_598)
    assert _count() == 91_599
    assert Region.objects.get(code="33.18.01.2001").name == "Prawoto Baru"
    latest = audit_trail(Region.history.filter(code="33.18.01.2001"))[0]
    assert latest.action == "~"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("name", "Prawoto", "Prawoto Baru")]
    assert "wilayah-variant.csv" in latest.reason


def test_region_missing_from_a_new_list_is_kept_but_deactivated(tmp_path):
    desa_in_sukolilo = Region.objects.get(code="33.18.01").village_count
    without_baleadi = _write_variant(tmp_path, lambda rows: [row for row in rows if row["code"] != "33.18.01.2005"])
    result = region_import(path=without_baleadi)

    assert result.deactivated == 1
    baleadi = Region.objects.get(code="33.18.01.2005")
    assert baleadi.is_active is False
    assert Region.objects.get(code="33.18.01").village_count == desa_in_sukolilo - 1


def test_a_bad_file_is_rejected_with_line_numbers_and_changes_nothing(tmp_path):
    def corrupt(rows):
        rows[5]["code"] = "33.1B.01"
        rows[9]["level"] = "district"
        rows.append({"code": "33.18.01.2001", "name": "Duplicate", "level": "village", "parent_code": "33.18.01",
                     "kind": "desa"})
        return rows

    with pytest.raises(ValidationError) as error:
        region_import(path=_write_variant(tmp_path, corrupt))

    messages = error.value.messages
    assert any(message.startswith("Baris 7:") for message in messages), messages
    assert any(message.startswith("Baris 11:") for message in messages), messages
    assert any("33.18.01.2001" in message for message in messages)
    assert Region.objects.get(code="33.18.01.2001").name == "Prawoto"
    assert _count() == 91_599


def test_command_reports_what_it_did():
    out = io.StringIO()
    call_command("load_wilayah", stdout=out)
    assert "91599 in file; 0 created, 0 updated, 91599 unchanged" in out.getvalue()


def test_subtree_query_uses_a_pattern_ops_index_range_scan():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'wilayah_region' AND indexdef LIKE %s",
            ["%(code varchar_pattern_ops)%"],
        )
        assert cursor.fetchone(), "the code column needs a varchar_pattern_ops index for prefix scans"
        sql, params = Region.objects.subtree("33.18").query.sql_with_params()
        cursor.execute("SET enable_seqscan = off")  # the planner's choice on a tiny table is not the point
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "Index Cond" in plan and "~>=~" in plan, plan
