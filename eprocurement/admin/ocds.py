"""Published OCDS releases in the admin: public data, shown for support, never edited
(a release stays as it was published; a change of the package publishes a new one)."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyAdminMixin

from ..models import OcdsRelease


@admin.register(OcdsRelease)
class OcdsReleaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["release_id", "ocid", "tag", "date"]
    list_filter = ["tag"]
    search_fields = ["release_id", "ocid"]
    date_hierarchy = "date"
    fields = ["release_id", "ocid", "package", "tag", "date", "content_hash", "release"]
    readonly_fields = fields

    @admin.display(description=_("release"))
    def release(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.data, indent=2, ensure_ascii=False))
