from django.urls import path

from . import codes

urlpatterns = [
    path("", codes.codes_tree, name="codes_tree"),
    path("saran/", codes.account_suggest, name="account_suggest"),
    path("<str:code>/", codes.codes_tree, name="codes_node"),
]
