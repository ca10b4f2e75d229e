"""Bulk triage from the queue: each selected report gets the action on its own; the ones that cannot
(another ward's, already accepted, a staff member of another ward) are left as they were and counted."""
from reports.workflow.lifecycle import get_by_tracking_code
from tests.helpers import KIM_LONG, login, make_report


def bulk(client, token, codes, **form):
    return client.post("/desk/bulk?status=received", data={"csrf_token": token, "codes": codes, **form},
                       follow_redirects=False)


def test_accept_then_assign_several_and_skip_what_is_not_ours(app, client, staff):
    mine = [make_report(app, description=f"Rác đống {n}") for n in range(3)]
    theirs = make_report(app, KIM_LONG)
    token = login(client, "lead@t.vn")
    response = bulk(client, token, [r.tracking_code for r in mine] + [theirs.tracking_code], action="accept")
    assert response.status_code == 302 and response.headers["Location"].endswith("/desk?status=received")
    assert [get_by_tracking_code(r.tracking_code).status for r in mine] == ["accepted"] * 3
    assert get_by_tracking_code(theirs.tracking_code).status == "received"  # another ward's: untouched
    page = client.get("/desk").get_data(as_text=True)
    assert "Đã xong cho 3 phản ánh." in page and "1 phản ánh không áp dụng được" in page
    # accepting again: nothing to do, nothing half-done
    bulk(client, token, [mine[0].tracking_code], action="accept")
    assert "Đã xong cho 0 phản ánh." in client.get("/desk").get_data(as_text=True)
    bulk(client, token, [r.tracking_code for r in mine], action="assign", officer_id=str(staff["officer"].id))
    assert {get_by_tracking_code(r.tracking_code).assignee.email for r in mine} == {"officer@t.vn"}
    bulk(client, token, [mine[2].tracking_code], action="assign", officer_id=str(staff["other_officer"].id))
    assert get_by_tracking_code(mine[2].tracking_code).assignee.email == "officer@t.vn"  # another ward's: refused


def test_merge_several_as_duplicates_of_one(app, client, staff):
    original, *copies = [make_report(app, description=f"Đèn hỏng {n}") for n in range(3)]
    token = login(client, "lead@t.vn")
    bulk(client, token, [r.tracking_code for r in (original, *copies)], action="duplicate", original=original.tracking_code)
    assert [get_by_tracking_code(r.tracking_code).status for r in copies] == ["rejected", "rejected"]
    kept = get_by_tracking_code(original.tracking_code)
    assert kept.status == "received" and kept.support_count == 2


def test_read_only_roles_have_no_bulk_bar(client, staff):
    login(client, "leader@t.vn")
    assert 'id="bulk-form"' not in client.get("/desk").get_data(as_text=True)
    token = login(client, "lead@t.vn")
    assert 'id="bulk-form"' in client.get("/desk").get_data(as_text=True) and token
