"""Staff and organisation administration pages (issue 18): GOV.UK pages, no Django admin."""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, public, requires
from everychild.access.staffing import managed_organisations, may_change_person, organisation_areas
from everychild.core.forms import apply_errors
from everychild.core.spreadsheets import csv_writer
from everychild.staff import selectors, services
from everychild.staff.forms import (
    AcceptForm,
    ChangeRolesForm,
    FilterForm,
    InviteForm,
    OrganisationEditForm,
    OrganisationForm,
    VersionForm,
)


def _person_or_404(request, person_id):
    person = selectors.person(request.user, person_id)
    if person is None:
        raise Http404("No such person among the staff you administer")
    return person


@requires(Capability.MANAGE_STAFF)
def people(request):
    organisations = managed_organisations(request.user)
    form = FilterForm(request.GET or None, organisations=organisations)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.people(
        request.user,
        q=filters.get("q", ""),
        organisation_id=getattr(filters.get("organisation"), "pk", None),
        role=filters.get("role", ""),
        status=filters.get("status", ""),
    )
    return render(
        request,
        "staff/people.html",
        {
            "form": form,
            "people": found,
            "invitations": selectors.waiting_invitations(request.user),
            "manages_organisations": bool(organisation_areas(request.user)),
            "query": request.GET.urlencode(),
        },
    )


@requires(Capability.MANAGE_STAFF)
def export(request):
    buffer = io.StringIO()
    csv_writer(buffer).writerows(selectors.export_rows(request.user))
    # Who took a copy of the staff list (names, addresses, roles) out of the service.
    audit.record(
        action=AuditAction.EXPORT,
        actor=request.user,
        request=request,
        detail={"step": "staff_list"},
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="staff.csv"'
    return response


@requires(Capability.MANAGE_STAFF)
def invite(request):
    form = InviteForm(request.POST or None, organisations=managed_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _invitation, outcome = services.invite(
                actor=request.user,
                full_name=data["full_name"],
                email=data["email"],
                organisation=data["organisation"],
                roles=data["roles"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if outcome == "unchanged":
                messages.info(
                    request, f"{data['email']} already has these roles or an invitation to them."
                )
            else:
                messages.success(request, f"We have e-mailed an invitation to {data['email']}.")
            return redirect("staff:people")
    return render(request, "staff/invite.html", {"form": form})


@requires(Capability.MANAGE_STAFF)
def person(request, person_id: int):
    found = _person_or_404(request, person_id)
    return render(
        request,
        "staff/person.html",
        {
            "person": found,
            "may_change": may_change_person(request.user, found),
            "has_password": found.has_usable_password(),
        },
    )


@requires(Capability.MANAGE_STAFF)
def change_roles(request, person_id: int):
    found = _person_or_404(request, person_id)
    if not may_change_person(request.user, found):
        raise PermissionDenied("Another administrator answers for this person.")
    organisations = managed_organisations(request.user)
    current = [m for m in found.managed_memberships if m.is_active]
    initial = {
        "organisation": current[0].organisation if current else None,
        "roles": [m.role for m in current],
        "version": found.version,
    }
    form = ChangeRolesForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_roles(
                actor=request.user,
                person=found,
                organisation=data["organisation"],
                roles=data["roles"],
                version=data["version"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{found.full_name}'s roles are changed. We have told them by e-mail."
            )
            return redirect("staff:person", person_id=found.pk)
    return render(request, "staff/change_roles.html", {"form": form, "person": found})


def _act(request, person_id, act, done: str):
    """A button on the person's page: check the version it was shown at, act, say so."""
    found = _person_or_404(request, person_id)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("version", ["Open the page again."])[0])
        act(found, form.cleaned_data["version"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done.format(name=found.full_name or found.email))
    return redirect("staff:person", person_id=found.pk)


@requires(Capability.MANAGE_STAFF)
@require_POST
def deactivate(request, person_id: int):
    return _act(
        request,
        person_id,
        lambda person, version: services.set_active(
            actor=request.user, person=person, active=False, version=version, request=request
        ),
        "{name}'s account is switched off: they are signed out and their API tokens no longer "
        "work.",
    )


@requires(Capability.MANAGE_STAFF)
@require_POST
def reactivate(request, person_id: int):
    return _act(
        request,
        person_id,
        lambda person, version: services.set_active(
            actor=request.user, person=person, active=True, version=version, request=request
        ),
        "{name}'s account is switched on again.",
    )


@requires(Capability.MANAGE_STAFF)
@require_POST
def reset_password(request, person_id: int):
    return _act(
        request,
        person_id,
        lambda person, version: services.reset_password(
            actor=request.user, person=person, request=request
        ),
        "We have e-mailed {name} a link to choose a new password. Their old one no longer works.",
    )


@requires(Capability.MANAGE_STAFF)
@require_POST
def reset_second_factor(request, person_id: int):
    return _act(
        request,
        person_id,
        lambda person, version: services.reset_second_factor(
            actor=request.user, person=person, request=request
        ),
        "{name}'s authenticator app is removed. We have e-mailed them a code to set up a new one.",
    )


# --- Organisations ---------------------------------------------------------------------------


def _area_or_403(request):
    areas = organisation_areas(request.user)
    if not areas:
        raise PermissionDenied("Only a council's staff administrators manage organisations.")
    return areas[0]


@requires(Capability.MANAGE_STAFF)
def organisations(request):
    area = _area_or_403(request)
    return render(
        request,
        "staff/organisations.html",
        {"area": area, "organisations": selectors.area_organisations(request.user)},
    )


@requires(Capability.MANAGE_STAFF)
def add_organisation(request):
    area = _area_or_403(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.add_organisation(
                actor=request.user, area=area, **form.cleaned_data, request=request
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{made.name} is added.")
            return redirect("staff:organisations")
    return render(request, "staff/organisation_form.html", {"form": form, "organisation": None})


@requires(Capability.MANAGE_STAFF)
def organisation(request, organisation_id: int):
    _area_or_403(request)
    found = selectors.area_organisation(request.user, organisation_id)
    if found is None:
        raise Http404("No such organisation in your area")
    initial = {
        "name": found.name,
        "kind": found.kind,
        "urn": found.urn,
        "ukprn": found.ukprn,
        "version": found.version,
    }
    form = OrganisationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_organisation(
                actor=request.user, organisation=found, **form.cleaned_data, request=request
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} is saved.")
            return redirect("staff:organisations")
    return render(request, "staff/organisation_form.html", {"form": form, "organisation": found})


@requires(Capability.MANAGE_STAFF)
@require_POST
def close_organisation(request, organisation_id: int):
    _area_or_403(request)
    found = selectors.area_organisation(request.user, organisation_id)
    if found is None:
        raise Http404("No such organisation in your area")
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Open the page again: the form had lost its place.")
        services.close_organisation(
            actor=request.user,
            organisation=found,
            version=form.cleaned_data["version"],
            request=request,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("staff:organisation", organisation_id=found.pk)
    messages.success(request, f"{found.name} is closed.")
    return redirect("staff:organisations")


# --- Accepting an invitation or choosing a new password (the link is the credential) ---------

PROBLEMS = {
    "invalid": "This link does not work. Check you copied all of it from the e-mail.",
    "expired": "This link has expired. Ask your administrator to send a new one.",
    "used": "This link has already been used. Sign in, or ask your administrator for a new one.",
    "inactive": "This account is switched off. Ask your administrator.",
}


def _problem(request, reason):
    return render(
        request,
        "staff/link_problem.html",
        {"problem": PROBLEMS[reason]},
        status=410 if reason in {"expired", "used"} else 404,
    )


@public
@never_cache
def accept(request, token: str):
    try:
        invitation = services.invitation_for(token)
    except services.InvitationProblem as problem:
        return _problem(request, problem.reason)
    if not services.link_sets_password(invitation):
        if invitation.purpose == invitation.Purpose.PASSWORD_RESET:
            return _problem(request, "used")  # a password was chosen since it was sent
        return _accept_signed_in(request, token, invitation)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept(token=token, password=form.cleaned_data["password"], request=request)
        except services.InvitationProblem as problem:
            return _problem(request, problem.reason)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "staff/password_set.html", {"invitation": invitation})
    return render(request, "staff/accept.html", {"form": form, "invitation": invitation})


def _accept_signed_in(request, token, invitation):
    """The account has a password: the link proves nothing about who holds it, so its owner
    signs in, passes the second factor, and then accepts (issue 17)."""
    account = invitation.user
    owner = request.user.is_authenticated and request.user.pk == account.pk
    verified = owner and (request.user.is_verified() or not settings.REQUIRE_STAFF_2FA)
    if owner and not verified:
        return redirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': request.path})}")
    if request.method == "POST" and verified:
        try:
            services.accept(token=token, signed_in=request.user, request=request)
        except services.InvitationProblem as problem:
            return _problem(request, problem.reason)
        messages.success(request, f"You now work for {invitation.organisation.name} in EveryChild.")
        return redirect("home:home")
    return render(
        request,
        "staff/accept_signed_in.html",
        {
            "invitation": invitation,
            "verified": verified,
            "sign_in_url": f"{reverse('accounts:sign-in')}?{urlencode({'next': request.path})}",
        },
    )
