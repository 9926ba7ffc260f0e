from django.urls import path

from delaktig.participation.surveys import views

app_name = "surveys"
urlpatterns = [
    path("<int:activity_id>/", views.activity, name="activity"),
    path("<int:activity_id>/fortsatt/<str:token>/", views.resume, name="resume"),
    path("<int:activity_id>/hantera/", views.manage, name="manage"),
    path(
        "<int:activity_id>/hantera/fraga/<int:question_id>/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "<int:activity_id>/hantera/fraga/<int:question_id>/ta-bort/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:activity_id>/pappersenkat/", views.paper, name="paper"),
    path("<int:activity_id>/import/", views.import_upload, name="import"),
    path("<int:activity_id>/import/<int:import_id>/", views.import_map, name="import_map"),
    path("<int:activity_id>/resultat/", views.results, name="results"),
]
