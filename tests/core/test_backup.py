"""The backup of a deployment can be restored: the tested restore of docs/security.md's checklist."""

import json
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.backup import _database_url
from core.roles import Role
from members.services import member_add
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import sample_nik
from tests.conftest import submit_stage


def _drop(name: str) -> None:
    admin = psycopg2.connect(_database_url(connection.settings_dict, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def restore_name():
    name = f"kopdes_restore_{uuid.uuid4().hex[:8]}"
    yield name
    _drop(name)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_every_row_and_uploaded_file(committed_regions, tmp_path,
                                                                              restore_name, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    cooperative = register(staff)
    member_add(actor=staff, cooperative=cooperative, nik=sample_nik(3), name="Siti", sex="P",
               domicile_code=PRAWOTO)
    progress = submit_stage(staff, cooperative, "sosialisasi")
    document = progress.documents.get()

    call_command("backup", to=tmp_path / "backups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"]["members_member"] == 1

    call_command("restore", str(folder), database=restore_name, media_root=str(tmp_path / "restored"),
                 stdout=open("/dev/null", "w"))  # noqa: SIM115
    restored = psycopg2.connect(_database_url(connection.settings_dict, restore_name))
    with restored.cursor() as cursor:
        cursor.execute("SELECT nik, name FROM members_member")
        assert cursor.fetchall() == [(sample_nik(3), "Siti")]
        cursor.execute("SELECT count(*) FROM wilayah_region")
        assert cursor.fetchone()[0] == manifest["tables"]["wilayah_region"] > 90_000
    restored.close()
    uploaded = Path(document.file.path)
    assert (tmp_path / "restored" / "media" / uploaded.relative_to(settings.MEDIA_ROOT)).read_bytes() == \
        uploaded.read_bytes()


@pytest.mark.django_db
def test_restore_refuses_the_live_database_and_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", str(tmp_path), database="kopdes_never_created")
    (tmp_path / "manifest.json").write_text('{"tables": {}}')
    with pytest.raises(CommandError, match="not over the one the portal is using"):
        call_command("restore", str(tmp_path), database=connection.settings_dict["NAME"])
