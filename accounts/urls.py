"""Sign-in, passwords, surveyors, a gmina's staff and audit log: everything under /konto/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import auth, signature, staff, surveyors

app_name = "accounts"

urlpatterns = [
    path("", auth.profile, name="profile"),
    path("logowanie/", auth.SignInView.as_view(), name="login"),
    path("logowanie/kod/", auth.login_otp, name="login_otp"),
    path("wylogowanie/", auth_views.LogoutView.as_view(), name="logout"),
    path("haslo/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "haslo/reset/wyslano/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "haslo/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "haslo/reset/gotowe/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("haslo/zmiana/", auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "haslo/zmiana/gotowe/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("dwuetapowe/", auth.otp_setup, name="otp_setup"),
    path("dwuetapowe/wylacz/", auth.otp_disable, name="otp_disable"),
    path("geodeta/rejestracja/", surveyors.register, name="surveyor_register"),
    path("geodeci/", surveyors.applications, name="surveyor_list"),
    path("geodeci/<int:pk>/decyzja/", surveyors.decide, name="surveyor_decide"),
    path("podpis/", signature.own_profile, name="staff_profile"),
    path(
        "gminy/<slug:gmina>/zespol/<int:pk>/podpis/",
        signature.member_profile,
        name="member_profile",
    ),
    path("gminy/<slug:gmina>/oplaty/", signature.payment_details, name="payment_details"),
    path("audyt/", staff.platform_log, name="audit_all"),
    path("audyt.csv", staff.platform_log_csv, name="audit_all_csv"),
    path("gminy/<slug:gmina>/zespol/", staff.team, name="team"),
    path("gminy/<slug:gmina>/zespol/<int:pk>/rola/", staff.member_role, name="member_role"),
    path("gminy/<slug:gmina>/zespol/<int:pk>/usun/", staff.member_remove, name="member_remove"),
    path("gminy/<slug:gmina>/audyt/", staff.gmina_log, name="audit_gmina"),
    path("gminy/<slug:gmina>/audyt.csv", staff.gmina_log_csv, name="audit_gmina_csv"),
]
