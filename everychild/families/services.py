"""Writes of the family portal: a request without an account, invitations and accounts, a
young person's choice of what their parents see, the e-mailed one-time code, views for
section A, and responses to the draft plan.

Each service takes keyword-only arguments, refuses with a ValidationError naming the field
(or PermissionDenied) and writes nothing then; it writes inside one transaction with its
audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Action, Capability, la_area_ids, may
from everychild.accounts.models import User
from everychild.accounts.services import join_family
from everychild.casework import chronology, clock, uploads
from everychild.casework import services as casework
from everychild.casework.models import AssessmentRequest, CaseEvent, EventKind
from everychild.casework.policy import family_cases
from everychild.children import codes
from everychild.children.models import Child, FamilyLink
from everychild.core.dates import today
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text
from everychild.families import notices, selectors
from everychild.families.models import (
    PLAN_SECTIONS,
    DraftPlanResponse,
    EmailCode,
    FamilyAccount,
    FamilyAnswer,
    FamilyMessage,
    Invitation,
    PublicRequest,
    RequestAttempt,
    SharedDocument,
    ViewsAttachment,
    ViewsStatement,
)
from everychild.statutory import ages as age

# The public form: at most this many requests from one address in RATE_WINDOW.
RATE_LIMIT = 5
RATE_WINDOW = dt.timedelta(hours=1)
# Short-lived: a link is a credential for as long as it works (issue 17). A caseworker sends a
# new one when it runs out.
INVITATION_LIFETIME = dt.timedelta(days=3)
EMAIL_CODE_LIFETIME = dt.timedelta(minutes=10)
EMAIL_CODE_MAX_ATTEMPTS = 5
# A new sign-in code on request: not within a minute of the last, at most 5 an hour.
EMAIL_CODE_RESEND_AFTER = dt.timedelta(minutes=1)
EMAIL_CODES_PER_HOUR = 5
VIEWS_FIELDS = ("about", "what_matters", "what_is_hard", "hopes", "how_to_help")
_SIGNING_SALT = "everychild.families.invitation"


class TooManyRequests(Exception):
    """The public form was sent too often from one address."""


class InvitationProblem(Exception):
    """An invitation link that cannot be used, with what the person should do instead."""

    def __init__(self, reason: str):
        # "invalid", "expired", "used", or "staff" (the address is a staff account's: a staff
        # account is never given a family role by link).
        self.reason = reason
        super().__init__(reason)


def _hash(text: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{text}".encode()).hexdigest()


# --- Requesting an assessment without an account ---------------------------------------------


def check_rate_limit(address: str | None) -> None:
    """Refuse a sender who has used the form RATE_LIMIT times in the last hour."""
    key = _hash(address or "unknown")
    since = timezone.now() - RATE_WINDOW
    if RequestAttempt.objects.filter(address_hash=key, at__gte=since).count() >= RATE_LIMIT:
        raise TooManyRequests


def submit_public_request(*, area, answers: dict, address: str | None, request=None):
    """Record a request for an EHC needs assessment made on the public form.

    A new child record is always made, marked by its PublicRequest, and never matched to a
    child already known: the form must not tell anyone whether a child is known to the
    service, and a silent match on a name and birthday could join a stranger's request to
    someone else's child. The caseworker links the two when they check the request (decision
    0060). The request joins the LA's queue as any other (casework.record_public_request)."""
    check_rate_limit(address)
    RequestAttempt.objects.create(address_hash=_hash(address or "unknown"))
    relationship = answers.get("relationship")
    if relationship not in PublicRequest.Relationship.values:
        _refuse("relationship", "Choose whether you are the parent or the young person.")
    if not answers.get("consent"):
        _refuse("consent", "Confirm that you agree to us sharing the request.", "required")
    contact_email = _text("contact_email", answers.get("contact_email"), "your e-mail address")
    try:
        validate_email(contact_email)
    except ValidationError:
        _refuse("contact_email", "Enter an e-mail address like name@example.com.")
    contact_name = _text("contact_name", answers.get("contact_name"), "your name", max_length=200)
    reason = _text("reason", answers.get("reason"), "why you are asking for an assessment")
    child = Child(
        area=area,
        first_name=_text(
            "first_name", answers.get("first_name"), "their first name", max_length=100
        ),
        last_name=_text("last_name", answers.get("last_name"), "their last name", max_length=100),
        date_of_birth=answers.get("date_of_birth"),
        sex=codes.Sex.UNKNOWN,
        postcode=(answers.get("postcode") or "").strip().upper()[:8],
        # No UPN from a family: "referral to the SEN team by a non-school source" (SEN2).
        upn_unknown_reason=codes.UPNUnknownReason.UN7,
    )
    try:
        child.full_clean()
    except ValidationError as error:
        field = "date_of_birth" if "date_of_birth" in error.message_dict else "first_name"
        _refuse(field, " ".join(next(iter(error.message_dict.values()))))
    who = "parent or carer" if relationship == PublicRequest.Relationship.PARENT else "young person"
    with transaction.atomic():
        child.save()
        audit.record(action=AuditAction.CREATE, child=child, record=child, request=request)
        case = casework.record_public_request(
            area=area,
            child=child,
            received_on=today(),
            requested_by=f"{contact_name} ({who}, online request)",
            reason=reason,
            request=request,
        )
        public_request = PublicRequest.objects.create(
            assessment_request=case,
            child=child,
            relationship=relationship,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=(answers.get("contact_phone") or "").strip()[:30],
            setting_name=(answers.get("setting_name") or "").strip()[:200],
        )
        notices.request_received(public_request)
    return case


# --- Invitations and accounts ------------------------------------------------------------------


def _make_token() -> tuple[str, str]:
    nonce = secrets.token_urlsafe(24)
    return signing.dumps(nonce, salt=_SIGNING_SALT), _hash(nonce)


def invite(
    *,
    actor,
    child: Child,
    kind: str,
    full_name: str,
    email: str,
    relationship: str = "",
    request=None,
) -> Invitation:
    """Invite a parent or carer, or the young person, to see a child's record, and e-mail
    them the link. Returns the invitation; the link's token exists only in the e-mail
    (invitation_link makes it as the message is sent; only its hash is kept)."""
    if child.area_id not in la_area_ids(actor, Capability.WRITE_CASES):
        raise PermissionDenied("Only the area's caseworkers and managers can invite families.")
    if kind not in Invitation.Kind.values:
        _refuse("kind", "Choose who you are inviting.")
    full_name = _text("full_name", full_name, "their full name", max_length=200)
    email = _text("email", email, "their e-mail address", max_length=254).lower()
    try:
        validate_email(email)
    except ValidationError:
        _refuse("email", "Enter an e-mail address like name@example.com.")
    if kind == Invitation.Kind.PARENT:
        if relationship not in FamilyLink.Relationship.values:
            _refuse("relationship", "Choose how they are related to the child.")
    else:
        relationship = ""
        if not age.over_compulsory_school_age(child.date_of_birth, today()):
            _refuse(
                "kind",
                "This child is not yet over compulsory school age: invite a parent or carer. "
                "A young person can have their own account from the end of June of the "
                "school year they turn 16.",
                "too_young",
            )
        if child.own_account_id is not None:
            _refuse("kind", "This young person already has their own account.", "has_account")
    # No one ever knows this first token: the link's token is made as the message is sent
    # (invitation_link), so no usable copy is kept anywhere.
    _unknown, token_hash = _make_token()
    with transaction.atomic():
        # Inviting the same person again (the e-mail was lost, or the form was sent twice)
        # leaves one working link, the newest: an earlier one still open ends now, and says
        # it has expired if it is followed.
        now = timezone.now()
        Invitation.objects.filter(
            child=child, email=email, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        invitation = Invitation.objects.create(
            child=child,
            kind=kind,
            relationship=relationship,
            full_name=full_name,
            email=email,
            token_hash=token_hash,
            expires_at=now + INVITATION_LIFETIME,
            invited_by=actor,
        )
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            child=child,
            record=invitation,
            request=request,
            detail={"step": "invitation"},
        )
        notices.invitation(invitation)
    return invitation


def invitation_link(message) -> dict[str, str] | None:
    """The sealed link of an invitation message, made at the moment of sending: a new token
    whose hash replaces the last, so only the most recently sent link works, and the token
    exists only in the message on its way to the recipient."""
    invitation_id = int(message.key.removeprefix("family-invitation:"))
    token, token_hash = _make_token()
    updated = Invitation.objects.filter(
        pk=invitation_id, used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(token_hash=token_hash)
    if not updated:
        return None  # used or expired: the message is not sent
    return {"link": notices.invitation_link(token)}


def existing_account(invitation: Invitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email).first()


def is_staff_account(user) -> bool:
    """Anyone who works for an organisation of the partnership (now or before), or is
    inactive: such an account is never given a family role by an invitation link."""
    return (
        user.is_staff
        or not user.is_active
        or user.memberships.filter(organisation__isnull=False).exists()
    )


def invitation_for(token: str) -> Invitation:
    """The invitation a link's token belongs to, or InvitationProblem saying why not."""
    try:
        nonce = signing.loads(token, salt=_SIGNING_SALT)
    except signing.BadSignature:
        raise InvitationProblem("invalid") from None
    invitation = Invitation.objects.select_related("child").filter(token_hash=_hash(nonce)).first()
    if invitation is None:
        raise InvitationProblem("invalid")
    if invitation.used_at is not None:
        raise InvitationProblem("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem("expired")
    return invitation


def accept_invitation(
    *,
    token: str,
    password: str | None = None,
    signed_in=None,
    email_code_required: bool = False,
    request=None,
) -> User:
    """Accept a valid link: the family role and the link to the child. The link then cannot be
    used again.

    For a new address the invitee chooses a password (Django's validators). For an address
    that already has an account the link proves nothing about who holds it, so the account's
    owner must be `signed_in` to it with its own password (and e-mailed code, if they chose
    one); its password is never changed here. A staff account is refused outright (issue 17:
    a link must never give anyone a way into a staff account or a staff member a family
    role)."""
    with transaction.atomic():
        invitation = invitation_for(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise InvitationProblem("used")
        user = existing_account(invitation)
        if user is not None:
            if is_staff_account(user):
                raise InvitationProblem("staff")
            if signed_in is None or signed_in.pk != user.pk:
                raise PermissionDenied(
                    "Sign in to the account this invitation was sent to, with its own password."
                )
        else:
            user = User(email=invitation.email, full_name=invitation.full_name)
            try:
                validate_password(password or "", user=user)
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from None
            user.set_password(password)
            user.save()
        parent = invitation.kind == Invitation.Kind.PARENT
        join_family(user, parent=parent)
        child = Child.objects.select_for_update().get(pk=invitation.child_id)
        if parent:
            FamilyLink.objects.get_or_create(
                child=child,
                user=user,
                defaults={"relationship": invitation.relationship or FamilyLink.Relationship.OTHER},
            )
        else:
            if child.own_account_id not in (None, user.pk):
                raise InvitationProblem("used")
            child.own_account = user
            child.save(update_fields=["own_account", "updated_at"])
        # An existing account keeps the sign-in choices its owner made.
        FamilyAccount.objects.get_or_create(
            user=user, defaults={"email_code_required": bool(email_code_required)}
        )
        invitation.used_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["used_at", "user"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=user,
            child=child,
            record=invitation,
            request=request,
            detail={"step": "invitation_accepted"},
        )
    return user


def set_parent_access(*, actor, child: Child, link: FamilyLink, allowed: bool, request=None):
    """A young person acting for themselves chooses whether a parent sees their record
    (CFA 2014 s.80; Code 8.13). Only the young person, and only past compulsory school age."""
    if child.own_account_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the young person can choose this.")
    if not age.over_compulsory_school_age(child.date_of_birth, today()):
        raise PermissionDenied("This choice starts when you are over compulsory school age.")
    if link.child_id != child.pk:
        raise PermissionDenied("That person is not linked to your record.")
    with transaction.atomic():
        FamilyLink.objects.filter(pk=link.pk).update(young_person_allows_access=bool(allowed))
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            child=child,
            record=link,
            request=request,
            detail={"step": "parent_access", "allowed": bool(allowed)},
        )


# --- The e-mailed one-time code -----------------------------------------------------------------


def email_code_required(user) -> bool:
    return FamilyAccount.objects.filter(user=user, email_code_required=True).exists()


def _live_email_code(user):
    return (
        EmailCode.objects.filter(
            user=user,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            attempts__lt=EMAIL_CODE_MAX_ATTEMPTS,
        )
        .order_by("-created_at")
        .first()
    )


def send_email_code(*, user, again: bool = False) -> bool:
    """E-mail a 6-digit code for this sign-in; earlier unused codes stop working. Whether one
    was sent (issue 17: not at every page load, which would give a guesser five fresh tries
    and fill the family's inbox):

    - on opening the page (`again` False) only if no code was sent in the code's lifetime;
    - when the person asks for a new one, at most one a minute and EMAIL_CODES_PER_HOUR an
      hour.

    The code itself is made as the message is sent (`code_for_sending`), so neither the codes
    table nor the messages table ever holds it; only its keyed hash is kept."""
    now = timezone.now()
    with transaction.atomic():
        # One person's requests take turns, so two tabs opened at once send one code.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = EmailCode.objects.filter(user=user, created_at__gt=now - dt.timedelta(hours=1))
        if not again and recent.filter(created_at__gt=now - EMAIL_CODE_LIFETIME).exists():
            return False
        if again and (
            recent.filter(created_at__gt=now - EMAIL_CODE_RESEND_AFTER).exists()
            or recent.count() >= EMAIL_CODES_PER_HOUR
        ):
            return False
        EmailCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        # Not the code sent: code_for_sending replaces this hash as the message goes.
        entry = EmailCode.objects.create(
            user=user,
            code_hash=_hash(secrets.token_hex(16)),
            expires_at=now + EMAIL_CODE_LIFETIME,
        )
        notices.email_code(user, entry)
    return True


def email_code_for_sending(message) -> dict[str, str] | None:
    """The sealed code of a sign-in code message, made as it is sent; only its hash is kept.
    None (the message is not sent) if the code was replaced, used or has expired."""
    entry_id = int(message.key.removeprefix("family-code:"))
    code = f"{secrets.randbelow(10**6):06d}"
    updated = EmailCode.objects.filter(
        pk=entry_id, used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(code_hash=_hash(code))
    return {"code": code} if updated else None


def check_email_code(*, user, code: str) -> bool:
    """Whether `code` is the user's current code (used once; 5 tries at most)."""
    with transaction.atomic():
        entry = (
            EmailCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if entry is None or entry.attempts >= EMAIL_CODE_MAX_ATTEMPTS:
            return False
        if hmac.compare_digest(entry.code_hash, _hash((code or "").strip())):
            entry.used_at = timezone.now()
            entry.save(update_fields=["used_at"])
            return True
        entry.attempts += 1
        entry.save(update_fields=["attempts"])
        return False


# --- Views for section A -------------------------------------------------------------------------


def _family_case(actor, case: AssessmentRequest) -> AssessmentRequest:
    found = family_cases(actor).filter(pk=case.pk).select_related("child", "area").first()
    if found is None:
        raise PermissionDenied("This is not one of your children's cases.")
    return found


def views_kinds_for(actor, case: AssessmentRequest) -> list[str]:
    return selectors.views_kinds(actor, case)


def save_views(
    *,
    actor,
    case: AssessmentRequest,
    kind: str,
    values: dict,
    send: bool = False,
    review=None,
    request=None,
) -> ViewsStatement:
    """Save views as a draft, or send them to the caseworker (then they cannot be changed).
    With `review`: views for an annual review of the plan, open until its meeting is held."""
    case = _family_case(actor, case)
    if kind not in views_kinds_for(actor, case):
        _refuse("kind", "Choose a page you can write.")
    if review is not None:
        if review.plan.assessment_request_id != case.pk:
            raise PermissionDenied("That review is not of this plan.")
        if review.meeting_on is not None:
            _refuse(
                "__all__",
                "The review meeting has been held, so views for it can no longer be sent. "
                "Contact your caseworker if there is something they should know.",
                "closed",
            )
    elif not case.is_open:
        _refuse("__all__", "This case has closed, so views can no longer be sent here.", "closed")
    cleaned = {
        name: _text(name, values.get(name, ""), "this answer", required=False)
        for name in VIEWS_FIELDS
    }
    with transaction.atomic():
        statement, _created = ViewsStatement.objects.select_for_update().get_or_create(
            assessment_request=case, author=actor, kind=kind, review=review
        )
        if statement.is_sent:
            _refuse("__all__", "You have already sent this page: it cannot be changed.", "sent")
        if send and not any(cleaned.values()):
            _refuse("about", "Write something in at least one box before sending.", "empty")
        for name, value in cleaned.items():
            setattr(statement, name, value)
        if send:
            statement.sent_at = timezone.now()
        statement.save()
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            child=case.child_id,
            record=statement,
            request=request,
            detail={
                "step": "views_sent" if send else "views_saved",
                "case": case.pk,
                **({"review": review.pk} if review is not None else {}),
            },
        )
    return statement


def add_views_attachment(
    *, actor, statement: ViewsStatement, upload, request=None
) -> ViewsAttachment:
    """Add a picture or document to draft views: PDF, Word, JPEG or PNG within the size limit
    (the same check as case documents; refused with the reason)."""
    if statement.author_id != actor.pk:
        raise PermissionDenied("You can only add to your own pages.")
    _family_case(actor, statement.assessment_request)
    if statement.is_sent:
        _refuse("file", "You have already sent this page: it cannot be changed.", "sent")
    checked = uploads.check_upload(upload)
    upload.seek(0)
    content = upload.read()
    stored_name = f"{uuid.uuid4().hex}{checked.original_name[checked.original_name.rfind('.') :]}"
    with transaction.atomic():
        attachment = ViewsAttachment(
            statement=statement,
            stored_name=stored_name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save(stored_name, ContentFile(content), save=False)
        attachment.save()
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            child=statement.assessment_request.child_id,
            record=attachment,
            request=request,
            detail={"step": "views_attachment"},
        )
    return attachment


# --- The draft plan ---------------------------------------------------------------------------


def save_draft_response(
    *,
    actor,
    case: AssessmentRequest,
    comments: dict,
    wants_meeting: bool = False,
    preferred_setting: str = "",
    send: bool = False,
    request=None,
) -> DraftPlanResponse:
    """Save (or send) comments on the draft plan, section by section, within the 15 days
    (reg 13(1)). Comments can be sent more than once until the 15 days end: each sending is
    kept as sent, and the sender is told by e-mail that it arrived."""
    case = _family_case(actor, case)
    window = clock.comment_window(case)
    if window is None:
        _refuse("__all__", "There is no draft plan to comment on yet.", "no_draft")
    if not window["is_open"]:
        _refuse(
            "__all__",
            "The time to comment on the draft plan has ended, so comments are closed.",
            "closed",
        )
    unknown = set(comments) - set(PLAN_SECTIONS)
    if unknown:
        _refuse("__all__", "Comment only on the sections A to K.")
    cleaned = {
        letter: _text(f"section_{letter}", text, "your comment", required=False)
        for letter, text in comments.items()
    }
    cleaned = {letter: text for letter, text in cleaned.items() if text}
    preferred_setting = _text(
        "preferred_setting",
        preferred_setting,
        "the school or setting",
        required=False,
        max_length=200,
    )
    with transaction.atomic():
        response, _created = DraftPlanResponse.objects.select_for_update().get_or_create(
            assessment_request=case, author=actor, sent_at=None
        )
        if send and not (cleaned or wants_meeting or preferred_setting):
            _refuse("section_A", "Write a comment, ask for a meeting or name a school first.")
        response.comments = cleaned
        response.wants_meeting = bool(wants_meeting)
        response.preferred_setting = preferred_setting
        if send:
            response.sent_at = timezone.now()
        response.save()
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            child=case.child_id,
            record=response,
            request=request,
            detail={"step": "draft_response_sent" if send else "draft_response_saved"},
        )
        if send:
            _record_in_chronology(case, response, actor)
            transaction.on_commit(lambda: notices.comments_received(response, actor))
    return response


def _record_in_chronology(case: AssessmentRequest, response: DraftPlanResponse, actor) -> None:
    """What the family sent, in the case's chronology: one entry for each thing the
    caseworker must answer (comments, a meeting, a school), marked as waiting for an answer
    until `mark_answered` records the answer."""
    day = timezone.localdate(response.sent_at)
    entries = []
    if response.comments:
        sections = ", ".join(sorted(response.comments))
        entries.append(
            (
                EventKind.FAMILY_COMMENTED,
                f"Family commented on the draft plan (sections {sections})",
                FamilyAnswer.Subject.COMMENTS,
            )
        )
    if response.wants_meeting:
        entries.append(
            (
                EventKind.FAMILY_ASKED_FOR_MEETING,
                "Family asked for a meeting about the draft plan",
                FamilyAnswer.Subject.MEETING,
            )
        )
    if response.preferred_setting:
        entries.append(
            (
                EventKind.FAMILY_NAMED_SETTING,
                f"Family asked for {response.preferred_setting} to be named in the plan",
                FamilyAnswer.Subject.PREFERRED_SETTING,
            )
        )
    CaseEvent.objects.bulk_create(
        chronology.event(
            case,
            kind,
            day,
            actor=actor,
            summary=summary,
            data={"response": response.pk, "subject": str(subject), "awaiting_answer": True},
        )
        for kind, summary, subject in entries
    )


class AlreadyAnswered(Exception):
    """The item was answered already (by this caseworker or another)."""


def mark_answered(
    *,
    actor,
    case: AssessmentRequest,
    subject: str,
    response: DraftPlanResponse | None = None,
    message: FamilyMessage | None = None,
    request=None,
) -> FamilyAnswer:
    """Record that the caseworker answered something the family sent (who and when): it
    leaves the task list, and the chronology says so. Answered once: a second time is
    refused with AlreadyAnswered and changes nothing."""
    if not may(actor, Action.EDIT_CASE, case):
        raise PermissionDenied("You cannot change this case.")
    if subject not in FamilyAnswer.Subject.values:
        raise ValidationError({"subject": "Choose what was answered."})
    if subject == FamilyAnswer.Subject.MESSAGE:
        if message is None or message.assessment_request_id != case.pk:
            raise ValidationError({"subject": "That message is not on this case."})
        response = None
    else:
        if response is None or response.assessment_request_id != case.pk:
            raise ValidationError({"subject": "Those comments are not on this case."})
        if response.sent_at is None:
            raise ValidationError({"subject": "Those comments have not been sent."})
        message = None
    with transaction.atomic():
        existing = FamilyAnswer.objects.select_for_update().filter(
            assessment_request=case, subject=subject, response=response, message=message
        )
        if existing.exists():
            raise AlreadyAnswered
        answer = FamilyAnswer.objects.create(
            assessment_request=case,
            subject=subject,
            response=response,
            message=message,
            answered_by=actor,
        )
        label = FamilyAnswer.Subject(subject).label
        chronology.event(
            case,
            EventKind.FAMILY_ANSWERED,
            today(),
            actor=actor,
            summary=f"Answered: {label[0].lower()}{label[1:]}",
            data={"subject": subject, "answer": answer.pk},
        ).save()
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            child=case.child_id,
            record=answer,
            request=request,
            detail={"step": "family_answered", "subject": subject, "case": case.pk},
        )
    return answer


# --- Messages to the caseworker -----------------------------------------------------------------

MESSAGE_MAX_LENGTH = 5000


def send_message(*, actor, case: AssessmentRequest, body: str, request=None) -> FamilyMessage:
    """A message from a parent or young person to their caseworker: kept, shown on the case
    page, and the caseworker (or, with none allocated, the area's team managers) told by an
    e-mail that carries only the case's reference."""
    case = _family_case(actor, case)
    body = _text("body", body, "your message", max_length=MESSAGE_MAX_LENGTH)
    with transaction.atomic():
        message = FamilyMessage.objects.create(assessment_request=case, author=actor, body=body)
        # In the chronology without its words (they stay on the family panel).
        chronology.event(
            case,
            EventKind.FAMILY_MESSAGE,
            timezone.localdate(message.sent_at),
            actor=actor,
            data={"message": message.pk, "awaiting_answer": True},
        ).save()
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            child=case.child_id,
            record=message,
            request=request,
            detail={"step": "family_message_sent", "case": case.pk},
        )
        transaction.on_commit(lambda: notices.message_for_caseworker(message))
    return message


def share_document(*, actor, document, request=None):
    """Share a case document with the family (the draft plan, a report they should have)."""
    case = document.assessment_request
    if not may(actor, Action.EDIT_CASE, case):
        raise PermissionDenied("You cannot change this case.")
    with transaction.atomic():
        shared, created = SharedDocument.objects.get_or_create(
            document=document, defaults={"shared_by": actor}
        )
        if created:
            audit.record(
                action=AuditAction.UPDATE,
                actor=actor,
                child=case.child_id,
                record=document,
                request=request,
                detail={"step": "shared_with_family"},
            )
    return shared
