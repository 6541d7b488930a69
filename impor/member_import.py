"""
Importing a cooperative's member register. Each row is checked by the register's own rules
(``members.rules.clean_member_data``); a row is keyed by its NIK within the cooperative, so uploading the
same file again changes nothing. New members get the cooperative's next member numbers, in file order,
under the cooperative's lock. Rows are written in batches (COPY on PostgreSQL) with their history rows.

The dry run keeps the rows it checked (``checked_rows``) with a token of the register it checked them
against; the import writes those rows as they are while the token holds, and checks every row again if not.
A kept new member is a line ready for COPY into the member table, numbered already: the token covers every
member number of the register, so while it holds the cooperative's next number is the one the dry run saw.
On PostgreSQL the kept rows (or, when every row is checked again, each batch) go into the member table with
one COPY, the time, the importing user and the cooperative put before each line as it is sent; one INSERT …
SELECT then copies the new rows into the history.
"""

import csv
import hashlib
import io
import json
import shutil
import tempfile
from datetime import date
from functools import cached_property

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
from members.extensions import joining_date_refusals
from members.extensions import status_changed
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
from .readers import parse_date_text
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
# A new member's own values, in the order the dry run keeps them (after its member number, as a line of COPY's CSV)
# and COPY writes them.
_OWN_COLUMNS = ("nik", "name", "sex", "birth_date", "domicile_id", "phone", "address", "rt", "rw", "occupation",
                "joined_on", "is_founder", "status", "status_on", "status_reason", "nik_warnings")
_JOINED_ON = _OWN_COLUMNS.index("joined_on")
_CHECKED_FORMAT = "5"  # part of the token: rows kept by an older release are checked again
_AKTIF = str(MemberStatus.AKTIF.value)
_NULL = "\\N"  # COPY's NULL marker (only in the columns allowed to be NULL)
_ERROR_COLUMNS = {"domicile_code": "domicile", "nik_warnings": "nik"}
# The outcomes without errors, made once (the engine only reads them): a register has 100,000 rows.
_NEW_OUTCOME = RowOutcome(NEW)
_UNCHANGED_OUTCOME = RowOutcome(UNCHANGED)


@register_import_kind
class MemberImport(ImportKindBase):
    kind = "anggota"
    order = 10
    label = gettext_lazy("Members")
    columns = (
        Column("nik", "NIK", gettext_lazy("16 digits as on the KTP. Format the column as text so Excel keeps "
                                          "every digit. A NIK already in the register updates that member."),
               "3318014507900001", required=True, masked=True),
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
        # The dry run numbers the rows it keeps: while the token (which covers every member number) holds, the
        # import's next number is this one.
        self.next_number = member_numbers_next(cooperative.pk)
        self.seat = cooperative.village_id
        self.villages = {link.village_id: link.village for link in cooperative.villages.select_related("village")}
        self.village_names = {}
        for code, village in self.villages.items():
            self.village_names.setdefault(village.name.lower(), []).append(code)
        self.regencies = regency_codes()
        # Taken before the register is read: a change in between makes the import check every row again.
        self.token = _register_token(cooperative.pk, villages=self.villages, regencies=self.regencies,
                                     today=self.today, next_number=self.next_number)
        self.seen: dict[str, int] = {}
        self.new_rows: list[dict] = []
        self.updates: list[tuple[int, dict]] = []
        self.written = 0
        self.earliest_joined = ""  # the earliest joining date written (ISO): past snapshots from then on change
        self.checked = self.checked_updates = None
        self.kept_new = 0
        self.kept_joined = ""  # the earliest joining date of the kept new members (ISO)
        if self.dry_run and self.token:
            # Handed to the engine by ``checked_rows``, which closes it (a temporary file is gone once closed).
            # Room for the header line first, written once the rows are counted.
            self.checked = tempfile.TemporaryFile()  # noqa: SIM115
            self.checked.write(b" " * (_HEADER_WIDTH - 1) + b"\n")
            self.kept_lines: list[str] = []

    @cached_property
    def existing(self) -> dict[str, tuple]:
        """
        The register as it is, keyed by NIK: a tuple per member is a few hundred bytes even for 100,000. The
        phone as stored text: read through its model field, every number would be parsed again.
        """
        fields = [field if field != "phone" else "phone_text" for field in _FIELDS]
        return {
            nik: tuple(row)
            for nik, *row in Member.objects.filter(cooperative=self.job.cooperative)
            .annotate(phone_text=Cast("phone", CharField())).values_list("nik", "id", *fields).iterator(chunk_size=5000)
        }

    def _parse(self, cells: tuple, errors: dict) -> dict:
        (nik, name, sex, birth_date, domicile, address, rt, rw, occupation, phone, joined_on, is_founder, status,
         status_on, status_reason) = cells
        # Every cell of a CSV (and most of an XLSX) is text: stripped here without a call to ``text_cell``. NIK and
        # name are kept even when empty, so the rules say they are missing; other empty cells are left out.
        data: dict = {"nik": nik.strip() if type(nik) is str else text_cell(nik),
                      "name": name.strip() if type(name) is str else text_cell(name)}
        for key, value in (("address", address), ("rt", rt), ("rw", rw), ("occupation", occupation),
                           ("phone", phone), ("status_reason", status_reason)):
            if text := value.strip() if type(value) is str else text_cell(value):
                data[key] = text
        sex = (sex.strip() if type(sex) is str else text_cell(sex)).lower()
        data["sex"] = _SEX.get(sex, sex.upper())
        for key, value in (("birth_date", birth_date), ("joined_on", joined_on), ("status_on", status_on)):
            try:
                parsed = parse_date_text(value) if type(value) is str else parse_date_cell(value)
            except ValueError:
                errors[key] = [_("Write the date as 12/06/1990 (day/month/year) or 1990-06-12.")]
                continue
            if parsed is not None:
                data[key] = parsed
        founder = (is_founder.strip() if type(is_founder) is str else text_cell(is_founder)).lower()
        if founder in _YES:
            data["is_founder"] = True
        elif founder and founder not in _NO:
            errors["is_founder"] = [_("Write ya or tidak.")]
        elif founder:
            data["is_founder"] = False
        status = (status.strip() if type(status) is str else text_cell(status)).lower()
        if status:
            data["status"] = status
        domicile = domicile.strip() if type(domicile) is str else text_cell(domicile)
        if domicile:
            codes = [domicile] if domicile in self.villages else self.village_names.get(domicile.lower(), [])
            data["domicile_code"] = codes[0] if len(codes) == 1 else domicile
        return data

    def check(self, number: int, values: dict) -> RowOutcome:
        return self.check_cells(number, tuple(values.get(key) for key in _COLUMN_KEYS))

    def check_cells(self, number: int, cells: tuple) -> RowOutcome:
        """A row as its cells in the order of ``columns``."""
        errors: dict[str, list[str]] = {}
        data = self._parse(cells, errors)
        nik = data["nik"]
        if not nik.isdigit():  # spaces inside a NIK typed in groups
            nik = "".join(nik.split())
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
            if self.checked:
                self._keep_new(_own_copy_text(cleaned))
            elif not self.dry_run:
                self._add(_own_copy_text(cleaned))
            return _NEW_OUTCOME
        changes = {key: cleaned[key] for key in _FIELDS if key in cleaned and cleaned[key] != current[key]}
        if not changes:
            return _UNCHANGED_OUTCOME
        if "joined_on" in changes and changes["joined_on"] > current["joined_on"]:
            # The register's rule, as member_update asks it: nothing recorded (savings) may end up before joining.
            refusals = joining_date_refusals(Member(pk=current_row[0], name=current["name"],
                                                    joined_on=current["joined_on"]), changes["joined_on"])
            if refusals:
                return RowOutcome.failed({"joined_on": refusals})
        # A joining or leaving date moved either way changes the past (members counted on each day) from the
        # earlier of the two dates.
        moved_keys = [key for key in ("joined_on", "status_on") if key in changes]
        if "status" in changes and "status_on" not in moved_keys:
            moved_keys.append("status_on")
        moved = [day for key in moved_keys for day in (changes.get(key), current[key]) if day]
        joined = min(moved) if moved else None
        if self.checked:
            self._keep_update(current_row[0], changes, joined)
        elif not self.dry_run:
            self._update(current_row[0], changes, joined=joined.isoformat() if joined else "")
        return RowOutcome(UPDATED)

    def _joined(self, day: str) -> None:
        if day and (not self.earliest_joined or day < self.earliest_joined):
            self.earliest_joined = day

    def _update(self, member_id: int, changes: dict, *, joined: str) -> None:
        self._joined(joined)
        self.updates.append((member_id, changes))
        if len(self.updates) >= BATCH:
            self._write_updates()

    def _add(self, own: list[str]) -> None:
        """A new member (its own values as COPY text); numbered and written in batches."""
        self._joined(own[_JOINED_ON])
        self.new_rows.append(own)
        if len(self.new_rows) >= BATCH:
            self._write_new()

    def _keep_new(self, own: list[str]) -> None:
        """A checked new member, kept as the line COPY writes: its member number, then its own values."""
        joined = own[_JOINED_ON]
        if not self.kept_joined or joined < self.kept_joined:
            self.kept_joined = joined
        self.kept_lines.append(_copy_line([member_number_format(self.next_number), *own]))
        self.next_number += 1
        self.kept_new += 1
        if len(self.kept_lines) >= BATCH:
            self._keep_lines_write()

    def _keep_lines_write(self) -> None:
        self.checked.write("".join(self.kept_lines).encode())
        self.kept_lines = []

    def _keep_update(self, member_id: int, changes: dict, joined: date | None) -> None:
        """A checked change, kept after the new members: the member's id, the changes and the earlier joining date."""
        if self.checked_updates is None:
            self.checked_updates = io.TextIOWrapper(tempfile.TemporaryFile(), encoding="utf-8",  # noqa: SIM115
                                                    newline="")
            self.updates_writer = csv.writer(self.checked_updates, lineterminator="\n", quoting=csv.QUOTE_ALL)
        self.updates_writer.writerow([member_id, json.dumps(changes, default=date.isoformat),
                                      joined.isoformat() if joined else ""])

    def checked_rows(self):
        """
        The kept rows as one file: a header line (how many new members, how many bytes their lines take, their
        earliest joining date), the new members' lines, then the changes.
        """
        if self.checked is None:
            return None
        self._keep_lines_write()
        raw = self.checked
        size = raw.tell() - _HEADER_WIDTH
        header = json.dumps({"new": self.kept_new, "bytes": size, "joined": self.kept_joined}).encode()
        raw.seek(0)
        raw.write(header.ljust(_HEADER_WIDTH - 1) + b"\n")
        raw.seek(0, io.SEEK_END)
        if self.checked_updates is not None:
            self.checked_updates.flush()
            updates = self.checked_updates.detach()
            updates.seek(0)
            shutil.copyfileobj(updates, raw)
            updates.close()
        return raw, self.token

    def checked_token(self) -> str:
        return self.token

    def commit_checked(self, handle) -> None:
        """The dry run's new members copied into the register as they are, then its changes written."""
        while getattr(handle, "file", None) is not None:  # FieldFile → File → the open file
            handle = handle.file
        header = json.loads(handle.read(_HEADER_WIDTH))
        self._joined(header["joined"])
        self._copy_new(_KeptLines(handle, header["bytes"]), count=header["new"])
        updates = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        try:
            for member_id, changes_json, joined in csv.reader(updates):
                changes = json.loads(changes_json)
                for key in _DATE_COLUMNS:
                    if changes.get(key):
                        changes[key] = date.fromisoformat(changes[key])
                self._update(int(member_id), changes, joined=joined)
        finally:
            updates.detach()  # the caller closes the stored file

    def finish(self) -> None:
        if self.dry_run:
            return
        self._write_new()
        self._write_updates()
        if self.written:
            cooperative = self.job.cooperative
            cooperative_activity(cooperative.pk, cooperative.village_id)
            village_changed(*self.villages)
            if self.earliest_joined:
                village_backdated(cooperative.village_id, date.fromisoformat(self.earliest_joined))

    # Writing -------------------------------------------------------------------------------------------

    def _write_new(self) -> None:
        if not self.new_rows:
            return
        rows, self.new_rows = self.new_rows, []
        first = self.next_number
        if connection.vendor == "postgresql":
            lines = "".join(_copy_line([member_number_format(number), *own])
                            for number, own in enumerate(rows, start=first)).encode()
            self._copy_new(_KeptLines(io.BytesIO(lines), len(lines)), count=len(rows))
            return
        members = [Member(cooperative_id=self.job.cooperative_id, member_number=member_number_format(number),
                          created_by_id=self.actor.pk, **_own_values(own))
                   for number, own in enumerate(rows, start=first)]
        self.next_number += len(rows)
        self.written += len(rows)
        bulk_create_with_history(members, Member, batch_size=1000, default_user=self.actor)

    def _copy_new(self, lines: "_KeptLines", *, count: int) -> None:
        """
        New members (lines of ``_KeptLines``, numbered from ``self.next_number`` on) into the register with one
        COPY, then their history rows ("+", by the importing user) with one INSERT … SELECT. The ids the
        sequence hands out after ``after`` and up to its value once the COPY is done hold this cooperative's
        new members (its lock keeps any other writer of its members out) and other cooperatives' members.
        """
        if not count:
            return
        now = timezone.now()
        actor_id = self.actor.pk if self.actor else None
        lines.prefix = _csv_line([now.isoformat(), _NULL if actor_id is None else actor_id,
                                  self.job.cooperative_id, ""]).rstrip(b"\n") + b","
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('members_member', 'id'))")
            after = cursor.fetchone()[0]
            cursor.copy_expert(_COPY_NEW, lines)
            if lines.count != count:
                raise RuntimeError(f"The kept rows hold {lines.count} members, not {count}.")
            # A parameter, not currval() in the statement: a volatile function there would rule out the index.
            cursor.execute("SELECT currval(pg_get_serial_sequence('members_member', 'id'))")
            last = cursor.fetchone()[0]
            cursor.execute(_INSERT_HISTORY, {"now": now, "cooperative": self.job.cooperative_id, "actor": actor_id,
                                             "after": after, "last": last})
            if cursor.rowcount != count:
                raise RuntimeError(f"{cursor.rowcount} history rows written for {count} new members.")
        self.next_number += count
        self.written += count

    def _write_updates(self) -> None:
        if not self.updates:
            return
        by_id = dict(self.updates)
        self.updates = []
        self.written += len(by_id)
        members = list(Member.objects.filter(pk__in=by_id))
        fields = set()
        was = {member.pk: (member.status, member.status_on) for member in members}
        for member in members:
            for key, value in by_id[member.pk].items():
                setattr(member, key, value)
                fields.add(key)
        bulk_update_with_history(members, Member, sorted(fields), batch_size=1000, default_user=self.actor)
        # What member_status_change sets off, for the rows whose status moved (a bulk write sends no signal).
        for member in members:
            if (member.status, member.status_on) != was[member.pk]:
                status_changed(member, *was[member.pk])


_COLUMN_KEYS = tuple(column.key for column in MemberImport.columns)
assert _COLUMN_KEYS == ("nik", "name", "sex", "birth_date", "domicile", "address", "rt", "rw", "occupation", "phone",
                        "joined_on", "is_founder", "status", "status_on", "status_reason"), "MemberImport._parse"


def _own_copy_text(row: dict) -> list[str]:
    """A checked new member's own values (``_OWN_COLUMNS``) as COPY text, the defaults filled in."""
    birth_date, status_on, warnings = row.get("birth_date"), row.get("status_on"), row.get("nik_warnings")
    return [
        row["nik"], row["name"], row["sex"], birth_date.isoformat() if birth_date else _NULL, row["domicile_id"],
        row.get("phone", ""), row.get("address", ""), row.get("rt", ""), row.get("rw", ""), row.get("occupation", ""),
        row["joined_on"].isoformat(), "t" if row.get("is_founder") else "f", row.get("status", _AKTIF),
        status_on.isoformat() if status_on else _NULL, row.get("status_reason", ""),
        json.dumps(warnings, ensure_ascii=False) if warnings else "[]",
    ]


def _own_values(own: list[str]) -> dict:
    """``_own_copy_text`` read back into field values (the bulk insert on databases without COPY)."""
    values = dict(zip(_OWN_COLUMNS, own, strict=True))
    for key in _DATE_COLUMNS:
        values[key] = date.fromisoformat(values[key]) if values[key] != _NULL else None
    values["is_founder"] = values["is_founder"] == "t"
    values["nik_warnings"] = json.loads(values["nik_warnings"])
    return values


def _register_token(cooperative_id: int, *, villages: dict, regencies: frozenset[str], today: date,
                    next_number: int) -> str:
    """
    A digest of everything a member row is checked against: the cooperative's register (every field a row
    is compared with), its desa/kelurahan, the region codes and the day. PostgreSQL only (elsewhere "": the
    import checks every row again).
    """
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(md5(string_agg(ROW(id, nik, name, sex, birth_date, domicile_id, phone, "
            "address, rt, rw, occupation, joined_on, is_founder, status, status_on, status_reason, member_number)"
            "::text, E'\\n' ORDER BY id)), '') FROM members_member WHERE cooperative_id = %s", [cooperative_id])
        count, digest = cursor.fetchone()
    parts = [_CHECKED_FORMAT, str(cooperative_id), str(count), digest, str(next_number), today.isoformat(),
             ",".join(sorted(villages)),
             hashlib.md5(",".join(sorted(regencies)).encode(), usedforsecurity=False).hexdigest()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


# COPY --------------------------------------------------------------------------------------------------

_HEADER_WIDTH = 128  # the kept file's header line, newline included
_CHUNK = 1 << 20
# What the import puts before each kept line (when, by whom, into which cooperative, no village office), then the
# kept line: the member number and the member's own values. Quoted CSV throughout, so no text typed by a person
# can read as NULL; only the nullable columns turn the NULL marker into NULL.
_COPY_COLUMNS = ("created_at", "created_by_id", "cooperative_id", "village_office", "member_number", *_OWN_COLUMNS)
_COPY_NEW = (f"COPY members_member ({', '.join(_COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N', "
             "FORCE_NULL (created_by_id, birth_date, status_on))")
_MEMBER_COLUMNS = ("id", *_COPY_COLUMNS)
# No ORDER BY id: the planner, not knowing yet how many rows the COPY added, would sort them on disk; the rows come
# in the order the COPY wrote them all the same, and the history is read by member and date, not by history_id.
_INSERT_HISTORY = f"""
INSERT INTO members_historicalmember ({", ".join(_MEMBER_COLUMNS)}, history_date, history_type, history_user_id,
                                      history_change_reason)
SELECT {", ".join(_MEMBER_COLUMNS)}, %(now)s, '+', %(actor)s, NULL
  FROM members_member
 WHERE id > %(after)s AND id <= %(last)s AND cooperative_id = %(cooperative)s AND created_at = %(now)s
"""


def _csv_line(values: list) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(values)
    return buffer.getvalue().encode()


def _copy_line(values: list[str]) -> str:
    """Text values as a line of CSV, each quoted (as ``csv.QUOTE_ALL`` writes them, without its cost per row)."""
    line = '","'.join(values)
    if line.count('"') != 2 * len(values) - 2:  # a value holds a quote: doubled, as CSV wants it
        line = '","'.join(value.replace('"', '""') for value in values)
    return f'"{line}"\n'


class _KeptLines:
    """
    ``size`` bytes of kept lines from a binary file, read for ``cursor.copy_expert`` with ``prefix`` put before
    each line. A kept line is one row: every text it holds was tidied to one line by the register's rules
    (and the row count is checked against the lines counted here).
    """

    def __init__(self, handle, size: int):
        self.handle, self.left, self.prefix = handle, size, b""
        self.carry = b""
        self.count = 0

    def read(self, _size: int = -1) -> bytes:
        while self.left > 0:
            chunk = self.handle.read(min(_CHUNK, self.left))
            if not chunk:
                break
            self.left -= len(chunk)
            body = self.carry + chunk
            cut = body.rfind(b"\n") + 1
            if not cut:
                self.carry = body
                continue
            self.carry = body[cut:]
            lines = body[:cut]
            self.count += lines.count(b"\n")
            return self.prefix + lines[:-1].replace(b"\n", b"\n" + self.prefix) + b"\n"
        if self.carry:
            raise RuntimeError("The kept rows end in the middle of a line.")
        return b""
