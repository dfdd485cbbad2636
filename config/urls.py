from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from portal.i18n_views import set_language
from portal.views import healthz

# The admin logs in through the same allauth page (and second factor) as the site.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Portal NTT administration")
admin.site.site_title = _("Portal NTT")
admin.site.index_title = _("Kominfo administration")

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("perencanaan/", include("eplanning.urls")),
    path("anggaran/", include("ebudgeting.urls")),
    path("pengadaan/", include("eprocurement.urls")),
    path("monev/", include("emonev.urls")),
    path("", include("portal.urls")),
]

# Uploaded files are never served from /media/: each is downloaded through a view that
# checks who asks (vendor documents, budget PDFs), in development as in production.
