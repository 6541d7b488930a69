"""
Django's database session store, its one read per request as a plain SQL statement, which also reads the
signed-in user's row when it can.

Every signed-in page reads its session row by primary key. Through the ORM that read costs about twice the
statement itself (building and compiling the query, making a model instance); the store is otherwise
Django's own (``django.contrib.sessions.backends.db``): same table, same expiry rule, same writes.

Right after the session, every signed-in page reads its user (accounts.selectors.user_by_id): a second round
trip to the database, about a tenth of a cached page's cost. Which user a session holds is known only from its
data, but a session's key stays with one user for its life (signing in makes a new key). So each process
remembers the user a session key held when it was last read, and on the next read of that key reads the user
the app above registered (``register_read_with_session``) in the same statement. The guess is checked, not
trusted: what was read with the session is handed out only to a read of the same user id
(``rows_read_with_session``), and only within the request that read it (read only while a request is being served,
dropped when it ends).
Where the guess is missing (a process's first request of a session) or wrong, the user is read on their own,
as before. The session row itself is read every time: signing out in one process signs out in every process.

Decoding the row's data (checking its signature, then parsing it) cost about a twentieth of a cached page, and a
signed-in officer's session data rarely changes between pages. So each process remembers what each exact text of
session data decoded to: the same text always decodes to the same values, so nothing is trusted that was not
checked. Only data of plain values is remembered, and each read gets its own copy of it.

On PostgreSQL that statement is prepared once per database connection and executed by name: parsing and
planning its joins cost PostgreSQL ~0.3 ms a page, three times running it (pgbench on the national dataset: 4,300–
5,000 statements/s sent as text, 17,500–23,000 prepared). A prepared statement outlives a rolled-back transaction;
one that has gone (``DEALLOCATE``/``DISCARD`` by a pooler) is prepared again.
"""

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS
from django.db import DatabaseError
from django.db import connections
from django.db import router
from django.utils import timezone

__all__ = ["SessionStore", "register_read_with_session", "rows_read_with_session"]

# session key → the user id its data held when last read here; a stale entry costs only a guess that misses.
_users_of_sessions: OrderedDict[str, str] = OrderedDict()
_users_lock = threading.Lock()
MOST_SESSIONS_REMEMBERED = 20_000
# Session data text → what it decoded to (plain values only), the least recently used dropped first.
_decoded: OrderedDict[str, dict] = OrderedDict()
_decoded_lock = threading.Lock()
MOST_DECODED_REMEMBERED = 10_000
_PLAIN_VALUES = (str, int, float, bool, type(None))
# The statement (SQL, parameters) reading a user by id, registered by the app that owns users; None: read none.
_user_statement: Callable[[str], tuple[str, list]] | None = None
# What the current request read with its session: (user id, rows), for this thread's request only.
_read_here = threading.local()
# DB-API connection → the names of the statements prepared on it (a new connection holds none).
_prepared_on: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_prepared_lock = threading.Lock()
# SQLSTATEs met with a prepared statement: gone from the connection (a pooler's DISCARD); already there (prepared
# before this process's record of it began); planned for a table whose column types a migration has since changed.
_NO_SUCH_STATEMENT, _ALREADY_PREPARED, _RESULT_TYPE_CHANGED = "26000", "42P05", "0A000"


def register_read_with_session(statement: Callable[[str], tuple[str, list]]) -> None:
    """
    Read ``statement(user_id)`` (SQL with its parameters; its rows are handed out as they come) in the same
    statement as a session expected to hold ``user_id``; ``rows_read_with_session(user_id)`` gives them.
    """
    global _user_statement  # one registration, from an AppConfig.ready()
    _user_statement = statement


def rows_read_with_session(user_id) -> list[tuple] | None:
    """
    The rows read for ``user_id`` with this request's session, once (a later read asks the database), or None
    when none were: the session held another user, or none was read with it.
    """
    read = getattr(_read_here, "read", None)
    _read_here.read = None
    if read is None or read[0] != str(user_id):
        return None
    return read[1]


def _request_started(**kwargs) -> None:
    _read_here.read, _read_here.in_request = None, True


def _request_finished(**kwargs) -> None:
    # Outside a request (a shell, a task, a test reading client.session) nothing is read with a session: no request
    # end would drop it, and a later read of the same user there would get rows of that moment.
    _read_here.read, _read_here.in_request = None, False


request_started.connect(_request_started, dispatch_uid="core.sessions.request_started")
request_finished.connect(_request_finished, dispatch_uid="core.sessions.request_finished")


def _remember_user_of(session_key: str | None, data: dict) -> None:
    user_id = data.get("_auth_user_id")
    if user_id is None or not session_key:
        return
    with _users_lock:
        _users_of_sessions[session_key] = str(user_id)
        _users_of_sessions.move_to_end(session_key)
        while len(_users_of_sessions) > MOST_SESSIONS_REMEMBERED:
            _users_of_sessions.popitem(last=False)


class SessionStore(DatabaseSessionStore):
    def decode(self, session_data):
        with _decoded_lock:
            known = _decoded.get(session_data)
            if known is not None:
                _decoded.move_to_end(session_data)
                return dict(known)  # a copy: the session changes its own
        data = super().decode(session_data)
        # Data that did not decode ({}: a bad signature, logged each time) and nested values are not remembered.
        if data and all(isinstance(value, _PLAIN_VALUES) for value in data.values()):
            with _decoded_lock:
                _decoded[session_data] = dict(data)
                while len(_decoded) > MOST_DECODED_REMEMBERED:
                    _decoded.popitem(last=False)
        return data

    def load(self):
        data = super().load()
        _remember_user_of(self.session_key, data)
        return data

    def save(self, must_create=False):
        super().save(must_create=must_create)
        # Signing in saves the session with its user: the next page already reads the user with it.
        _remember_user_of(self.session_key, self._get_session(no_load=must_create))

    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        session = f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s"
        params = [self.session_key, timezone.now()]
        _read_here.read = None
        with _users_lock:
            guess = _users_of_sessions.get(self.session_key)
        with connection.cursor() as cursor:
            # The user is read on the default database (accounts.selectors.user_by_id): with the session only there.
            if (guess is None or _user_statement is None or connection.vendor != "postgresql"
                    or connection.alias != DEFAULT_DB_ALIAS or not getattr(_read_here, "in_request", False)):
                cursor.execute(session, params)
                row = cursor.fetchone()
                rows = None
            else:
                # LATERAL ... ON true: the session's row once per row of the user's statement, or once with NULLs
                # when it has none (no such user).
                user, user_params = _user_statement(guess)
                rows = _execute_prepared(connection, cursor,
                                         f"SELECT session.session_data, account.* FROM ({session}) AS session "
                                         f"LEFT JOIN LATERAL ({user}) AS account ON true", [*params, *user_params])
                row = rows[0] if rows else None
        if row is None:
            self._session_key = None
            return None
        if rows is not None:
            # A user row's columns are all NULL only when the user's statement found nobody.
            found = [found_row[1:] for found_row in rows if any(value is not None for value in found_row[1:])]
            _read_here.read = (guess, found)
        return model(session_key=self.session_key, session_data=row[0])


def _numbered(statement: str) -> str:
    """A statement with DB-API placeholders (``%s``, ``%%``) in PREPARE's form (``$1``, ``$2``…, ``%``)."""
    pieces = statement.split("%%")
    count = 0
    for index, piece in enumerate(pieces):
        parts = piece.split("%s")
        numbered = parts[0]
        for part in parts[1:]:
            count += 1
            numbered += f"${count}{part}"
        pieces[index] = numbered
    return "%".join(pieces)


def _execute_prepared(connection, cursor, statement: str, params: list) -> list[tuple]:
    """
    The rows of ``statement`` (PostgreSQL), prepared on this connection the first time and executed by name after:
    its name is a digest of its text, so a changed statement (another fact registered) is prepared anew.

    A statement the connection lost is prepared again, one it already holds is used, one planned before a migration
    changed a column's type is prepared afresh. Within a transaction an error cannot be recovered from (it has ended
    the transaction) and is raised; the request's own reads run outside one (ATOMIC_REQUESTS is off).
    """
    name = "kopdes_" + hashlib.sha256(statement.encode()).hexdigest()[:16]
    raw = connection.connection
    with _prepared_lock:
        held = _prepared_on.setdefault(raw, set())
    execute = f"EXECUTE {name}({', '.join(['%s'] * len(params))})"
    if name in held:
        try:
            cursor.execute(execute, params)
            return cursor.fetchall()
        except DatabaseError as error:
            state = getattr(error.__cause__, "pgcode", None)
            if state not in (_NO_SUCH_STATEMENT, _RESULT_TYPE_CHANGED) or connection.in_atomic_block:
                raise
            held.discard(name)
            if state == _RESULT_TYPE_CHANGED:
                cursor.execute(f"DEALLOCATE {name}")
    try:
        cursor.execute(f"PREPARE {name} AS {_numbered(statement)}")
    except DatabaseError as error:
        if getattr(error.__cause__, "pgcode", None) != _ALREADY_PREPARED or connection.in_atomic_block:
            raise
    held.add(name)
    cursor.execute(execute, params)
    return cursor.fetchall()
