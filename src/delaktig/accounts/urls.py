from django.contrib.auth import views as auth_views
from django.urls import path

from delaktig.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("skapa-konto/", views.register, name="register"),
    path("skapa-konto/skickat/", views.register_done, name="register_done"),
    path("bekrafta/<str:token>/", views.verify, name="verify"),
    path("bekrafta-igen/", views.resend_verification, name="resend_verification"),
    path("glomt-losenord/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "nytt-losenord/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nytt-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("e-legitimation/", views.eid_start, name="eid_start"),
    path("e-legitimation/tillbaka/", views.eid_callback, name="eid_callback"),
    path("mina-uppgifter/", views.me, name="me"),
    path("mina-uppgifter/export/", views.me_export, name="export"),
    path("mina-uppgifter/alla-uppgifter/", views.me_export_page, name="export_page"),
    path("mina-uppgifter/radera/", views.me_delete, name="delete"),
    path("mina-uppgifter/kommunen/", views.residency, name="residency"),
    path("mina-uppgifter/samtycke/", views.consent, name="consent"),
    path("mina-uppgifter/bakgrund/", views.demographics, name="demographics"),
    path("skola/", views.school_enter, name="school"),
    path("skola/lamna/", views.school_leave, name="school_leave"),
    path("skola/ny/", views.school_new, name="school_new"),
    path("skola/pass/<str:code>/", views.school_detail, name="school_detail"),
    path("latt-svenska/", views.simple_language, name="simple_language"),
]
