from .selectors import unread_count

__all__ = ["notifications"]


def notifications(request):
    """The unread count beside the bell on every page."""
    return {"unread_notifications": unread_count(getattr(request, "user", None))}
