from django.urls import path

from . import awards

urlpatterns = [
    path("paket/<int:pk>/evaluasi/", awards.evaluation_page, name="evaluation_page"),
    path("paket/<int:pk>/evaluasi/peringkat/", awards.evaluation_rank, name="evaluation_rank"),
    path("paket/<int:pk>/evaluasi/<int:bid_pk>/", awards.evaluation_record, name="evaluation_record"),
    path("paket/<int:pk>/evaluasi/<int:bid_pk>/pembuktian/", awards.evaluation_proof, name="evaluation_proof"),
    path("paket/<int:pk>/pemenang/", awards.award_page, name="award_page"),
    path("paket/<int:pk>/pemenang/<slug:action>/", awards.award_transition, name="award_transition"),
    path("sanggah/<int:pk>/jawab/", awards.objection_answer, name="objection_answer"),
    path("tender/<int:pk>/sanggah/", awards.objection_submit, name="objection_submit"),
    path("paket/<int:pk>/kontrak/", awards.contract_page, name="contract_page"),
    path("kontrak/<int:pk>/tandatangan/", awards.contract_sign, name="contract_sign"),
    path("kontrak/<int:pk>/bayar/", awards.contract_pay, name="contract_pay"),
]
