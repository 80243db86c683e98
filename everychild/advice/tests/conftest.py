import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.casework.models import Decision, Stage
from everychild.testing import factories


@pytest.fixture
def area_setup(db):
    """An area with an LA, an EP service, a health team and a social care team, each with its
    own open request for advice on a case being assessed."""
    today = timezone.localdate()
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    ep = factories.EPServiceFactory(area=area)
    health = factories.NHSProviderFactory(area=area)
    social = factories.SocialCareFactory(area=area)
    caseworker = factories.make_user(Role.CASEWORKER, la, email="cw@la.test")
    people = {
        "caseworker": caseworker,
        "epmanager": factories.make_user(Role.EP_MANAGER, ep, email="epm@ep.test"),
        "ep": factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, ep, email="ep@ep.test"),
        "health": factories.make_user(Role.HEALTH_ADVISER, health, email="h@nhs.test"),
        "social": factories.make_user(Role.SOCIAL_CARE_ADVISER, social, email="s@sc.test"),
    }
    advice = {}
    for key, kind, org in (
        ("ep", "ep", ep),
        ("health", "health", health),
        ("social", "social_care", social),
    ):
        case = factories.AssessmentRequestFactory(
            child=factories.ChildFactory(area=area),
            received_on=today - dt.timedelta(weeks=8),
            decision=Decision.ASSESS,
            decision_on=today - dt.timedelta(weeks=5),
            stage=Stage.ASSESSING,
            caseworker=caseworker,
        )
        advice[key] = factories.AdviceRequestFactory(
            assessment_request=case,
            kind=kind,
            organisation=org,
            received_by_body_on=today - dt.timedelta(weeks=4),
        )
    return {"area": area, "ep": ep, "health": health, "social": social, **people, "advice": advice}
