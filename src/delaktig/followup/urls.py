from django.urls import path

from delaktig.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.index, name="index"),
    path("handbok/", views.handbook_page, name="handbook"),
    path("kommunen/<int:year>/", views.municipality_report, name="municipality_report"),
    path("kommunen/<int:year>/pdf/", views.municipality_report_pdf, name="municipality_report_pdf"),
    path("organ/<int:body_id>/<int:year>/", views.annual_report, name="annual_report"),
    path("organ/<int:body_id>/<int:year>/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
    path("utvardera/<slug:slug>/", views.participant_evaluation, name="participant_evaluation"),
    path(
        "handlaggning/dialog/<int:pk>/utvardering/",
        views.organiser_evaluation,
        name="organiser_evaluation",
    ),
]
