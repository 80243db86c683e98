from django.urls import path

from everychild.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("forgotten-password/", views.forgotten_password, name="password-reset"),
    path("forgotten-password/sent/", views.password_reset_sent, name="password-reset-sent"),
    path("reset-password/new/", views.password_reset_new, name="password-reset-new"),
    path(
        "reset-password/<uidb64>/<token>/",
        views.password_reset_link,
        name="password-reset-link",
    ),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.revoke_api_token, name="api-token-revoke"),
]
