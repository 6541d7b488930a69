"""
Importing a cooperative's member register. Each row is checked by the register's own rules
(``members.rules.clean_member_data``); a row is keyed by its NIK within the cooperative, so uploading the
same file again changes nothing. New members get the cooperative's next member numbers, in file order,
under the cooperative's lock. Rows are written in batches (COPY on PostgreSQL) with their history rows.
"""

import csv
import io
import json

from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history
from simple_history.utils import bulk_update_with_history

from core.changes import village_backdated
from core.changes import village_changed
from koperasi.services import cooperative_activity
from members.models import Member
from members.models import MemberStatus
from members.rules import clean_member_data
from members.rules import member_number_format
from members.services import cooperative_lock
from members.services import member_numbers_next
from members.services import regency_codes

from .kinds import NEW
from .kinds import UNCHANGED
from .kinds import UPDATED
from .kinds import ImportKindBase
from .kinds import RowOutcome
from .kinds import register_import_kind
from .readers import Column
from .readers import parse_date_cell
from .readers import text_cell

__all__ = ["MemberImport"]

BATCH = 5000

# The fields an import may set, in the order the existing register is kept in memory for comparison.
_FIELDS = ("name", "sex", "birth_date", "domicile_id", "phone", "address", "rt", "rw", "occupation", "joined_on",
           "is_founder", "status", "status_on", "status_reason")
_YES = {"ya", "y", "yes", "1", "true", "benar"}
_NO = {"tidak", "t", "no", "n", "0", "false", "salah", ""}
_SEX = {"l": "L", "laki-laki": "L", "laki laki": "L", "lk": "L", "p": "P", "perempuan": "P", "pr": "P", "wanita": "P"}
_DATE_COLUMNS = ("birth_date", "joined_on", "status_on")
_ERROR_COLUMNS = {"domicile_code": "domicile", "nik_warnings": "nik"}


@register_import_kind
class MemberImport(ImportKindBase):
    kind = "anggota"
    order = 10
    label = gettext_lazy("Members")
    columns = (
        Column("nik", "NIK", gettext_lazy("16 digits as on the KTP. Format the column as text so Excel keeps "
                                          "every digit. A NIK already in the register updates that member."),
               "3318014507900001", required=True),
        Column("name", "Nama lengkap", gettext_lazy("As on the KTP."), "Siti Aminah", required=True,
               aliases=("nama",)),
        Column("sex", "Jenis kelamin", gettext_lazy("L (laki-laki) or P (perempuan)."), "P", required=True),
        Column("birth_date", "Tanggal lahir", gettext_lazy("Date as 12/06/1990 (day/month/year) or 1990-06-12."),
               "05/07/1990"),
        Column("domicile", "Desa/kelurahan domisili", gettext_lazy(
            "Kemendagri code or name of one of the cooperative's desa/kelurahan; empty: the cooperative's own."),
            "33.18.01.2001", aliases=("kode desa", "desa")),
        Column("address", "Alamat", gettext_lazy("Street, house number or dusun (at most 200 characters)."),
               "Jl. Raya Prawoto No. 5"),
        Column("rt", "RT", gettext_lazy("1 to 3 digits."), "003"),
        Column("rw", "RW", gettext_lazy("1 to 3 digits."), "001"),
        Column("occupation", "Pekerjaan", gettext_lazy("At most 100 characters."), "Petani"),
        Column("phone", "Nomor HP", gettext_lazy("Indonesian number, e.g. 0812 3456 7890; stored as +62…."),
               "081234567890", aliases=("telepon", "no hp")),
        Column("joined_on", "Tanggal masuk", gettext_lazy(
            "The date the person became a member; empty: today (for new members)."), "01/08/2025"),
        Column("is_founder", "Anggota pendiri", gettext_lazy("ya or tidak; empty: tidak."), "tidak"),
        Column("status", "Status", gettext_lazy("aktif, keluar or meninggal; empty: aktif."), "aktif"),
        Column("status_on", "Tanggal keluar/meninggal", gettext_lazy(
            "Required when the status is keluar or meninggal; not before the joining date, not in the future."), ""),
        Column("status_reason", "Alasan keluar/meninggal", gettext_lazy(
            "Required when the status is keluar or meninggal (at least 5 characters)."), ""),
    )

    def start(self) -> None:
        cooperative = self.job.cooperative
        self.today = timezone.localdate()
        if not self.dry_run:
            cooperative_lock(cooperative.pk)
            self.next_number = member_numbers_next(cooperative.pk)
        self.seat = cooperative.village_id
        self.villages = {link.village_id: link.village for link in cooperative.villages.select_related("village")}
        self.village_names = {}
        for code, village in self.villages.items():
            self.village_names.setdefault(village.name.lower(), []).append(code)
        self.regencies = regency_codes()
        # The register as it is, keyed by NIK: a tuple per member is a few hundred bytes even for 100,000.
        # The phone as stored text: read through its model field, every number would be parsed again.
        fields = [field if field != "phone" else "phone_text" for field in _FIELDS]
        self.existing = {
            nik: tuple(row)
            for nik, *row in Member.objects.filter(cooperative=cooperative)
            .annotate(phone_text=Cast("phone", CharField())).values_list("nik", "id", *fields).iterator(chunk_size=5000)
        }
        self.seen: dict[str, int] = {}
        self.new_rows: list[dict] = []
        self.updates: list[tuple[int, dict]] = []
        self.written = 0
        self.earliest_joined = None  # the earliest joining date written: past snapshots from then on change

    def _parse(self, values: dict, errors: dict) -> dict:
        data: dict = {}
        for key in ("nik", "name", "address", "rt", "rw", "occupation", "phone", "status_reason"):
            text = text_cell(values.get(key))
            if text or key in ("nik", "name"):
                data[key] = text
        sex = text_cell(values.get("sex")).lower()
        data["sex"] = _SEX.get(sex, sex.upper())
        for key in _DATE_COLUMNS:
            raw = values.get(key)
            try:
                parsed = parse_date_cell(raw)
            except ValueError:
                errors[key] = [_("Write the date as 12/06/1990 (day/month/year) or 1990-06-12.")]
                continue
            if parsed is not None:
                data[key] = parsed
        founder = text_cell(values.get("is_founder")).lower()
        if founder in _YES:
            data["is_founder"] = True
        elif founder and founder not in _NO:
            errors["is_founder"] = [_("Write ya or tidak.")]
        elif founder:
            data["is_founder"] = False
        status = text_cell(values.get("status")).lower()
        if status:
            data["status"] = status
        domicile = text_cell(values.get("domicile"))
        if domicile:
            codes = [domicile] if domicile in self.villages else self.village_names.get(domicile.lower(), [])
            data["domicile_code"] = codes[0] if len(codes) == 1 else domicile
        return data

    def check(self, number: int, values: dict) -> RowOutcome:
        errors: dict[str, list[str]] = {}
        data = self._parse(values, errors)
        nik = "".join(data.get("nik", "").split())
        current_row = self.existing.get(nik)
        current = dict(zip(_FIELDS, current_row[1:], strict=True)) if current_row else None
        if current is None:
            data.setdefault("joined_on", self.today)
            data.setdefault("domicile_code", self.seat)
            if "status" in data or "status_on" in data or "status_reason" in data:
                data.setdefault("status", MemberStatus.AKTIF)
        else:
            current["nik"] = nik
        cleaned, _warnings, rule_errors = clean_member_data(
            data, current=current, villages=self.villages, known_regencies=self.regencies, today=self.today)
        for key, messages in rule_errors.items():
            errors.setdefault(_ERROR_COLUMNS.get(key, key), messages)
        nik = cleaned.get("nik", nik)
        if nik and "nik" not in errors:
            earlier = self.seen.get(nik)
            if earlier:
                errors["nik"] = [_("This NIK is already on row %(row)d of the file.") % {"row": earlier}]
            else:
                self.seen[nik] = number
        if errors:
            return RowOutcome.failed(errors)
        if "domicile" in cleaned:
            cleaned["domicile_id"] = cleaned.pop("domicile").code
        if current is None:
            if not self.dry_run:
                self._add(cleaned)
            return RowOutcome(NEW)
        changes = {key: cleaned[key] for key in _FIELDS if key in cleaned and cleaned[key] != current[key]}
        if not changes:
            return RowOutcome(UNCHANGED)
        if not self.dry_run:
            if "joined_on" in changes:
                self._joined(min(changes["joined_on"], current["joined_on"] or changes["joined_on"]))
            self.updates.append((current_row[0], changes))
            if len(self.updates) >= BATCH:
                self._write_updates()
        return RowOutcome(UPDATED)

    def _joined(self, day) -> None:
        if day is not None:
            self.earliest_joined = min(self.earliest_joined or day, day)

    def _add(self, cleaned: dict) -> None:
        self._joined(cleaned.get("joined_on"))
        cleaned["member_number"] = member_number_format(self.next_number)
        self.next_number += 1
        self.new_rows.append(cleaned)
        if len(self.new_rows) >= BATCH:
            self._write_new()

    def finish(self) -> None:
        if self.dry_run:
            return
        self._write_new()
        self._write_updates()
        if self.written:
            cooperative = self.job.cooperative
            cooperative_activity(cooperative.pk, cooperative.village_id)
            village_changed(*self.villages)
            village_backdated(cooperative.village_id, self.earliest_joined)

    # Writing -------------------------------------------------------------------------------------------

    def _member(self, row: dict) -> dict:
        return {
            "cooperative_id": self.job.cooperative_id, "nik": row["nik"], "name": row["name"], "sex": row["sex"],
            "birth_date": row.get("birth_date"), "domicile_id": row["domicile_id"], "phone": row.get("phone", ""),
            "address": row.get("address", ""), "rt": row.get("rt", ""), "rw": row.get("rw", ""),
            "occupation": row.get("occupation", ""), "member_number": row["member_number"],
            "status": row.get("status", MemberStatus.AKTIF), "status_on": row.get("status_on"),
            "status_reason": row.get("status_reason", ""), "village_office": "",
            "is_founder": row.get("is_founder", False), "joined_on": row["joined_on"],
            "nik_warnings": row.get("nik_warnings", []), "created_by_id": self.actor.pk,
        }

    def _write_new(self) -> None:
        if not self.new_rows:
            return
        members = [self._member(row) for row in self.new_rows]
        self.new_rows = []
        self.written += len(members)
        if connection.vendor == "postgresql":
            _copy_members(members, actor_id=self.actor.pk)
            return
        bulk_create_with_history([Member(**member) for member in members], Member, batch_size=1000,
                                 default_user=self.actor)

    def _write_updates(self) -> None:
        if not self.updates:
            return
        by_id = dict(self.updates)
        self.updates = []
        self.written += len(by_id)
        members = list(Member.objects.filter(pk__in=by_id))
        fields = set()
        for member in members:
            for key, value in by_id[member.pk].items():
                setattr(member, key, value)
                fields.add(key)
        bulk_update_with_history(members, Member, sorted(fields), batch_size=1000, default_user=self.actor)


# COPY -------------------------------------------------------------------------------------------------

_COPY_COLUMNS = ("id", "cooperative_id", "nik", "name", "sex", "birth_date", "domicile_id", "phone", "address",
                 "rt", "rw", "occupation", "member_number", "status", "status_on", "status_reason",
                 "village_office", "is_founder", "joined_on", "nik_warnings", "created_by_id", "created_at")
_NULL = "\\N"


def _copy_fields(member: dict) -> list[str]:
    """The member's columns (between id and created_at) as COPY text, formatted once for both tables."""
    birth_date, status_on = member["birth_date"], member["status_on"]
    warnings = member["nik_warnings"]
    return [
        str(member["cooperative_id"]), member["nik"], member["name"], member["sex"],
        birth_date.isoformat() if birth_date else _NULL, member["domicile_id"], member["phone"], member["address"],
        member["rt"], member["rw"], member["occupation"], member["member_number"], member["status"],
        status_on.isoformat() if status_on else _NULL, member["status_reason"], member["village_office"],
        "t" if member["is_founder"] else "f", member["joined_on"].isoformat(),
        json.dumps(warnings, ensure_ascii=False) if warnings else "[]", str(member["created_by_id"]),
    ]


def _copy(cursor, table: str, columns: tuple[str, ...], rows, *, nullable: tuple[str, ...]) -> None:
    """
    Every value quoted, so no text typed by a person can read as NULL; only the ``nullable`` columns turn the
    NULL marker into NULL.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N', "
                       f"FORCE_NULL ({', '.join(nullable)}))", buffer)


def _copy_members(members: list[dict], *, actor_id: int) -> None:
    """
    Insert members and their history rows ("+", by the importing user) with COPY: ids are taken from the
    table's identity sequence first, so each history row names its member.
    """
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('members_member', 'id')) FROM generate_series(1, %s)",
                       [len(members)])
        ids = [row[0] for row in cursor.fetchall()]
        rows = [[str(pk), *_copy_fields(member), now] for pk, member in zip(ids, members, strict=True)]
        _copy(cursor, "members_member", _COPY_COLUMNS, rows, nullable=("birth_date", "status_on"))
        history = (str(actor_id), _NULL)
        _copy(cursor, "members_historicalmember",
              (*_COPY_COLUMNS, "history_date", "history_type", "history_user_id", "history_change_reason"),
              ([*row, now, "+", *history] for row in rows),
              nullable=("birth_date", "status_on", "history_change_reason"))
