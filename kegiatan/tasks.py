"""kegiatan has no background work of its own yet: invitations' e-mails go through notifications and the outbox."""

__all__: list[str] = []
