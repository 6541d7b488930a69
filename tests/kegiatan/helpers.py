"""Small builders shared by the kegiatan tests."""

from datetime import timedelta

from django.utils import timezone

from kegiatan import services
from kegiatan.models import EventKind
from tests.conftest import SUKOLILO


def past_event(actor, *, kind=EventKind.RAKOR, region=SUKOLILO, hours_ago: int = 2, **kwargs):
    """An event that started ``hours_ago`` hours ago and lasts three hours."""
    starts = timezone.now() - timedelta(hours=hours_ago)
    return services.event_create(actor=actor, title=kwargs.pop("title", "Rakor percepatan KDKMP"), kind=kind,
                                 starts_at=starts, ends_at=starts + timedelta(hours=3),
                                 place=kwargs.pop("place", "Aula Kantor Camat"), region_code=region, **kwargs)
