from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("<int:activity_id>/", views.activity, name="activity"),
    path("<int:activity_id>/kalender.ics", views.ics, name="ics"),
    path("<int:activity_id>/hantera/", views.manage, name="manage"),
    path("<int:activity_id>/dokumentation/", views.document, name="document"),
    path("anmalan/<str:token>/", views.registration, name="registration"),
]
