from django.urls import path

from delaktig.feedback import views

app_name = "feedback"
urlpatterns = [
    path("handlaggning/", views.overview, name="overview"),
    path("handlaggning/dialog/<int:pk>/", views.manage, name="manage"),
    path("handlaggning/dialog/<int:pk>/spara/", views.save, name="save"),
    path("handlaggning/dialog/<int:pk>/publicera/", views.publish, name="publish"),
    path("handlaggning/dialog/<int:pk>/rapport/", views.report, name="report"),
    path("handlaggning/dialog/<int:pk>/hantering/", views.handling, name="handling"),
    path(
        "handlaggning/dialog/<int:pk>/hantering/<int:handling_pk>/genomforande/",
        views.implementation,
        name="implementation",
    ),
    path("foljupp/<str:token>/bekrafta/", views.follow_confirm, name="follow_confirm"),
    path("foljupp/<str:token>/sluta-folja/", views.unfollow, name="unfollow"),
    path("mejl/<str:token>/sluta/", views.stop_mail, name="stop_mail"),
    path("mina-adresser/<int:pk>/angra/", views.withdraw_opt_in, name="withdraw_opt_in"),
    path("mitt-konto/dialog/<int:pk>/mejl/", views.account_mail, name="account_mail"),
    path("<slug:slug>/", views.accountability, name="accountability"),
    path("<slug:slug>/folj/", views.follow, name="follow"),
]
