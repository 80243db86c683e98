import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from everychild.access import enrolment, password_reset, tokens
from everychild.access.audit import client_address
from everychild.access.policy import Capability, is_staff_member, public, requires
from everychild.accounts import lockout
from everychild.accounts.forms import (
    ApiTokenForm,
    EnrolmentCodeForm,
    NewPasswordForm,
    PasswordResetForm,
    SignInForm,
    TokenForm,
)
from everychild.accounts.models import ApiToken, EnrolmentCode
from everychild.accounts.tasks import send_password_reset
from everychild.core.forms import apply_errors


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@public
@never_cache
def sign_in(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "timed_out": request.GET.get("timed_out") == "1",
            "lifetime_over": request.GET.get("timed_out") == "lifetime",
            "lifetime_hours": settings.SESSION_ABSOLUTE_LIFETIME_SECONDS // 3600,
        },
    )


@public
@never_cache
def forgotten_password(request):
    """Ask for a reset link. The answer is the same page whether or not the address has an
    account, and the request does the same work: the worker sends, or finds nothing to send."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not password_reset.allow_asking(email=email, client=client_address(request)):
            return render(request, "accounts/password_reset_too_many.html", status=429)
        send_password_reset.enqueue(password_reset.ask(email=email, request=request))
        return redirect("accounts:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form})


@public
@never_cache
def password_reset_sent(request):
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    return render(request, "accounts/password_reset_sent.html", {"minutes": minutes})


RESET_SESSION_KEY = "password_reset"


def _reset_problem(request, reason: str):
    context = {"reason": reason, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    return render(request, "accounts/password_reset_problem.html", context, status=410)


@public
@never_cache
def password_reset_link(request, uidb64: str, token: str):
    """The e-mailed link. Opening it changes nothing (a mail scanner may open it first); the
    session holds it, and the form is on a page whose address has no token."""
    try:
        user = password_reset.account_for_link(uidb64, token)
    except password_reset.LinkProblem as problem:
        return _reset_problem(request, problem.reason)
    request.session[RESET_SESSION_KEY] = password_reset.hold(user, token)
    return redirect("accounts:password-reset-new")


@public
@never_cache
def password_reset_new(request):
    """Choose the new password. It signs no one in: the next sign-in asks for the new password
    and, for staff, the second factor."""
    held = request.session.get(RESET_SESSION_KEY)
    try:
        user = password_reset.account_held(held)
    except password_reset.LinkProblem as problem:
        return _reset_problem(request, problem.reason)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset.set_new_password(
                held=held, password=form.cleaned_data["password"], request=request
            )
        except password_reset.LinkProblem as problem:
            return _reset_problem(request, problem.reason)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            if request.user.is_authenticated:
                logout(request)  # whoever was signed in here signs in again, as everyone must
            messages.success(
                request, "Your password has been changed. Sign in with your new password."
            )
            return redirect("accounts:sign-in")
    return render(request, "accounts/password_reset_new.html", {"form": form, "email": user.email})


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes calls this when an address and account have failed too often."""
    length = lockout.describe(lockout.cool_off(request))
    return render(request, "accounts/locked_out.html", {"length": length}, status=429)


@public
@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("accounts:sign-in")


def _confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@requires(Capability.SIGNED_IN)
@never_cache
def two_factor(request):
    """Ask for the code from the staff member's authenticator app."""
    device = _confirmed_device(request.user)
    if device is None:
        query = urlencode({"next": _safe_next(request, "/")})
        return redirect(f"{reverse('accounts:two-factor-setup')}?{query}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp slows down repeated wrong codes; say so rather than "wrong" again.
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "Too many wrong codes. Wait a few seconds, then try again.")
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
        else:
            form.add_error("token", "The code is not right or has expired: enter the newest code.")
    return render(
        request, "accounts/two_factor.html", {"form": form, "next": _safe_next(request, "")}
    )


ENROLMENT_SESSION_KEY = "second_factor_enrolment"


@requires(Capability.SIGNED_IN)
@never_cache
def two_factor_setup(request):
    """First sign-in of a staff member: the enrolment code an administrator issued, then
    adding EveryChild to an authenticator app. A password alone shows no key (issue 17)."""
    if _confirmed_device(request.user) is not None:
        return redirect("accounts:two-factor")
    entry_id = request.session.get(ENROLMENT_SESSION_KEY)
    entry = (
        EnrolmentCode.objects.filter(
            pk=entry_id, user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()
        ).first()
        if entry_id
        else None
    )
    if entry is None:
        return _enrolment_code_step(request)
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            enrolment.confirm_device(user=request.user, device=device, entry=entry, request=request)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
        form.add_error("token", "The code is not right: check the time on your phone is correct.")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": buffer.getvalue().decode("utf-8"),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _safe_next(request, ""),
        },
    )


def _enrolment_code_step(request):
    form = EnrolmentCodeForm(request.POST if "code" in request.POST else None)
    if form.is_bound and form.is_valid():
        entry = enrolment.check(user=request.user, code=form.cleaned_data["code"])
        if entry is not None:
            request.session[ENROLMENT_SESSION_KEY] = entry.pk
            query = urlencode({"next": _safe_next(request, "/")})
            return redirect(f"{reverse('accounts:two-factor-setup')}?{query}")
        form.add_error(
            "code",
            "The code is not right, was used or has expired. After 5 wrong tries it stops "
            "working: ask your administrator for a new one.",
        )
    return render(
        request,
        "accounts/enrolment_code.html",
        {"form": form, "next": _safe_next(request, "")},
    )


def _second_factor_passed(request) -> bool:
    # The demonstration (REQUIRE_STAFF_2FA off) asks no second factor of anyone.
    return request.user.is_verified() or not settings.REQUIRE_STAFF_2FA


@requires(Capability.SIGNED_IN)
@never_cache
def api_tokens(request):
    """A staff member's own API tokens: make one (shown once), see when each ends or was last
    used, and revoke any of them."""
    if not is_staff_member(request.user):
        raise Http404("API tokens are for staff")
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = tokens.issue(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                second_factor_passed=_second_factor_passed(request),
                request=request,
            )
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user=request.user),
            "now": timezone.now(),
        },
    )


@requires(Capability.SIGNED_IN)
@require_POST
def revoke_api_token(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404("No such token")
    tokens.revoke(token=token, actor=request.user, request=request)
    messages.success(request, f"The token {token.name} no longer works.")
    return redirect("accounts:api-tokens")
