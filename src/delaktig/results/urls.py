from django.urls import path

from delaktig.results import views

app_name = "results"
urlpatterns = [
    path("handlaggning/befolkning/", views.population, name="population"),
    path("handlaggning/dialog/<int:dialogue_id>/", views.compilation, name="compilation"),
    path(
        "handlaggning/dialog/<int:dialogue_id>/<slug:action>/",
        views.compilation_action,
        name="compilation_action",
    ),
    path(
        "handlaggning/dialog/<int:dialogue_id>/sammanstallning.pdf",
        views.compilation_pdf,
        name="compilation_pdf",
    ),
    path(
        "handlaggning/dialog/<int:dialogue_id>/export/radata/",
        views.export_raw,
        name="export_raw",
    ),
    path(
        "handlaggning/dialog/<int:dialogue_id>/export/<slug:what>.<slug:fmt>",
        views.export,
        name="export",
    ),
    path("handlaggning/tema/<int:theme_id>/", views.theme_detail, name="theme"),
    path(
        "handlaggning/tema/<int:theme_id>/<slug:action>/", views.theme_action, name="theme_action"
    ),
    path("handlaggning/bidrag/<int:contribution_id>/<slug:action>/", views.code, name="code"),
    path("<slug:slug>/", views.public, name="public"),
    path("<slug:slug>/sammanstallning.pdf", views.public_pdf, name="public_pdf"),
]
