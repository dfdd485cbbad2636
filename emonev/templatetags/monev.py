from django import template

from ..choices import DeviationLevel

register = template.Library()


@register.inclusion_tag("emonev/_level.html")
def level_badge(level):
    """The deviation's colour with its words, so it reads without colour too."""
    if not level:
        return {"level": "", "label": ""}
    return {"level": level, "label": DeviationLevel(level).label}
