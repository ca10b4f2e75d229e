"""Personal data kept only as long as its purpose needs: one rule per kind, each a period in days (a
setting, ``RETAIN_…``; defaults in :data:`RULES`), enforced every hour by the worker and on demand by
``flask privacy retention [--dry-run]``. ``/admin/privacy`` shows what the next run erases.

A report itself stays (the ward's figures count it); what goes is the personal data around it: the
reporter's contact details once the report has been closed for the period, subscriptions, proofs of
phone numbers, finished jobs, ended sessions, old audit entries. Each run is written to the
administration's audit trail with how many of each kind it erased, never what.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text

from reports.accounts.admin_log import log_admin
from reports.states import OPEN_STATUSES
from store import db


@dataclass(frozen=True)
class Rule:
    code: str
    setting: str  # the setting that holds the period in days
    default_days: int
    where: str  # the rows due, on the table aliased ``t`` (``:cutoff``: now minus the period)
    table: str
    erase: str  # "delete", or the SET clause of an UPDATE that erases the personal columns

    def count_sql(self) -> str:
        return f"SELECT count(*) FROM {self.table} t WHERE {self.where}"

    def erase_sql(self) -> str:
        if self.erase == "delete":
            return f"WITH gone AS (DELETE FROM {self.table} t WHERE {self.where} RETURNING 1) SELECT count(*) FROM gone"
        return (f"WITH gone AS (UPDATE {self.table} t SET {self.erase} WHERE {self.where} RETURNING 1) "
                "SELECT count(*) FROM gone")




def closed_since(alias: str) -> str:
    """The report ``alias`` has been closed (resolved, rejected or closed) since before ``:cutoff``."""
    return f"NOT ({alias}.status = ANY(:open_statuses)) AND coalesce({alias}.resolved_at, {alias}.updated_at) < :cutoff"


RULES = (
    Rule("contact", "RETAIN_CONTACT_DAYS", 180, "(t.reporter_name IS NOT NULL OR t.reporter_phone IS NOT NULL OR "
         "t.reporter_email IS NOT NULL) AND " + closed_since("t"), "report",
         "reporter_name = NULL, reporter_phone = NULL, reporter_email = NULL"),
    Rule("unconfirmed_subscriptions", "RETAIN_UNCONFIRMED_DAYS", 7, "t.confirmed_at IS NULL AND t.created_at < :cutoff",
         "subscription", "delete"),
    Rule("unconfirmed_alerts", "RETAIN_UNCONFIRMED_DAYS", 7, "t.confirmed_at IS NULL AND t.created_at < :cutoff",
         "area_alert", "delete"),
    Rule("subscriptions", "RETAIN_SUBSCRIPTION_DAYS", 90,
         f"EXISTS (SELECT 1 FROM report r WHERE r.id = t.report_id AND {closed_since('r')})", "subscription", "delete"),
    Rule("phones", "PHONE_PROOF_DAYS", 365, "t.verified_at < :cutoff", "verified_phone", "delete"),
    Rule("quotas", "RETAIN_QUOTA_DAYS", 2, "t.day < CAST(:cutoff AS date)", "message_quota", "delete"),
    Rule("jobs", "RETAIN_JOB_DAYS", 30, "coalesce(t.done_at, t.failed_at) < :cutoff", "job", "delete"),
    Rule("sessions", "RETAIN_SESSION_DAYS", 30, "coalesce(t.ended_at, t.last_seen_at) < :cutoff", "staff_session", "delete"),
    Rule("audit", "RETAIN_AUDIT_DAYS", 1825, "t.at < :cutoff", "admin_event", "delete"),
    Rule("breaches", "RETAIN_BREACH_DAYS", 1825, "t.found_at < :cutoff", "breach", "delete"),
    Rule("privacy_requests", "RETAIN_PRIVACY_REQUEST_DAYS", 1825, "t.done_at < :cutoff", "privacy_request", "delete"),
)
BY_CODE = {rule.code: rule for rule in RULES}


def periods_from(settings) -> dict[str, int]:
    """Each rule's period in days from a mapping of settings (the app's config), else its default."""
    return {rule.code: int(settings.get(rule.setting, rule.default_days)) for rule in RULES}


def _params(rule: Rule, now: datetime, periods: dict[str, int]) -> dict:
    return {"cutoff": now - timedelta(days=periods[rule.code]), "open_statuses": list(OPEN_STATUSES)}


def due(now: datetime, periods: dict[str, int]) -> dict[str, int]:
    """How many rows of each kind a run at ``now`` would erase."""
    return {rule.code: db.session.execute(text(rule.count_sql()), _params(rule, now, periods)).scalar()
            for rule in RULES}


def enforce(now: datetime, periods: dict[str, int], actor: str = "system", progress=None,
            log_empty: bool = True) -> dict[str, int]:
    """Erase what is due, kind by kind (``progress(code, erased)`` after each), in the caller's
    transaction, and write the counts to the audit trail (a run that erased nothing only when
    ``log_empty``: the worker runs every hour)."""
    erased = {}
    for rule in RULES:
        erased[rule.code] = db.session.execute(text(rule.erase_sql()), _params(rule, now, periods)).scalar()
        if progress:
            progress(rule.code, erased[rule.code])
    if log_empty or any(erased.values()):
        log_admin(actor, "retention_enforced", "", **erased)
    return erased
