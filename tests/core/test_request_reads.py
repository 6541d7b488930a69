"""
The reads every signed-in request makes, done as plain statements (core/sessions.py, accounts.selectors.user_by_id)
and with a reused Redis client (core/cache.py): they must behave exactly as Django's own.
"""

import json
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_by_id
from accounts.selectors import user_mfa_state
from accounts.services import user_totp_activate
from core import sessions
from core.middleware import SignedInUserMiddleware
from core.roles import Role
from core.scoping import scope_for
from core.sessions import SessionStore
from notifications.models import Notification
from notifications.models import NotificationKind
from notifications.selectors import unread_count
from notifications.services import notify
from tests.conftest import PATI
from tests.conftest import TOTP_SECRET
from tests.conftest import client_login
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _as_run(queries) -> list[str]:
    """
    The statements run, each EXECUTE as the statement prepared under its name on this connection (read back from
    PostgreSQL); a PREPARE runs nothing.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        prepared = {name: statement.split(" AS ", 1)[1] for name, statement in cursor.fetchall()}
    return [prepared[query["sql"].split()[1].split("(")[0]] if query["sql"].startswith("EXECUTE ") else query["sql"]
            for query in queries.captured_queries if not query["sql"].startswith("PREPARE ")]


def _own_reads(queries) -> list[str]:
    """The statements that read the session or the user."""
    return [sql for sql in _as_run(queries)
            if sql.startswith("SELECT") and ("django_session" in sql or 'FROM "accounts_user"' in sql)]


def test_a_signed_in_officer_is_recognised_with_one_statement_reading_the_session_and_the_user(client,
                                                                                               pati_officer):
    assert client_login(client, pati_officer).status_code == 302
    for _page in range(2):  # the first page after signing in too
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/notifikasi/")
        assert response.status_code == 200
        assert response.context["user"] == pati_officer
        reads = _own_reads(queries)
        assert len(reads) == 1 and "django_session" in reads[0] and 'FROM "accounts_user"' in reads[0]


def test_the_session_and_user_statement_is_prepared_once_per_connection_and_run_by_name(client, pati_officer):
    """PostgreSQL parses and plans it once per connection: later pages send its name and parameters only."""
    assert client_login(client, pati_officer).status_code == 302
    client.get("/notifikasi/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notifikasi/")
    assert response.status_code == 200 and response.context["user"] == pati_officer
    sent = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in sent if sql.startswith("PREPARE")]
    executed = [sql for sql in sent if sql.startswith("EXECUTE kopdes_")]
    assert len(executed) == 1 and "django_session" not in executed[0]  # its name and parameters, not its text
    assert len(_own_reads(queries)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_prepared_statement_the_connection_lost_is_prepared_again(client, committed_regions, pati_officer):
    """A pooler's DISCARD/DEALLOCATE between two pages: the next page still signs the officer in."""
    assert client_login(client, pati_officer).status_code == 302
    assert client.get("/notifikasi/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notifikasi/")
    assert response.status_code == 200 and response.context["user"] == pati_officer
    assert [query["sql"] for query in queries.captured_queries if query["sql"].startswith("PREPARE kopdes_")]


@pytest.mark.django_db(transaction=True)
def test_a_statement_the_connection_holds_beyond_the_processs_record_is_used(client, committed_regions, pati_officer):
    """The process's record of what its connection holds began afresh (PREPARE answers "already exists")."""
    assert client_login(client, pati_officer).status_code == 302
    assert client.get("/notifikasi/").status_code == 200
    sessions._prepared_on.clear()
    response = client.get("/notifikasi/")
    assert response.status_code == 200 and response.context["user"] == pati_officer


@pytest.mark.django_db(transaction=True)
def test_a_statement_planned_before_a_column_changed_type_is_prepared_afresh(client, committed_regions, pati_officer):
    """A migration changed a column the statement reads while this connection held its plan."""
    assert client_login(client, pati_officer).status_code == 302
    assert client.get("/notifikasi/").status_code == 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE accounts_user ALTER COLUMN position_title TYPE varchar(301)")
        response = client.get("/notifikasi/")
        assert response.status_code == 200 and response.context["user"] == pati_officer
    finally:
        with connection.cursor() as cursor:
            length = User._meta.get_field("position_title").max_length
            cursor.execute(f"ALTER TABLE accounts_user ALTER COLUMN position_title TYPE varchar({length})")
    assert client.get("/notifikasi/").status_code == 200  # and back


def test_placeholders_become_numbered_parameters_and_a_doubled_percent_one_percent():
    assert sessions._numbered("SELECT %s, '%%s', %s FROM t WHERE a LIKE 'x%%'") == (
        "SELECT $1, '%s', $2 FROM t WHERE a LIKE 'x%'")


def test_a_process_that_does_not_know_the_session_reads_session_and_user_apart(client, pati_officer):
    """Which user a session holds is learnt from its data; until then the two are read one after the other."""
    assert client_login(client, pati_officer).status_code == 302
    sessions._users_of_sessions.clear()  # as in another process
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notifikasi/")
    assert response.status_code == 200 and response.context["user"] == pati_officer
    assert len(_own_reads(queries)) == 2
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notifikasi/").context["user"] == pati_officer
    assert len(_own_reads(queries)) == 1


def test_a_wrong_guess_of_the_sessions_user_is_never_handed_out(client, pati_officer, national_admin):
    """The user read with a session is given only to a read of the same user, in the same request."""
    assert client_login(client, pati_officer).status_code == 302
    key = client.cookies["sessionid"].value
    sessions._users_of_sessions[key] = str(national_admin.pk)  # a remembered user that is not the session's
    response = client.get("/notifikasi/")
    assert response.status_code == 200 and response.context["user"] == pati_officer
    assert scope_for(response.context["user"]).roots == {PATI}
    # What a session read brought is for its own request only, and read only while a request is served.
    sessions._request_started()  # as the handler's request_started signal does (without closing the connection)
    SessionStore(key).load()
    assert sessions.rows_read_with_session(pati_officer.pk) is not None
    SessionStore(key).load()
    sessions._request_finished()
    assert sessions.rows_read_with_session(pati_officer.pk) is None
    SessionStore(key).load()  # outside a request (a shell, a task)
    assert sessions.rows_read_with_session(pati_officer.pk) is None


def test_the_bells_count_comes_with_the_users_statement_and_is_current(client, pati_officer):
    """The unread count beside the bell is read in the same statement as the user (notifications registers it):
    a signed-in page makes two reads of its own, the session and the user."""
    assert client_login(client, pati_officer).status_code == 302
    notify(users=[pati_officer], kind=NotificationKind.values[0], params={})
    expected = Notification.objects.filter(user=pati_officer, read_at__isnull=True).count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/koperasi/")
    assert response.status_code == 200
    assert f'<span class="count" aria-hidden="true">{expected}</span>' in response.content.decode()
    counts = [sql for sql in _as_run(queries) if "notifications_notification" in sql]
    assert len(counts) == 1 and 'FROM "accounts_user"' in counts[0]


def test_the_count_read_with_the_user_serves_the_whole_request_and_others_read_it(pati_officer):
    """The page around a dashboard is kept under the count its key was made with: every part of one request shows
    the same count; a user not read at the start of a request (no fact) asks the database."""
    pati_officer.role_assignments.create(role=Role.KECAMATAN_OFFICER, region_id="33.18.01")  # two rows read
    before = unread_count(pati_officer)
    loaded = user_by_id(pati_officer.pk)
    notify(users=[pati_officer], kind=NotificationKind.values[0], params={})
    assert unread_count(loaded) == unread_count(loaded) == before  # as read with the user, however often asked
    assert unread_count(User.objects.get(pk=pati_officer.pk)) == before + 1


def test_a_fact_is_computed_once_per_user_and_takes_no_parameters(pati_officer):
    from accounts.selectors import _user_by_id_statement
    from accounts.selectors import register_signed_in_fact

    for region in ("33.18.01", "33.18.02"):
        pati_officer.role_assignments.create(role=Role.KECAMATAN_OFFICER, region_id=region)
    statement, names = _user_by_id_statement()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, [Authenticator.Type.TOTP, pati_officer.pk])
        plan = json.dumps(cursor.fetchone()[0])
    assert names and '"Actual Loops": 3' not in plan  # three role rows, each subquery run once
    with pytest.raises(ValueError):
        register_signed_in_fact("bad", "SELECT count(*) FROM x WHERE y LIKE 'a%'")


def test_the_user_their_roles_and_their_authenticator_are_read_in_one_statement(client, pati_officer):
    """The two-factor check on every page takes what was read with the user: no statement of its own."""
    assert client_login(client, pati_officer).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notifikasi/").status_code == 200
    statements = _as_run(queries)
    reads_access = [sql for sql in statements if "mfa_authenticator" in sql or "accounts_roleassignment" in sql]
    assert len(reads_access) == 1 and 'FROM "accounts_user"' in reads_access[0]


def test_an_officers_sign_in_records_the_backend_that_reads_the_user_in_one_statement(client, pati_officer):
    """allauth records the first backend of its class: the portal's, listed before allauth's own."""
    assert client_login(client, pati_officer).status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.PortalAuthenticationBackend"


def test_a_session_recorded_with_allauths_own_backend_stays_signed_in(client, pati_officer):
    client.force_login(pati_officer, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get("/notifikasi/")
    assert response.status_code == 200 and response.context["user"] == pati_officer


def test_a_wrong_password_is_refused(client, pati_officer):
    response = client.post("/accounts/login/", {"login": pati_officer.email, "password": "not-the-password"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_an_officer_without_an_authenticator_is_still_sent_to_activate_one(client):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, mfa=False)
    assert client_login(client, officer).status_code == 302
    response = client.get("/notifikasi/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_the_user_read_carries_every_role_and_the_authenticator_state(pati_officer):
    pati_officer.role_assignments.create(role=Role.KECAMATAN_OFFICER, region_id="33.18.01")
    loaded = user_by_id(pati_officer.pk)
    assert scope_for(loaded).roots == scope_for(User.objects.get(pk=pati_officer.pk)).roots
    assert user_mfa_state(loaded) == (True, True)
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, mfa=False)
    loaded = user_by_id(officer.pk)
    assert user_mfa_state(loaded) == (True, False)
    # Activated later in the same request: asked again, the state is read again, not taken from the user read.
    user_totp_activate(user=officer, secret=TOTP_SECRET)
    assert user_mfa_state(loaded) == (True, True)


def test_an_expired_session_signs_the_officer_out(client, pati_officer):
    client_login(client, pati_officer)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/notifikasi/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_out_session_cannot_be_used_again(client, pati_officer):
    client_login(client, pati_officer)
    cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = cookie  # the old cookie, replayed
    assert client.get("/notifikasi/").status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()


def test_a_deactivated_account_is_signed_out_on_its_next_request(client, pati_officer):
    client_login(client, pati_officer)
    User.objects.filter(pk=pati_officer.pk).update(is_active=False)
    assert client.get("/notifikasi/").status_code == 302


def test_the_user_read_gives_every_field_the_orm_gives(pati_officer, national_admin):
    pati_officer.invited_by = national_admin
    pati_officer.position_title = "Kepala Bidang"
    pati_officer.save()
    loaded, expected = user_by_id(pati_officer.pk), User.objects.get(pk=pati_officer.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded.invited_by == national_admin
    assert loaded._state.adding is False and loaded._state.db == "default"  # saves update, not insert
    assert user_by_id(10**9) is None


def test_the_cache_reuses_one_redis_client_and_still_reads_and_writes():
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    cache.set("request-reads-check", {"figure": 8158})
    assert cache.get("request-reads-check") == {"figure": 8158}
    cache.delete("request-reads-check")


def test_session_data_decodes_the_same_when_remembered_and_each_read_gets_its_own_copy(pati_officer):
    store = SessionStore()
    store["_auth_user_id"], store["note"] = str(pati_officer.pk), "asli"
    text = store.encode(store._session)
    SessionStore().decode(text)  # now remembered by this process
    remembered = SessionStore().decode(text)
    remembered["note"] = "changed by one request"  # a request changes its own session
    assert SessionStore().decode(text) == {"_auth_user_id": str(pati_officer.pk), "note": "asli"}


def test_tampered_session_data_is_refused_even_beside_remembered_data(pati_officer, caplog):
    store = SessionStore()
    store["_auth_user_id"] = str(pati_officer.pk)
    text = store.encode(store._session)
    assert SessionStore().decode(text)["_auth_user_id"] == str(pati_officer.pk)
    payload, _sep, signature = text.rpartition(":")
    forged = f"{payload}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert SessionStore().decode(forged) == {}
    assert "Session data corrupted" in caplog.text


def test_changed_session_data_is_decoded_anew(client, pati_officer):
    client_login(client, pati_officer)
    assert client.get("/notifikasi/").status_code == 200
    session = client.session
    session["note"] = "baru"
    session.save()
    assert SessionStore(session.session_key).load()["note"] == "baru"


def test_the_request_carries_its_user_itself_read_once_and_a_visitor_is_anonymous(rf, client, pati_officer):
    """core.middleware.SignedInUserMiddleware: no lazy wrapper between the page and its user (every page reads it)."""
    client.force_login(pati_officer)
    signed_in, visitor = rf.get("/"), rf.get("/")
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    for request in (signed_in, visitor):
        SessionMiddleware(lambda request: None).process_request(request)
        SignedInUserMiddleware(lambda request: None).process_request(request)
        with CaptureQueriesContext(connection) as reads:
            request.user.get_username()
        assert len(reads) == 0  # read by the middleware already

    assert type(signed_in.user) is User and signed_in.user.pk == pati_officer.pk
    assert type(visitor.user) is AnonymousUser
