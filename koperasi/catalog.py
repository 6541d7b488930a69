"""
The default formation workflow (SE Menkop 1/2025, Juklak 1/2025) as data. Loaded by a data
migration and re-runnable: existing rows are updated, officers' additions are left alone.
"""

__all__ = ["ANY_ORDER_STAGES", "DOCUMENT_TYPES", "FORMATION_STAGES", "formation_catalog_ensure"]

# Existing cooperatives (pengembangan, revitalisasi) may already have these; plain values, as this
# module also runs inside migrations.
_EXISTING = ["pengembangan", "revitalisasi"]

DOCUMENT_TYPES = {
    "berita_acara_sosialisasi": ("Berita acara / foto sosialisasi", "Socialisation minutes or photos"),
    "berita_acara_musdesus": ("Berita acara Musdesus/Muskelsus", "Minutes of the Musdesus/Muskelsus"),
    "daftar_hadir_musdesus": ("Daftar hadir Musdesus/Muskelsus", "Attendance list of the Musdesus/Muskelsus"),
    "berita_acara_rapat_pendirian": ("Berita acara rapat pendirian", "Minutes of the founding meeting"),
    "akta_pendirian": ("Akta pendirian koperasi", "Deed of establishment"),
    "sk_ahu": ("SK pengesahan badan hukum (AHU)", "Legal entity decree (SK AHU)"),
    "kartu_npwp": ("Kartu/surat keterangan NPWP", "NPWP card or certificate"),
    "sertifikat_nib": ("NIB (OSS)", "NIB certificate (OSS)"),
    "buku_rekening": ("Buku rekening / surat keterangan bank", "Bank book or bank letter"),
    "bukti_simkopdes": ("Tangkapan layar akun SIMKOPDES", "Screenshot of the SIMKOPDES account"),
    "foto_operasional": ("Foto kantor/gerai beroperasi", "Photo of the office or outlet in operation"),
}

# Once the legal entity exists (SK AHU) these may be completed in any order among themselves; the legally ordered
# steps before them (Musdesus → deed → SK AHU) stay in order, and "operasional" still comes after all of them.
ANY_ORDER_STAGES = frozenset({"npwp", "nib", "rekening_bank", "simkopdes"})

# code: (order, name, name_en, documents, fields, skippable_for, guidance_id, guidance_en)
FORMATION_STAGES = {
    "sosialisasi": (
        10, "Sosialisasi", "Socialisation", ["berita_acara_sosialisasi"], ["held_on"], [],
        "Sosialisasi program kepada perangkat desa/kelurahan dan warga.",
        "The programme is explained to village officials and residents.",
    ),
    "musdesus": (
        20, "Musdesus/Muskelsus", "Special village meeting (Musdesus)",
        ["berita_acara_musdesus", "daftar_hadir_musdesus"], ["held_on", "participants"], [],
        "Musyawarah desa/kelurahan khusus menyepakati pembentukan, model, anggaran dasar awal dan calon pengurus.",
        "The special village meeting agrees on formation, model, initial articles and candidate officers.",
    ),
    "rapat_pendirian": (
        30, "Rapat pendirian", "Founding meeting", ["berita_acara_rapat_pendirian"], ["held_on"], _EXISTING,
        "Para pendiri (minimal 9 orang) menetapkan pengurus dan pengawas.",
        "The founders (at least 9) appoint the pengurus and pengawas.",
    ),
    "akta_notaris": (
        40, "Akta notaris", "Notarial deed", ["akta_pendirian"], ["notary_name", "deed_number", "deed_date"],
        _EXISTING, "Akta pendirian dibuat oleh notaris.", "A notary draws up the deed of establishment.",
    ),
    "sk_ahu": (
        50, "SK AHU (badan hukum)", "Legal entity (SK AHU)", ["sk_ahu"], ["sk_ahu_number", "sk_ahu_date"], _EXISTING,
        "Pengesahan badan hukum melalui AHU Online.", "Legal entity approval through AHU Online.",
    ),
    "npwp": (
        60, "NPWP", "Tax number (NPWP)", ["kartu_npwp"], ["npwp", "npwp_registered_on"], _EXISTING,
        "NPWP badan koperasi dari KPP Pratama.", "The cooperative's tax number from the tax office.",
    ),
    "nib": (
        70, "NIB", "Business number (NIB)", ["sertifikat_nib"], ["nib", "nib_issued_on"], _EXISTING,
        "Nomor Induk Berusaha melalui OSS.", "Business identification number through OSS.",
    ),
    "rekening_bank": (
        80, "Rekening bank", "Bank account", ["buku_rekening"],
        ["bank_name", "bank_account_number", "bank_account_name", "account_opened_on"], _EXISTING,
        "Rekening atas nama koperasi.", "An account in the cooperative's name.",
    ),
    "simkopdes": (
        90, "Akun SIMKOPDES", "SIMKOPDES account", ["bukti_simkopdes"],
        ["simkopdes_account", "simkopdes_registered_on"], [],
        "Registrasi koperasi di SIMKOPDES.", "The cooperative is registered in SIMKOPDES.",
    ),
    "operasional": (
        100, "Operasional", "Operational", ["foto_operasional"], ["operational_since"], [],
        "Koperasi mulai melayani anggota.", "The cooperative starts serving its members.",
    ),
}


def formation_catalog_ensure(formation_stage_model=None, document_type_model=None) -> None:
    """Create or update the default document types and stages (models may be migration models)."""
    if formation_stage_model is None:
        # Here, not at the top: migrations import this module, and it must not load the current models there.
        from koperasi.models import DocumentType
        from koperasi.models import FormationStage

        formation_stage_model, document_type_model = FormationStage, DocumentType
    documents = {}
    for code, (name, name_en) in DOCUMENT_TYPES.items():
        documents[code], _created = document_type_model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en}
        )
    # Migrations older than the field call this with a model that does not have it yet.
    has_any_order = any(f.name == "any_order" for f in formation_stage_model._meta.get_fields())
    for code, (order, name, name_en, docs, fields, skippable, guide, guide_en) in FORMATION_STAGES.items():
        defaults = {"order": order, "name": name, "name_en": name_en, "required_fields": fields,
                    "skippable_for": skippable, "description": guide, "description_en": guide_en}
        if has_any_order:
            defaults["any_order"] = code in ANY_ORDER_STAGES
        stage, _created = formation_stage_model.objects.update_or_create(code=code, defaults=defaults)
        stage.required_documents.set([documents[doc] for doc in docs])
