from django.urls import path

from . import ocds

urlpatterns = [
    path("ocds/releases.json", ocds.ocds_releases, name="ocds_releases"),
    path("ocds/releases/<str:release_id>.json", ocds.ocds_release, name="ocds_release"),
    path("ocds/records/<str:ocid>.json", ocds.ocds_record, name="ocds_record"),
    path("red-flags/", ocds.redflag_list, name="redflag_list"),
    path("red-flags/export.csv", ocds.redflag_export, name="redflag_export"),
    path("red-flags/paket/<int:pk>/", ocds.redflag_package, name="redflag_package"),
]
