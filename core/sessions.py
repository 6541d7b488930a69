"""
Django's database session store, its one read per request as a plain SQL statement.

Every signed-in page reads its session row by primary key. Through the ORM that read costs about twice the
statement itself (building and compiling the query, making a model instance); the store is otherwise
Django's own (``django.contrib.sessions.backends.db``): same table, same expiry rule, same writes.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections
from django.db import router
from django.utils import timezone

__all__ = ["SessionStore"]


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                           [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
