from celery import shared_task

from .services import region_import

__all__ = ["import_regions"]


@shared_task
def import_regions() -> dict:
    """Thin wrapper over the idempotent ``region_import`` of the shipped official list."""
    result = region_import()
    return {"created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "deactivated": result.deactivated}
