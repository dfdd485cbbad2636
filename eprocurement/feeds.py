"""The Atom feed of newly announced tenders, with the tender list's filters as query
parameters (``?region=<id>&kind=works``)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .selectors import tender_site as selectors

FEED_SIZE = 50


class TenderFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("New tenders — Portal e-Government NTT")
    subtitle = gettext_lazy("Tenders announced on the public tender site, newest first.")

    def get_object(self, request):
        return selectors.parse_filters(request.GET)

    def link(self, obj):
        return reverse("eprocurement:tender_list")

    def items(self, obj):
        return selectors.tender_list(obj)[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.code or ''} {item.name}".strip()

    def item_description(self, item):
        facts = {
            "agency": item.agency.name,
            "region": item.agency.region.name,
            "kind": item.get_kind_display(),
            "method": item.get_method_display(),
            "hps": number_format(item.owner_estimate, 0, force_grouping=True),
        }
        return _("%(agency)s, %(region)s. %(kind)s by %(method)s. HPS Rp%(hps)s.") % facts

    def item_link(self, item):
        return reverse("eprocurement:tender_detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.announced_at

    def item_updateddate(self, item):
        return item.announced_at
