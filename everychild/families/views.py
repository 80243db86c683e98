"""The family portal's pages. Thin: forms read, services write, selectors read."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from everychild.access.audit import client_address
from everychild.access.policy import Capability, public, requires
from everychild.advice.models import AdviceWork
from everychild.areas.models import Area
from everychild.areas.selectors import serving_area
from everychild.casework import clock
from everychild.casework.models import AssessmentRequest, CaseDocument, Stage
from everychild.casework.policy import visible_assessment_requests
from everychild.children.models import FamilyLink
from everychild.children.policy import family_children
from everychild.core.digits import ascii_digits
from everychild.core.forms import apply_errors as _apply_errors
from everychild.families import selectors, services
from everychild.families.forms import (
    STEPS,
    AcceptInvitationForm,
    AttachmentForm,
    DraftResponseForm,
    EmailCodeForm,
    InvitationForm,
    MessageForm,
    SupportViewsForm,
    ViewsForm,
)
from everychild.families.models import (
    PLAN_SECTIONS,
    DraftPlanResponse,
    FamilyAnswer,
    FamilyMessage,
    ViewsStatement,
)
from everychild.plans.documents import pdf_bytes, render_plan_html
from everychild.plans.models import PlanVersion
from everychild.support import prefill as support_prefill
from everychild.support import selectors as support_selectors
from everychild.support import services as support_services
from everychild.support.models import OutcomeResult, SupportPlan
from everychild.support.thread import normalised as support_normalised

SESSION_KEY = "family_request"
CODE_SESSION_KEY = "family_code_ok"
STEP_ORDER = list(STEPS)


# --- Requesting an assessment without an account ---------------------------------------------


def _answers(request) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def _stored(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _typed(answers: dict) -> dict:
    """Answers as the services take them (dates back from the session's text)."""
    typed = dict(answers)
    if typed.get("date_of_birth"):
        typed["date_of_birth"] = dt.date.fromisoformat(typed["date_of_birth"])
    return typed


def _area() -> Area | None:
    """The council that receives public requests."""
    return serving_area()


def _first_missing(answers: dict) -> str | None:
    required = {
        "child": "date_of_birth",
        "you": "contact_email",
        "setting": "setting_done",
        "why": "reason",
        "consent": "consent",
    }
    for step in STEP_ORDER:
        if not answers.get(required[step]):
            return step
    return None


@public
@never_cache
def request_start(request):
    return render(request, "families/request_start.html", {"area": _area()})


@public
@never_cache
def request_step(request, step: str):
    if step not in STEPS:
        raise Http404("No such question")
    form_class, heading = STEPS[step]
    answers = _answers(request)
    # Questions in order: a later page opened first goes back to the first unanswered one.
    missing = _first_missing(answers)
    if missing is not None and STEP_ORDER.index(step) > STEP_ORDER.index(missing):
        return redirect("families:request-step", step=missing)
    extra = {}
    if step == "you" and answers.get("date_of_birth"):
        extra["date_of_birth"] = dt.date.fromisoformat(answers["date_of_birth"])
    if request.method == "POST":
        form = form_class(request.POST, **extra)
        if form.robot():
            return HttpResponse("We could not accept this form.", status=400)
        if form.is_valid():
            for name, value in form.cleaned_data.items():
                if name != "website":
                    answers[name] = _stored(value)
            if step == "setting":
                answers["setting_done"] = True
            request.session[SESSION_KEY] = answers
            if request.GET.get("change") == "1" and _first_missing(answers) is None:
                return redirect("families:request-check")
            nxt = STEP_ORDER.index(step) + 1
            if nxt < len(STEP_ORDER):
                return redirect("families:request-step", step=STEP_ORDER[nxt])
            return redirect("families:request-check")
    else:
        initial = {name: answers.get(name) for name in form_class.base_fields}
        if initial.get("date_of_birth"):
            initial["date_of_birth"] = dt.date.fromisoformat(initial["date_of_birth"]).strftime(
                "%d/%m/%Y"
            )
        form = form_class(initial=initial, **extra)
    index = STEP_ORDER.index(step)
    back = (
        reverse("families:request-step", kwargs={"step": STEP_ORDER[index - 1]})
        if index
        else reverse("families:request-start")
    )
    return render(
        request,
        "families/request_step.html",
        {
            "form": form,
            "step": step,
            "heading": heading,
            "back": back,
            "number": index + 1,
            "total": len(STEP_ORDER),
            # Started from the child's support plan (decision 0242): the answers are ours.
            "from_support_plan": bool(answers.get("from_support_plan")),
        },
    )


@public
@never_cache
def request_check(request):
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing is not None:
        return redirect("families:request-step", step=missing)
    area = _area()
    error = ""
    if request.method == "POST":
        if request.POST.get("website"):
            return HttpResponse("We could not accept this form.", status=400)
        try:
            case = services.submit_public_request(
                area=area,
                answers=_typed(answers),
                address=client_address(request),
                request=request,
            )
        except services.TooManyRequests:
            return render(request, "families/request_too_many.html", status=429)
        except ValidationError as refusal:
            error = " ".join(sum(refusal.message_dict.values(), []))
        else:
            del request.session[SESSION_KEY]
            request.session["family_request_reference"] = case.reference
            return redirect("families:request-done")
    born = dt.date.fromisoformat(answers["date_of_birth"])
    return render(
        request,
        "families/request_check.html",
        {"answers": answers, "born": born, "error": error, "area": area},
    )


@public
@never_cache
def request_done(request):
    reference = request.session.get("family_request_reference")
    if not reference:
        return redirect("families:request-start")
    return render(request, "families/request_done.html", {"reference": reference})


# --- Invitations ------------------------------------------------------------------------------


@requires(Capability.CASEWORK)
def invite(request, child_id: int):
    child = selectors.child_to_invite(request.user, child_id, request=request)
    if child is None:
        raise Http404("No child found")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(actor=request.user, child=child, request=request, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"We have e-mailed an invitation to {form.cleaned_data['email']}. "
                f"The link works once and for {services.INVITATION_LIFETIME.days} days.",
            )
            return redirect("children:detail", child_id=child.pk)
    return render(request, "families/invite.html", {"form": form, "child": child})


@requires(Capability.CASEWORK)
@require_POST
def share(request, case_id: int, document_id: int):
    document = CaseDocument.objects.filter(
        pk=document_id,
        assessment_request__in=visible_assessment_requests(request.user).filter(pk=case_id),
    ).first()
    if document is None:
        raise Http404("No document found")
    services.share_document(actor=request.user, document=document, request=request)
    messages.success(request, f"{document.title} is shared with the family.")
    return redirect(reverse("casework:case", args=[case_id]) + "#family")


@requires(Capability.CASEWORK)
@require_POST
def answered(request, case_id: int):
    """The caseworker marks something the family sent as answered (it leaves My tasks)."""
    case = visible_assessment_requests(request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404("No case found")
    subject = request.POST.get("subject", "")
    item = request.POST.get("item", "")
    response = message = None
    if ascii_digits(item):
        if subject == FamilyAnswer.Subject.MESSAGE:
            message = FamilyMessage.objects.filter(pk=int(item), assessment_request=case).first()
        else:
            response = DraftPlanResponse.objects.filter(
                pk=int(item), assessment_request=case
            ).first()
    anchor = "#family-messages" if subject == FamilyAnswer.Subject.MESSAGE else "#family"
    try:
        services.mark_answered(
            actor=request.user,
            case=case,
            subject=subject,
            response=response,
            message=message,
            request=request,
        )
    except services.AlreadyAnswered:
        messages.info(request, "That was already marked as answered.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Marked as answered. It is no longer on the task list.")
    return redirect(reverse("casework:case", args=[case_id]) + anchor)


def _invitation_problem(request, reason: str):
    return render(request, "families/invitation_problem.html", {"reason": reason}, status=410)


@public
@never_cache
def accept(request, token: str):
    try:
        invitation = services.invitation_for(token)
    except services.InvitationProblem as problem:
        return _invitation_problem(request, problem.reason)
    account = services.existing_account(invitation)
    if account is not None:
        return _accept_for_existing_account(request, token, invitation, account)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                password=form.cleaned_data["password"],
                email_code_required=form.cleaned_data["email_code"],
                request=request,
            )
        except services.InvitationProblem as problem:
            return _invitation_problem(request, problem.reason)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[CODE_SESSION_KEY] = user.pk  # they proved the e-mail by the link
            messages.success(request, "Your account is ready.")
            return redirect("families:home")
    return render(request, "families/accept.html", {"form": form, "invitation": invitation})


def _accept_for_existing_account(request, token, invitation, account):
    """The address has an account: the link alone proves nothing about who holds it, so its
    owner signs in with their own password (and e-mailed code) and then accepts."""
    if services.is_staff_account(account):
        return _invitation_problem(request, "staff")
    signed_in_as_owner = request.user.is_authenticated and request.user.pk == account.pk
    if (
        signed_in_as_owner
        and request.session.get(CODE_SESSION_KEY) != account.pk
        and services.email_code_required(account)
    ):
        return redirect(f"{reverse('families:code')}?next={request.path}")
    if request.method == "POST" and signed_in_as_owner:
        try:
            services.accept_invitation(token=token, signed_in=request.user, request=request)
        except services.InvitationProblem as problem:
            return _invitation_problem(request, problem.reason)
        messages.success(request, f"{invitation.child.first_name} is now linked to your account.")
        return redirect("families:home")
    return render(
        request,
        "families/accept_existing.html",
        {
            "invitation": invitation,
            "signed_in_as_owner": signed_in_as_owner,
            "sign_in_url": f"{reverse('accounts:sign-in')}?{urlencode({'next': request.path})}",
        },
    )


# --- The portal --------------------------------------------------------------------------------


def family_page(view):
    """A portal page: family roles only, and the e-mailed code first when they chose it."""

    @requires(Capability.FAMILY_PORTAL)
    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.session.get(
            CODE_SESSION_KEY
        ) != request.user.pk and services.email_code_required(request.user):
            return redirect(f"{reverse('families:code')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapped


@requires(Capability.FAMILY_PORTAL)
@never_cache
def email_code(request):
    form = EmailCodeForm(request.POST or None)
    if request.method == "POST" and "resend" not in request.POST and form.is_valid():
        if services.check_email_code(user=request.user, code=form.cleaned_data["code"]):
            request.session[CODE_SESSION_KEY] = request.user.pk
            target = request.GET.get("next", "")
            return redirect(target if target.startswith("/family/") else "families:home")
        form.add_error("code", "That code is not right, or it has expired. Ask for a new one.")
    waiting = False
    if request.method == "GET":
        services.send_email_code(user=request.user)
    elif "resend" in request.POST:
        waiting = not services.send_email_code(user=request.user, again=True)
    return render(request, "families/code.html", {"form": form, "waiting": waiting})


def _case(request, case_id) -> AssessmentRequest:
    try:
        return selectors.family_case(request.user, case_id, request=request)
    except AssessmentRequest.DoesNotExist:
        # The same answer whether the case does not exist or is not theirs.
        raise Http404("No case found") from None


@family_page
def home(request):
    children = selectors.children_for(request.user, request=request)
    support = {}
    for plan in support_selectors.family_support_plans(request.user):
        support.setdefault(plan.child_id, []).append(plan)
    for item in children:
        item["own"] = selectors.speaks_for_themselves(request.user, item["child"])
        item["support_plans"] = support.get(item["child"].pk, [])
    own = [c["child"] for c in children if c["own"]]
    return render(
        request,
        "families/home.html",
        {
            "children": children,
            "young_only": bool(children) and len(own) == len(children),
            "can_choose_sharing": any(
                selectors.may_choose_parent_access(request.user, c) for c in own
            ),
        },
    )


@family_page
def case(request, case_id: int):
    case = _case(request, case_id)
    return render(
        request,
        "families/case.html",
        {
            "case": case,
            "where": selectors.where_are_we(case, user=request.user),
            "documents": selectors.case_documents(case),
        },
    )


def _review(case, review_id):
    """An annual review of the plan that came from this case, or 404."""
    if review_id is None:
        return None
    review = selectors.review_of(case, review_id)
    if review is None:
        raise Http404("No such review")
    return review


def _views_edit_url(case, kind, review):
    if review is not None:
        return reverse("families:review-views-edit", args=[case.pk, review.pk, kind])
    return reverse("families:views-edit", args=[case.pk, kind])


@family_page
def views_choose(request, case_id: int, review_id: int | None = None):
    case = _case(request, case_id)
    review = _review(case, review_id)
    kinds = services.views_kinds_for(request.user, case)
    statements = selectors.statements_for(request.user, case, review)
    pages = [
        {
            "kind": kind,
            "label": ViewsStatement.Kind(kind).label,
            "statement": statements[kind],
            "url": _views_edit_url(case, kind, review),
        }
        for kind in kinds
    ]
    return render(
        request,
        "families/views_choose.html",
        {
            "case": case,
            "pages": pages,
            "review": review,
            "section_a": selectors.section_a_explained(request.user, case),
        },
    )


def _views_page(request, case, kind, review, form, upload_form, statement, status=200):
    back = (
        reverse("families:review-views", args=[case.pk, review.pk])
        if review is not None
        else reverse("families:views", args=[case.pk])
    )
    upload_url = (
        reverse("families:review-views-upload", args=[case.pk, review.pk, kind])
        if review is not None
        else reverse("families:views-upload", args=[case.pk, kind])
    )
    return render(
        request,
        "families/views_edit.html",
        {
            "case": case,
            "kind": kind,
            "label": ViewsStatement.Kind(kind).label,
            "young": selectors.speaks_for_themselves(request.user, case),
            "form": form,
            "upload_form": upload_form,
            "statement": statement,
            "review": review,
            "back": back,
            "upload_url": upload_url,
        },
        status=status,
    )


@family_page
def views_edit(request, case_id: int, kind: str, review_id: int | None = None):
    case = _case(request, case_id)
    review = _review(case, review_id)
    if kind not in services.views_kinds_for(request.user, case):
        raise Http404("No such page")
    statement = selectors.statements_for(request.user, case, review)[kind]
    initial = (
        {name: getattr(statement, name) for name in services.VIEWS_FIELDS} if statement else {}
    )
    form = ViewsForm(request.POST or None, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        send = "send" in request.POST
        try:
            statement = services.save_views(
                actor=request.user,
                case=case,
                kind=kind,
                values=form.cleaned_data,
                send=send,
                review=review,
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if send:
                messages.success(request, "Thank you. We have sent this to your caseworker.")
                if review is not None:
                    return redirect("families:plan", case_id=case.pk)
                return redirect("families:case", case_id=case.pk)
            messages.success(
                request, "Your answers are saved as a draft. Nobody else sees them yet."
            )
            return redirect(_views_edit_url(case, kind, review))
    return _views_page(request, case, kind, review, form, AttachmentForm(), statement)


@family_page
@require_POST
def views_upload(request, case_id: int, kind: str, review_id: int | None = None):
    case = _case(request, case_id)
    review = _review(case, review_id)
    if kind not in services.views_kinds_for(request.user, case):
        raise Http404("No such page")
    upload_form = AttachmentForm(request.POST, request.FILES)
    if upload_form.is_valid():
        try:
            current = selectors.statements_for(request.user, case, review)[kind]
            statement = services.save_views(
                actor=request.user,
                case=case,
                kind=kind,
                values={name: getattr(current, name, "") for name in services.VIEWS_FIELDS},
                review=review,
                request=request,
            )
            services.add_views_attachment(
                actor=request.user,
                statement=statement,
                upload=upload_form.cleaned_data["file"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(upload_form, error)
        else:
            messages.success(request, "The file has been added to your draft.")
            return redirect(_views_edit_url(case, kind, review))
    statement = selectors.statements_for(request.user, case, review)[kind]
    initial = (
        {name: getattr(statement, name) for name in services.VIEWS_FIELDS} if statement else {}
    )
    return _views_page(
        request,
        case,
        kind,
        review,
        ViewsForm(initial=initial, kind=kind),
        upload_form,
        statement,
        400,
    )


@family_page
def draft(request, case_id: int):
    case = _case(request, case_id)
    window = clock.comment_window(case)
    if window is None:
        raise Http404("There is no draft plan yet")
    response = selectors.draft_response_for(request.user, case)
    sent = selectors.sent_responses_for(request.user, case)
    initial = {}
    if response is not None:
        initial = {f"section_{k}": v for k, v in response.comments.items()}
        initial.update(
            wants_meeting=response.wants_meeting, preferred_setting=response.preferred_setting
        )
    form = DraftResponseForm(request.POST or None, initial=initial)
    # Until the 15 days end the family may add more, however often they have sent comments.
    locked = not window["is_open"]
    if request.method == "POST" and form.is_valid():
        send = "send" in request.POST
        try:
            services.save_draft_response(
                actor=request.user,
                case=case,
                comments=form.comments(),
                wants_meeting=form.cleaned_data["wants_meeting"],
                preferred_setting=form.cleaned_data["preferred_setting"],
                send=send,
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
            window = clock.comment_window(case)
            locked = not window["is_open"]
        else:
            messages.success(
                request,
                "Thank you. We have sent your comments to your caseworker. We have e-mailed you "
                "to confirm. You can add more until "
                f"{window['last_day']:%-d %B %Y}."
                if send
                else "Your comments are saved as a draft. Send them before the last day.",
            )
            return redirect("families:draft", case_id=case.pk)
    return render(
        request,
        "families/draft.html",
        {
            "case": case,
            "window": window,
            "form": form,
            "response": response,
            "sent": sent,
            "locked": locked,
            "sections": PLAN_SECTIONS,
            "documents": selectors.case_documents(case),
            "plan_html": selectors.draft_plan_html(case),
        },
    )


@family_page
def message(request, case_id: int):
    case = _case(request, case_id)
    caseworker = selectors.caseworker_name(case)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(
                actor=request.user, case=case, body=form.cleaned_data["body"], request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Your message has been sent to {selectors.message_to(caseworker)}. They will "
                "reply by e-mail or phone.",
            )
            return redirect("families:message", case_id=case.pk)
    return render(
        request,
        "families/message.html",
        {
            "case": case,
            "form": form,
            "caseworker": caseworker,
            "message_to": selectors.message_to(caseworker),
            "sent": selectors.messages_sent_by(request.user, case),
        },
    )


@family_page
def document(request, case_id: int, document_id: int):
    try:
        found = selectors.document_for_family(request.user, case_id, document_id, request=request)
    except (AssessmentRequest.DoesNotExist, StopIteration):
        raise Http404("No document found") from None
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    return _private_download(
        FileResponse(
            handle,
            as_attachment=True,
            filename=found.original_name,
            content_type=found.content_type,
        )
    )


@family_page
def plan(request, case_id: int):
    case = _case(request, case_id)
    if case.stage != Stage.PLAN_ISSUED:
        raise Http404("There is no final plan yet")
    return render(
        request,
        "families/plan.html",
        {
            "case": case,
            "where": selectors.where_are_we(case, user=request.user),
            "versions": selectors.issued_versions(case),
            "advice": selectors.advice_for_family(case, user=request.user),
            "documents": selectors.case_documents(case),
            "reviews": selectors.reviews_for_family(request.user, case),
        },
    )


def _issued_version(request, case_id, number, *, download=False):
    try:
        return selectors.issued_version_for_family(
            request.user, case_id, number, request=request, download=download
        )
    except (AssessmentRequest.DoesNotExist, PlanVersion.DoesNotExist):
        # The same answer for a draft, another family's plan or no plan at all.
        raise Http404("No such plan") from None


@family_page
def plan_version(request, case_id: int, number: int):
    case, version = _issued_version(request, case_id, number)
    return render(
        request,
        "families/plan_version.html",
        {"case": case, "version": version, "plan_html": render_plan_html(version)},
    )


def _private_download(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@family_page
def plan_version_pdf(request, case_id: int, number: int):
    case, version = _issued_version(request, case_id, number, download=True)
    response = HttpResponse(pdf_bytes(version), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ehc-plan-{case.reference}-version-{version.number}.pdf"'
    )
    return _private_download(response)


@family_page
def advice_report(request, case_id: int, advice_id: int):
    try:
        work = selectors.advice_report_for_family(request.user, case_id, advice_id, request=request)
    except (AssessmentRequest.DoesNotExist, AdviceWork.DoesNotExist):
        raise Http404("No advice found") from None
    try:
        handle = work.document.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    return _private_download(
        FileResponse(
            handle,
            as_attachment=True,
            filename=work.document_name or "advice",
            content_type=work.document_type or "application/octet-stream",
        )
    )


@family_page
def sharing(request):
    own = [
        c
        for c in family_children(request.user).filter(own_account=request.user)
        if selectors.may_choose_parent_access(request.user, c)
    ]
    if not own:
        raise Http404("Nothing to choose")
    child = own[0]
    links = list(selectors.linked_parents(request.user, child))
    if request.method == "POST":
        chosen = set(request.POST.getlist("allowed"))
        for link in links:
            services.set_parent_access(
                actor=request.user,
                child=child,
                link=link,
                allowed=str(link.pk) in chosen,
                request=request,
            )
        messages.success(request, "Your choices are saved.")
        return redirect("families:sharing")
    links = list(
        FamilyLink.objects.filter(pk__in=[link.pk for link in links]).select_related("user")
    )
    return render(request, "families/sharing.html", {"links": links})


# --- SEN support plans (issue 22) -------------------------------------------------------


@family_page
def request_from_support_plan(request, plan_id: int):
    """Start the request for an EHC needs assessment from the child's support plan (decision
    0242): the form's answers are filled from what the family sees of the plan, and the family
    goes through every question, changing anything, before sending. Nothing is written until
    they send it on the usual form. Only on a POST (the button on the plan's page), so a link
    cannot replace answers already started."""
    try:
        plan = support_selectors.family_support_plan(
            request.user, plan_id, request=request, page="family_request_from_support_plan"
        )
    except SupportPlan.DoesNotExist:
        raise Http404("No support plan found") from None
    if request.method != "POST":
        return redirect("families:support-plan", plan_id=plan.pk)
    request.session[SESSION_KEY] = support_prefill.family_request_answers(
        plan,
        support_selectors.cycles_of(plan),
        own=plan.child.own_account_id == request.user.pk,
        user=request.user,
    )
    return redirect("families:request-step", step=STEP_ORDER[0])


@family_page
def support_plan(request, plan_id: int):
    """The child's support plan and its reviews, in plain English, with a form to send the
    family's views (and the child's) to the setting."""
    try:
        plan = support_selectors.family_support_plan(request.user, plan_id, request=request)
    except SupportPlan.DoesNotExist:
        raise Http404("No support plan found") from None
    own = plan.child.own_account_id == request.user.pk
    form = SupportViewsForm(request.POST if request.method == "POST" else None, own=own)
    if request.method == "POST" and form.is_valid():
        try:
            support_services.contribute(
                actor=request.user, plan=plan, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Thank you. Your views have been sent to the school.")
            return redirect("families:support-plan", plan_id=plan.pk)
    thread = support_normalised(plan.thread)
    outcome_text = {o["id"]: o["text"] for o in thread["outcomes"]}
    cycles = support_selectors.cycles_of(plan)
    results = dict(OutcomeResult.choices)
    for cycle in cycles:
        cycle.results_shown = [
            (outcome_text.get(key, "An earlier outcome"), results.get(value["result"], ""))
            for key, value in cycle.review_results.items()
        ]
    return render(
        request,
        "families/support_plan.html",
        {
            "plan": plan,
            "own": own,
            "thread": thread,
            "cycles": cycles,
            "form": form,
            "sent": [
                c
                for c in support_selectors.contributions_to(plan)
                if c.sent_by_id == request.user.pk
            ],
        },
    )
