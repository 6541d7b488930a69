"""
The roll-up columns, defined once. Every region (and the nation, code ``ID``) has one row of these
counts; the same list drives the SQL that fills them, the model, the API and the exports.
"""

from core.versions import NATION  # the nation's row code ("ID"), kept where the cached pages' versions are

__all__ = [
    "BIG_METRIC_COLUMNS",
    "EVENT_ROLES",
    "FORMATION_MODELS",
    "KEGIATAN_COLUMNS",
    "KINDS",
    "LAND_COLUMNS",
    "METRIC_COLUMNS",
    "MILESTONE_COLUMNS",
    "NATION",
    "OPS_BUCKETS",
    "SAVINGS_COLUMNS",
    "STAGE_BUCKETS",
    "UNIT_CODES",
    "UNIT_STATUSES",
    "stage_column",
    "stage_done_column",
    "unit_column",
]

STAGE_BUCKETS = 11  # stage_0 = no stage completed yet, stage_k = the k-th stage (in order) is the last completed
OPS_BUCKETS = 8  # ops_k = cooperatives with exactly k of the seven mandated units operational
KINDS = ("kdmp", "kkmp")
FORMATION_MODELS = ("baru", "pengembangan", "revitalisasi")
UNIT_CODES = ("kantor", "gerai_sembako", "simpan_pinjam", "klinik", "apotek", "pergudangan", "logistik")
UNIT_STATUSES = ("rencana", "lahan_tersedia", "bangunan", "izin", "operasional", "tidak_dijalankan")


# Members' savings of the area's cooperatives in whole rupiah (big integers), and the simpanan wajib in arrears;
# filled by reports/savings_facts.py.
SAVINGS_COLUMNS = ("savings_pokok", "savings_wajib", "savings_sukarela", "savings_arrears")
# Land and construction (pembangunan): plots recorded (not rejected), verified by the Dinas (and beyond), under
# construction, and handed over. Filled by reports/land_facts.py.
LAND_COLUMNS = ("land_plots", "land_verified", "land_construction", "land_handed_over")
# Events, attendance and the deal pipeline (kegiatan): see reports/kegiatan_facts.py for what each counts.
EVENT_ROLES = ("kepala_desa", "pj_kepala_desa", "sekretaris_desa", "bpd", "operator_desa", "direktur_bumdes",
               "pendamping_desa", "pengurus", "pengawas", "manajer", "anggota")
DEAL_KINDS = ("procurement", "project", "financing", "mentoring")
DEAL_STAGES = ("lead", "talks", "agreed", "running", "closed", "lost")
KEGIATAN_COLUMNS: tuple[str, ...] = (
    "events_held",
    "villages_reached",
    "attendees",
    *(f"attendees_{role}" for role in EVENT_ROLES),
    "deals",
    *(f"deals_{kind}" for kind in DEAL_KINDS),
    *(f"deals_{stage}" for stage in DEAL_STAGES),
    "deal_value_open",
    "deal_value_closed",
)
# Columns holding rupiah: a kabupaten's savings or pipeline pass 2^31 rupiah easily, so they are 64-bit.
BIG_METRIC_COLUMNS = frozenset({*SAVINGS_COLUMNS, "deal_value_open", "deal_value_closed"})


def stage_column(index: int) -> str:
    return f"stage_{index}"


def unit_column(unit_code: str, status: str) -> str:
    return f"unit_{unit_code}_{status}"


def stage_done_column(index: int) -> str:
    return f"stage_done_{index}"


# Milestones and coverage (reports/coverage_facts.py): stage_done_k = cooperatives that completed the k-th stage
# (verified or not applicable), whatever the order (NIB, NPWP, bank account and SIMKOPDES may come in any order);
# simkopdes_account = cooperatives with a SIMKOPDES account (their own field or the verified stage);
# villages_covered / kelurahan_covered = desa/kelurahan served by a cooperative, a joint cooperative's villages
# included (each village once; the cooperative itself is still counted once, at its seat).
MILESTONE_COLUMNS: tuple[str, ...] = (
    *(stage_done_column(index) for index in range(1, STAGE_BUCKETS)),
    "simkopdes_account",
    "villages_covered",
    "kelurahan_covered",
)


METRIC_COLUMNS: tuple[str, ...] = (
    "cooperatives",
    *(f"kind_{kind}" for kind in KINDS),
    *(f"model_{model}" for model in FORMATION_MODELS),
    *(stage_column(index) for index in range(STAGE_BUCKETS)),
    *(unit_column(code, status) for code in UNIT_CODES for status in UNIT_STATUSES),
    "units_local",
    *(f"ops_{count}" for count in range(OPS_BUCKETS)),
    "members",
    "visits_30d",
    "stalled",
    "awaiting_review",
    *SAVINGS_COLUMNS,
    *LAND_COLUMNS,
    *KEGIATAN_COLUMNS,
    *MILESTONE_COLUMNS,
)
