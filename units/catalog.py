"""The seven business units every KDKMP runs (Inpres 9/2025), plus common local ones."""

__all__ = ["UNIT_TYPES", "unit_catalog_ensure"]

# code: (order, name, name_en, mandatory, needs licence)
UNIT_TYPES = {
    "kantor": (1, "Kantor koperasi", "Cooperative office", True, False),
    "gerai_sembako": (2, "Gerai sembako", "Staple-food outlet", True, False),
    "simpan_pinjam": (3, "Simpan pinjam", "Savings and loans", True, False),
    "klinik": (4, "Klinik desa/kelurahan", "Village clinic", True, True),
    "apotek": (5, "Apotek desa/kelurahan", "Village pharmacy", True, True),
    "pergudangan": (6, "Pergudangan/cold storage", "Warehouse/cold storage", True, False),
    "logistik": (7, "Logistik", "Logistics", True, False),
}


def unit_catalog_ensure(unit_type_model=None) -> None:
    if unit_type_model is None:
        # Here, not at the top: migrations import this module, and it must not load the current models there.
        from units.models import UnitType

        unit_type_model = UnitType
    for code, (order, name, name_en, mandatory, licence) in UNIT_TYPES.items():
        unit_type_model.objects.update_or_create(
            code=code,
            defaults={"order": order, "name": name, "name_en": name_en, "is_mandatory": mandatory,
                      "requires_licence": licence},
        )
