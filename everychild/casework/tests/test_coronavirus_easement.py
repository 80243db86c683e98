"""SI 2020/471: a limit that fell due between 1 May and 25 September 2020 did not apply where
it was "not reasonably practicable ... for a reason relating to the incidence or transmission of
coronavirus". The engine assumes such a reason unless the caseworker records there was none;
the case page offers that record, and the limit then stands."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from everychild.casework.models import AssessmentRequest, CaseEvent
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _a_2020_case(build):
    received = dt.date(2020, 1, 2)  # 20 weeks fall due on 21 May 2020, inside the easement
    child = factories.ChildFactory(area=build.area, date_of_birth=dt.date(2012, 3, 4))
    case = build.request(child, received_days_ago=(timezone.localdate() - received).days)
    return build.decide(case, days_after=30)


def test_the_case_page_says_the_easement_was_assumed_and_offers_to_record_otherwise(
    client, caseworker, build
):
    case = _a_2020_case(build)
    client.force_login(caseworker)
    page = html.unescape(client.get(f"/cases/{case.pk}/").content.decode())
    assert "assumed" in page
    assert f"/cases/{case.pk}/coronavirus-easement/" in page


def test_recording_no_coronavirus_reason_lets_the_limit_stand(client, caseworker, build):
    case = _a_2020_case(build)
    client.force_login(caseworker)
    url = f"/cases/{case.pk}/coronavirus-easement/"
    empty = client.post(url, {"version": case.version})
    assert empty.status_code == 200 and "govuk-error-summary" in empty.content.decode()
    case.refresh_from_db()
    assert case.no_coronavirus_reason is False

    response = client.post(url, {"version": case.version, "had_reason": "no"})
    assert response.status_code == 302
    case = AssessmentRequest.objects.get(pk=case.pk)
    assert case.no_coronavirus_reason is True
    assert CaseEvent.objects.filter(assessment_request=case, kind="coronavirus_reason").exists()
    page = html.unescape(client.get(f"/cases/{case.pk}/").content.decode())
    assert "assumed" not in page  # the easement no longer excuses the 20 weeks
    assert "the easement (SI 2020/471) does not apply" in page


def test_a_stale_form_changes_nothing(client, caseworker, build):
    case = _a_2020_case(build)
    client.force_login(caseworker)
    url = f"/cases/{case.pk}/coronavirus-easement/"
    stale = case.version
    client.post(url, {"version": stale, "had_reason": "no"})
    response = client.post(url, {"version": stale, "had_reason": "yes"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.no_coronavirus_reason is True
