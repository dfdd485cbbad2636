from .navigation import navigation_for
from .selectors import primary_membership, unread_count


def portal(request):
    """What the base layout shows on every page: navigation, where the person works and
    the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": navigation_for(None)}
    return {
        "nav_items": navigation_for(user),
        "unread_notifications": unread_count(user),
        "primary_membership": primary_membership(user),
    }
