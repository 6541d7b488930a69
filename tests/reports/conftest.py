import pytest

from core.roles import Role
from reports.services import rollup_reconcile
from tests.conftest import BLITAR
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import register


@pytest.fixture
def areas(db, pati_officer, kabupaten_officer_2):
    """Two cooperatives in Pati (one with its legal entity) and one in Blitar; the roll-up is built."""
    prawoto = register(pati_officer, PRAWOTO)
    from tests.conftest import seed_board

    seed_board(pati_officer, prawoto)
    for code in ("sosialisasi", "musdesus", "rapat_pendirian", "akta_notaris", "sk_ahu"):
        complete_stage(pati_officer, kabupaten_officer_2, prawoto, code)
    pakem = register(pati_officer, PAKEM)
    blitar = register(make_user(Role.KABUPATEN_OFFICER, BLITAR), "35.05.01.2001")
    rollup_reconcile()
    return {"prawoto": prawoto, "pakem": pakem, "blitar": blitar}


@pytest.fixture(autouse=True)
def fresh_memo():
    """Dashboards keep catalogue data and the roll-up's freshness in process for a moment; tests start clean."""
    from reports.selectors import _MEMO

    _MEMO.clear()
    yield
    _MEMO.clear()
