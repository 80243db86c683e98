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

from everychild.access import enrolment, tokens
from everychild.access.policy import Capability, is_staff_member, public, requires
from everychild.accounts import lockout
from everychild.accounts.forms import ApiTokenForm, EnrolmentCodeForm, SignInForm, TokenForm
from everychild.accounts.models import ApiToken, EnrolmentCode
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
