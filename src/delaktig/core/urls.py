from django.urls import path

from delaktig.core import views

app_name = "core"
urlpatterns = [
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("mejl/sluta/<str:token>/", views.stop_mail, name="stop_mail"),
]
