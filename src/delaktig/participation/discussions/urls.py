from django.urls import path

from . import views

app_name = "discussions"
urlpatterns = [
    path("<int:activity_id>/", views.activity, name="activity"),
    path("<int:activity_id>/hantera/", views.manage, name="manage"),
    path("moderering/", views.queue, name="queue"),
    path("kommentar/<int:comment_id>/svara/", views.reply, name="reply"),
    path("kommentar/<int:comment_id>/anmal/", views.report, name="report"),
    path("kommentar/<int:comment_id>/moderera/", views.moderate, name="moderate"),
]
