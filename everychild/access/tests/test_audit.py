"""The audit log: every read and write of a child's data is recorded (who, which child, what,
from where); entries cannot be changed or removed; `audit_verify` finds any that were."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from everychild.access import audit
from everychild.access.models import AppendOnlyError, AuditChainHead, AuditEntry
from everychild.accounts.models import Role
from everychild.children import services
from everychild.testing import factories

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's"
)


def _entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("seq"))


# --- Every read and write is recorded -----------------------------------------------------


def test_opening_a_childs_page_is_recorded(client, caseworker, child):
    client.force_login(caseworker)
    client.get(f"/children/{child.pk}/", REMOTE_ADDR="192.0.2.10")
    [entry] = _entries()
    assert (entry.actor, entry.actor_label, entry.action, entry.child_id) == (
        caseworker,
        caseworker.email,
        "view",
        child.pk,
    )
    assert entry.ip_address == "192.0.2.10"
    assert (entry.record_type, entry.record_id) == ("children.Child", str(child.pk))


def test_a_list_records_each_child_shown(client, caseworker, area):
    shown = factories.ChildFactory.create_batch(3, area=area)
    factories.ChildFactory(area=factories.OtherAreaFactory())  # not theirs: not shown
    client.force_login(caseworker)
    client.get("/children/")
    entries = _entries(action="search")
    assert sorted(e.child_id for e in entries) == sorted(c.pk for c in shown)
    assert {(e.actor_id, e.ip_address) for e in entries} == {(caseworker.pk, "127.0.0.1")}


def test_records_shown_in_a_list_are_one_entry_each_in_one_link_of_the_chain(caseworker, rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    entries = audit.record_shown(
        caseworker,
        [(11, "plans.EHCPlan", ""), (12, "children.Child", "12")],
        request=request,
        reason="a list",
        detail={"list": "plans"},
    )
    assert [(e.child_id, e.record_type, e.record_id) for e in entries] == [
        (11, "plans.EHCPlan", ""),
        (12, "children.Child", "12"),
    ]
    assert {(e.action, e.actor_id, e.ip_address, e.reason) for e in entries} == {
        ("view", caseworker.pk, "192.0.2.7", "a list")
    }
    assert all(e.detail == {"list": "plans"} for e in entries)
    assert audit.verify_chain().ok


def test_a_refused_or_missing_child_is_not_recorded_as_seen(client, caseworker, other_area):
    stranger = factories.ChildFactory(area=other_area)
    client.force_login(caseworker)
    assert client.get(f"/children/{stranger.pk}/").status_code == 404
    assert not _entries(child_id=stranger.pk)


def test_api_reads_are_recorded(api_client, caseworker, area):
    children = factories.ChildFactory.create_batch(2, area=area)
    api_client.force_authenticate(caseworker)
    api_client.get("/api/v1/children/")
    assert sorted(e.child_id for e in _entries(action="search")) == sorted(c.pk for c in children)
    api_client.get(f"/api/v1/children/{children[0].pk}/")
    [view] = _entries(action="view")
    assert (view.actor, view.child_id, view.ip_address) == (caseworker, children[0].pk, "127.0.0.1")


def test_adding_and_changing_a_child_on_the_pages_is_recorded(client, caseworker, area):
    client.force_login(caseworker)
    dob = factories.ChildFactory.build().date_of_birth.strftime("%d/%m/%Y")
    form = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": dob,
        "sex": "F",
        "ethnicity": "NOBT",
        "upn": factories.upn_for(77),
        "nhs_number": "",
    }
    client.post("/children/add/", form)
    [created] = _entries(action="create")
    assert created.actor == caseworker
    change = {**form, "postcode": "BH1 1AA", "version": 1}  # the version the page carries
    client.post(f"/children/{created.child_id}/change/", change)
    [updated] = _entries(action="update")
    assert (updated.actor, updated.child_id) == (caseworker, created.child_id)
    # Which fields changed, never their values.
    assert updated.detail == {"fields": ["postcode"]}
    assert "BH1" not in updated.canonical()


def test_adding_a_child_through_the_api_is_recorded(api_client, caseworker):
    api_client.force_authenticate(caseworker)
    body = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": factories.ChildFactory.build().date_of_birth.isoformat(),
        "sex": "F",
        "upn": factories.upn_for(78),
    }
    response = api_client.post("/api/v1/children/", body, format="json", REMOTE_ADDR="192.0.2.7")
    [created] = _entries(action="create")
    assert (created.actor, created.child_id) == (caseworker, response.json()["id"])
    assert created.ip_address == "192.0.2.7"


def test_saving_without_a_change_writes_no_update_entry(caseworker, child):
    services.update_child(actor=caseworker, child=child, first_name=child.first_name)
    assert not _entries(action="update")
    services.update_child(actor=caseworker, child=child, first_name="Renamed")
    assert len(_entries(action="update")) == 1


@pytest.mark.parametrize(
    "forwarded",
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1, 10.0.0.1", "  2001:db8::1 "],
)
def test_addresses_from_a_trusted_proxy_are_recorded_in_one_form(
    client, caseworker, child, settings, forwarded
):
    settings.EVERYCHILD_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    client.force_login(caseworker)
    client.get(f"/children/{child.pk}/", HTTP_X_FORWARDED_FOR=forwarded)
    [entry] = _entries()
    assert entry.ip_address == "2001:db8::1"
    assert audit.verify_chain().ok


def test_a_malformed_forwarded_address_is_recorded_as_unknown(client, caseworker, child, settings):
    settings.EVERYCHILD_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    client.force_login(caseworker)
    response = client.get(f"/children/{child.pk}/", HTTP_X_FORWARDED_FOR="unknown, 10.0.0.1")
    assert response.status_code == 200
    [entry] = _entries()
    assert entry.ip_address is None
    assert audit.verify_chain().ok


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(client, caseworker, child):
    client.force_login(caseworker)
    client.get(f"/children/{child.pk}/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert _entries()[0].ip_address == "127.0.0.1"


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(action="peek")
    assert not _entries()


# --- Append-only --------------------------------------------------------------------------


@pytest.fixture
def entries(caseworker, child):
    for action in ("view", "update", "view"):
        audit.record(action=action, actor=caseworker, child=child, record=child)
    return _entries()


def test_an_entry_cannot_be_changed_or_removed_through_the_orm(entries):
    entry = entries[0]
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(action="view").delete()
    # (bulk_update works inside its own transaction, which the refusal rolls back.)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update(entries, ["reason"])
    assert [e.reason for e in _entries()] == ["", "", ""]
    assert audit.verify_chain().ok


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_auditentry SET reason = 'rewritten'",
        "DELETE FROM access_auditentry",
    ],
)
def test_postgresql_refuses_raw_sql_that_changes_or_removes_entries(entries, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert len(_entries()) == 3


# --- audit_verify -------------------------------------------------------------------------


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _behind_the_applications_back(sql: str, params=()) -> None:
    """Raw SQL, as a database administrator might run it; on PostgreSQL with the trigger off
    for the moment (it is back on before the test ends)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check this transaction's deferred foreign keys now: ALTER TABLE refuses to run
            # while the table has such checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE access_auditentry DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE access_auditentry ENABLE TRIGGER audit_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_audit_verify_passes_an_intact_chain(entries):
    code, out, _ = _verify()
    assert code == 0
    assert "Audit log intact: 3 entries" in out


def test_audit_verify_passes_an_empty_log():
    code, out, _ = _verify()
    assert (code, out.splitlines()[0]) == (0, "Audit log intact: 0 entries, every link checked.")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_auditentry SET reason = 'nothing to see' WHERE seq = 2",
        "UPDATE access_auditentry SET actor_label = 'someone else' WHERE seq = 2",
        "UPDATE access_auditentry SET child_id = child_id + 1 WHERE seq = 2",
    ],
)
def test_audit_verify_fails_at_an_entry_altered_in_the_database(entries, sql):
    _behind_the_applications_back(sql)
    code, _, err = _verify()
    assert code == 1
    assert "broken at entry 2" in err
    assert "altered" in err
    if connection.vendor == "postgresql":  # the trigger is back on
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM access_auditentry")


def test_audit_verify_fails_when_a_rewritten_entry_has_a_fresh_hash(entries):
    """Recomputing the altered entry's own hash does not help: the next link breaks."""
    tampered = entries[1]
    tampered.reason = "nothing to see"
    _behind_the_applications_back(
        "UPDATE access_auditentry SET reason = %s, hash = %s WHERE seq = 2",
        [tampered.reason, tampered.compute_hash()],
    )
    code, _, err = _verify()
    assert code == 1
    assert "broken at entry 3" in err


def test_audit_verify_fails_at_an_entry_removed_from_the_middle(entries):
    _behind_the_applications_back("DELETE FROM access_auditentry WHERE seq = 2")
    code, _, err = _verify()
    assert code == 1
    assert "broken at entry 2: entry 2 is missing" in err


def test_audit_verify_fails_when_the_last_entry_is_removed(entries):
    _behind_the_applications_back("DELETE FROM access_auditentry WHERE seq = 3")
    code, _, err = _verify()
    assert code == 1
    assert "broken at entry 3" in err
    assert "entries removed" in err


def test_the_chain_links_each_entry_to_the_one_before(entries):
    assert entries[0].prev_hash == audit.GENESIS_HASH
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (3, entries[-1].hash)


# --- Concurrency --------------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_form_one_unbroken_chain():
    actor = factories.make_user(Role.CASEWORKER)
    child = factories.ChildFactory()
    per_thread, threads = 25, 4
    barrier = threading.Barrier(threads)
    errors = []

    def append():
        try:
            barrier.wait()
            for _ in range(per_thread):
                audit.record(action="view", actor=actor, child=child)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=append) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    result = audit.verify_chain()
    assert result.ok, result
    assert result.checked == per_thread * threads
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(
        range(1, per_thread * threads + 1)
    )


def test_a_list_with_nothing_shown_records_nothing_and_takes_no_lock(
    caseworker, django_assert_num_queries
):
    """An empty list page writes no entry, so it does not lock the chain's head either: it
    would otherwise wait behind every writer of the log (issue 21)."""
    with django_assert_num_queries(0):
        assert audit.record_shown(caseworker, [], detail={"list": "plans"}) == []
    assert audit.verify_chain().ok
