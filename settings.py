"""The one place that reads the environment (``tests/project/test_layers.py`` fails when another module does).

Every setting the application, its commands, gunicorn, the local stack, the tests and the benchmarks
need comes from here: :class:`Config` (the app's), :class:`Server` (gunicorn and the stack) and
:data:`CITY` (which city this installation serves: its province, time zone and office hours).
"""
import hashlib
import os
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/phananh"


def _default_data_dir() -> str:
    """``../shared/data`` beside the project when it exists, else a download cache under ``var/``."""
    shared = PROJECT_ROOT.parent / "shared" / "data"
    return str(shared if shared.is_dir() else PROJECT_ROOT / "var" / "data")


def sqlalchemy_url(url: str) -> str:
    """``postgresql://`` URLs use psycopg2 (SQLAlchemy 2.1 would otherwise pick psycopg 3)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def replica_binds(url: str | None) -> dict:
    """Flask-SQLAlchemy's ``replica`` bind for ``url`` (a short connect timeout: a dead replica is
    noticed in two seconds, then left alone a moment), or none."""
    if not url:
        return {}
    return {"replica": {"url": sqlalchemy_url(url), "connect_args": {"connect_timeout": 2}}}


def installation_id(database_uri: str) -> str:
    """A short name of the installation, derived from its database (host, port and name): what sets
    two installations apart on one Redis."""
    url = make_url(database_uri)
    return hashlib.sha256(f"{url.host}:{url.port}/{url.database}".encode()).hexdigest()[:12]


def name_the_installation(config) -> None:
    """Every key this installation keeps in a shared store (caches, rate limits) starts with its
    ``INSTALLATION_ID`` (by default :func:`installation_id` of its database): another installation on
    the same Redis never reads this one's figures, days off or counts. Called by ``create_app`` once the
    settings are final (a test's own database gives it its own name)."""
    config["INSTALLATION_ID"] = config.get("INSTALLATION_ID") or installation_id(config["SQLALCHEMY_DATABASE_URI"])
    config["CACHE_KEY_PREFIX"] = f"phananh:{config['INSTALLATION_ID']}:"
    config["RATELIMIT_KEY_PREFIX"] = f"phananh:{config['INSTALLATION_ID']}"


def _office_hours(text: str) -> tuple[tuple[time, time], ...]:
    """``07:30-11:30,13:30-17:00`` → the day's working periods."""
    periods = []
    for part in text.split(","):
        start, end = (time.fromisoformat(t.strip()) for t in part.split("-"))
        if not start < end:
            raise SystemExit(f"OFFICE_HOURS: {part.strip()!r} ends before it starts")
        periods.append((start, end))
    return tuple(periods)


@dataclass(frozen=True)
class City:
    """The city an installation serves: its province code (the leaders' figures, the demo, the map's
    default area), its time zone (local days, deadlines, digests) and its office hours (working-hour
    deadlines)."""
    province: str
    time_zone: str
    office_hours: tuple[tuple[time, time], ...]


CITY = City(province=os.environ.get("CITY_PROVINCE", "46").strip(),
            time_zone=os.environ.get("CITY_TIME_ZONE", "Asia/Ho_Chi_Minh").strip(),
            office_hours=_office_hours(os.environ.get("OFFICE_HOURS", "07:30-11:30,13:30-17:00")))


class Server:
    """gunicorn's settings (``webapp/gunicorn_conf.py``) and the local stack's (``make stack``)."""
    PORT = int(os.environ.get("PORT", "5000"))
    WORKER_CLASS = os.environ.get("WEB_WORKER_CLASS", "sync")
    WORKERS = int(os.environ.get("WEB_WORKERS", str((os.cpu_count() or 1) + 1)))
    THREADS = int(os.environ.get("WEB_THREADS", "1"))
    ACCESS_LOG = os.environ.get("ACCESS_LOG") or None
    STACK_PORT = int(os.environ.get("STACK_PORT", "8080"))


def metrics_dir() -> str | None:
    """Where the workers of one gunicorn keep their metrics (``PROMETHEUS_MULTIPROC_DIR``, which
    gunicorn's settings set before the workers start), or None for a single process."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def use_metrics_dir(default: str) -> str:
    """``PROMETHEUS_MULTIPROC_DIR``, set to ``default`` when unset (the Prometheus client reads it
    from the environment in every worker)."""
    return os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", default)


def process_env(**overrides: str) -> dict:
    """This process's environment with ``overrides``, for a program it starts (PostgreSQL's tools,
    apt-get, the stack's nodes, a command on another database)."""
    return {**os.environ, **overrides}


def given(name: str) -> str | None:
    """A setting as the environment gives it (None when unset): for the few read outside a class
    here (the local stack passes PHANANH_ENV and PUBLIC_URL on)."""
    return os.environ.get(name)


class Config:
    """Settings read from the environment once, when the class is defined."""

    # DATABASE_URL as given (None when unset: devtools.dbsetup then picks a server and exports it).
    DATABASE_URL = os.environ.get("DATABASE_URL") or None
    SQLALCHEMY_DATABASE_URI = sqlalchemy_url(DATABASE_URL or DEFAULT_DATABASE_URL)
    # A streaming replica for read-heavy pages (webapp/read_routing.py); unset: everything on the primary.
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL") or None
    SQLALCHEMY_BINDS = replica_binds(DATABASE_REPLICA_URL)
    REPLICA_MAX_LAG_S = float(os.environ.get("REPLICA_MAX_LAG_S", "5"))
    # Server-side prepared statements for the hot lookups (store.read): off behind a connection pooler
    # in transaction mode (PgBouncer), where the next statement may reach another server session.
    DATABASE_PREPARED_READS = os.environ.get("DATABASE_PREPARED_READS", "1").lower() not in {"0", "false", "no"}
    # No pre-ping (it costs a round trip per checkout): a connection found dead (the database
    # restarted) fails its request, which webapp.resilience retries once for reads. JIT off: the
    # planner's estimates for tile and dashboard queries (hundreds of thousands of index rows) trigger
    # LLVM compilation that costs 100–300 ms for queries that run in tens of ms.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False, "pool_size": 10, "max_overflow": 20,
                                 "connect_args": {"options": "-c jit=off"}}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # "production" unless told otherwise: `make run` and `make test` say "development" explicitly.
    ENVIRONMENT = os.environ.get("PHANANH_ENV", "production").strip().lower()
    # Required outside development (webapp.security refuses to start without 32+ characters); in
    # development an unset key is generated once under var/ (SECRET_KEY_FILE) and reused.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SECRET_KEY_FILE = os.environ.get("SECRET_KEY_FILE", str(PROJECT_ROOT / "var" / "secret_key"))
    # Links in answers and messages (Open311 URLs, emails) use this base, never the Host header.
    # Required in production; in development it defaults to the local server.
    PUBLIC_URL = (os.environ.get("PUBLIC_URL") or "").rstrip("/") or None
    # Host names the app answers to (comma-separated); default: PUBLIC_URL's host (+ localhost in
    # development). Anything else answers 400 (Flask's TRUSTED_HOSTS).
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed (0: none).
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    # Shared storage for rate limits and caches across workers and nodes; unset: per process memory.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    DATA_DIR = os.environ.get("DATA_DIR", _default_data_dir())
    PORT = Server.PORT
    # Where the ward polygons are fetched when DATA_DIR lacks them; unset: the pinned commit of
    # geo.upstream.DEFAULT_UPSTREAM_URL.
    BOUNDARY_UPSTREAM_URL = os.environ.get("BOUNDARY_UPSTREAM_URL") or None
    PRIVATE_CLUSTER_PORT = int(os.environ.get("PRIVATE_PG_PORT", "55432"))
    PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "/usr/lib/postgresql/15/bin")
    CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    JSON_AS_ASCII = False
    PHOTO_DIR = os.environ.get("PHOTO_DIR", str(PROJECT_ROOT / "var" / "photos"))
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(PROJECT_ROOT / "var" / "backups"))  # flask ops backup
    BACKUP_KEEP_DAYS = int(os.environ.get("BACKUP_KEEP_DAYS", "14"))  # older backups are deleted after each one
    # age public keys ("age1…", comma-separated) backups are encrypted for; required in production
    # (flask ops backup-key makes a pair: the private key stays away from the server).
    BACKUP_AGE_RECIPIENTS = tuple(r.strip() for r in os.environ.get("BACKUP_AGE_RECIPIENTS", "").split(",") if r.strip())
    # /metrics answers these networks only (after PROXY_FIX_HOPS); one JSON log line per request.
    METRICS_ALLOW = os.environ.get("METRICS_ALLOW", "127.0.0.1/32,::1/128")
    REQUEST_LOG = os.environ.get("REQUEST_LOG", "1") == "1"
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024  # three 10 MB photos and the form
    # The basemap's host is the only outside origin the Content-Security-Policy allows (img-src).
    BASEMAP_URL = os.environ.get("BASEMAP_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    BASEMAP_ATTRIBUTION = os.environ.get(
        "BASEMAP_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>')
    LANGUAGES = ("vi", "en")
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = CITY.time_zone
    WTF_CSRF_TIME_LIMIT = None  # a draft written offline may be sent hours later
    WTF_CSRF_SSL_STRICT = False
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1").lower() not in {"0", "false", "no"}
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: limits fall back to each process's memory rather than refusing every request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Leaders' figures are kept this long (per filter set), so a page reload does not re-read a
    # 90-day period of a million reports. With REDIS_URL the cache is shared (RedisCache); without
    # it SimpleCache is per worker process. Tests use NullCache.
    CACHE_TYPE = os.environ.get("CACHE_TYPE") or ("RedisCache" if REDIS_URL else "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or REDIS_URL
    # Keys in Redis: phananh:<INSTALLATION_ID>:… (name_the_installation; default: from the database).
    INSTALLATION_ID = os.environ.get("INSTALLATION_ID") or None
    DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "120"))
    # A ward is ranked (dashboard, public /wards) when at least this many of its reports of the period
    # are due (answered, or open past the deadline): fewer and its on-time rate is mostly chance.
    DASHBOARD_MIN_SAMPLE = int(os.environ.get("DASHBOARD_MIN_SAMPLE", "10"))
    # Public aggregate tiles (clusters below z15, hotspots): kept and sent with max-age this long.
    TILE_CACHE_SECONDS = int(os.environ.get("TILE_CACHE_SECONDS", "60"))
    # SimpleCache entries per worker (a cluster tile is up to ~65 KB: 1,000 entries stay under ~65 MB).
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", "1000"))
    # Per client address (after PROXY_FIX_HOPS); each route has its own setting.
    SUBMIT_RATE_LIMIT = os.environ.get("SUBMIT_RATE_LIMIT", "10 per minute; 100 per day")
    SUPPORT_RATE_LIMIT = os.environ.get("SUPPORT_RATE_LIMIT", "30 per hour")
    # Anonymous reads that cost more than a page (ward outlines, the map's points, Open311 searches).
    ANONYMOUS_READ_RATE_LIMIT = os.environ.get("ANONYMOUS_READ_RATE_LIMIT", "120 per minute")
    # New area alerts (email or push) and report subscriptions, per address: each may send messages.
    ALERT_RATE_LIMIT = os.environ.get("ALERT_RATE_LIMIT", "5 per hour; 20 per day")
    RESIDENT_ACTION_RATE_LIMIT = os.environ.get("RESIDENT_ACTION_RATE_LIMIT", "10 per hour")  # rate, reopen
    OPEN311_KEY_RATE_LIMIT = os.environ.get("OPEN311_KEY_RATE_LIMIT", "600 per hour")  # per API key
    # Sign-in: per account and address (a locked account locks no other), and a ceiling per address.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per 15 minutes")
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "200 per 15 minutes")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENVIRONMENT != "development"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Staff sessions end after this long without a request, and this long after sign-in whatever.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", str(8 * 60)))
    SESSION_MAX_DAYS = int(os.environ.get("SESSION_MAX_DAYS", "7"))
    # Roles that must sign in with a second factor (TOTP). Unset: in production every role that reads
    # personal data (webapp.policy.PERSONAL_DATA_ROLES), none in development (the demo accounts stay
    # usable without an authenticator app). "none" requires it of nobody.
    REQUIRE_2FA_ROLES = tuple(r.strip() for r in os.environ["REQUIRE_2FA_ROLES"].split(",") if r.strip()
                              and r.strip() != "none") if "REQUIRE_2FA_ROLES" in os.environ else None
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    # Demo accounts' password (make run sets a random one when unset); never used in production.
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD") or None
    # Email to residents: smtp://user:pass@host:587 (STARTTLS with SMTP_STARTTLS=1) or smtps://host:465.
    # Unset: messages are written to the worker's log (addresses masked), not sent.
    SMTP_URL = os.environ.get("SMTP_URL") or None
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "").lower() in ("1", "true", "yes")
    # Web Push: a VAPID private key (PEM). Unset: generated under var/ in development, push off in
    # production. The push services the server may post to (HTTPS hosts and their subdomains).
    VAPID_PRIVATE_KEY_FILE = os.environ.get("VAPID_PRIVATE_KEY_FILE") or None
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:no-reply@localhost")
    PUSH_SERVICE_HOSTS = tuple(h.strip() for h in os.environ.get(
        "PUSH_SERVICE_HOSTS", "fcm.googleapis.com,push.services.mozilla.com,push.apple.com,notify.windows.com"
    ).split(",") if h.strip())
    # Updates by SMS and by Zalo (ZNS): off unless configured (delivery.channels). SMS goes to an HTTP
    # gateway (JSON {"to", "text", "sender"} with a bearer token); Zalo to the ZNS template API with
    # an Official Account's access token and the ids of approved templates ("update=…,confirm=…").
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL") or None
    SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN") or None
    SMS_SENDER = os.environ.get("SMS_SENDER", "PhanAnh")
    ZALO_ZNS_ACCESS_TOKEN = os.environ.get("ZALO_ZNS_ACCESS_TOKEN") or None
    ZALO_ZNS_URL = os.environ.get("ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template")
    ZALO_ZNS_TEMPLATES = dict(pair.strip().split("=", 1) for pair in os.environ.get(
        "ZALO_ZNS_TEMPLATES", "").split(",") if "=" in pair)
    # A phone number receives SMS or Zalo messages only after it sent us its code by SMS to this number
    # (reports.notify.phones); the gateway posts what the number receives to /api/v1/hooks/sms with
    # "Authorization: Bearer SMS_INBOUND_TOKEN". Without both, updates by phone are off.
    SMS_INBOUND_NUMBER = os.environ.get("SMS_INBOUND_NUMBER") or None
    SMS_INBOUND_TOKEN = os.environ.get("SMS_INBOUND_TOKEN") or None
    PHONE_PROOF_DAYS = int(os.environ.get("PHONE_PROOF_DAYS", "365"))  # a proven number is kept this long
    # How long personal data is kept, in days (reports.privacy.retention; the worker erases what is due
    # every hour): a reporter's contact details after the report closed,
    # unconfirmed subscriptions and alerts, subscriptions to a closed report, message counts per number,
    # finished jobs, ended staff sessions, the administration's audit trail.
    # Who controls the residents' personal data and how a person reaches them (the privacy notice,
    # /privacy): the city completes both before it opens the service to residents.
    PRIVACY_CONTROLLER = os.environ.get("PRIVACY_CONTROLLER") or None
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT") or None
    # A person's requests about their data (reports.privacy.requests), in working days: acknowledged
    # within PRIVACY_ACKNOWLEDGE_DAYS, and a copy or correction, a withdrawal or restriction, a deletion
    # answered within its own (Decree 356/2025).
    PRIVACY_DAYS = {kind: int(os.environ.get(f"PRIVACY_{kind.upper()}_DAYS", str(days))) for kind, days in
                    {"acknowledge": 2, "access": 10, "correct": 10, "withdraw": 15, "restrict": 15, "delete": 20}.items()}
    RETAIN_CONTACT_DAYS = int(os.environ.get("RETAIN_CONTACT_DAYS", "180"))
    RETAIN_UNCONFIRMED_DAYS = int(os.environ.get("RETAIN_UNCONFIRMED_DAYS", "7"))
    RETAIN_SUBSCRIPTION_DAYS = int(os.environ.get("RETAIN_SUBSCRIPTION_DAYS", "90"))
    RETAIN_QUOTA_DAYS = int(os.environ.get("RETAIN_QUOTA_DAYS", "2"))
    RETAIN_JOB_DAYS = int(os.environ.get("RETAIN_JOB_DAYS", "30"))
    RETAIN_SESSION_DAYS = int(os.environ.get("RETAIN_SESSION_DAYS", "30"))
    RETAIN_AUDIT_DAYS = int(os.environ.get("RETAIN_AUDIT_DAYS", "1825"))
    RETAIN_PRIVACY_REQUEST_DAYS = int(os.environ.get("RETAIN_PRIVACY_REQUEST_DAYS", "1825"))
    RETAIN_BREACH_DAYS = int(os.environ.get("RETAIN_BREACH_DAYS", "1825"))
    # Daily caps: messages to one number (SMS and Zalo each), and all messages of a channel.
    PHONE_DAILY_CAP = int(os.environ.get("PHONE_DAILY_CAP", "5"))
    SMS_DAILY_CAP = int(os.environ.get("SMS_DAILY_CAP", "2000"))
    ZALO_DAILY_CAP = int(os.environ.get("ZALO_DAILY_CAP", "2000"))
    PUSH_INSECURE_HOSTS: tuple = ()  # plain-HTTP push hosts: only the tests' local push service
    # Each delivery's whole exchange (connect, send, answer) ends within this many seconds, however
    # slowly the other side answers (delivery.outbound): a push service, the SMS gateway, Zalo, SMTP.
    PUSH_DEADLINE_S = float(os.environ.get("PUSH_DEADLINE_S", "10"))
    CHANNEL_DEADLINE_S = float(os.environ.get("CHANNEL_DEADLINE_S", "15"))
    SMTP_DEADLINE_S = float(os.environ.get("SMTP_DEADLINE_S", "30"))
    # A claimed job is the worker's this long (longer than any deadline above); a worker that dies
    # leaves it to the next one when it ends.
    JOB_LEASE_S = float(os.environ.get("JOB_LEASE_S", "120"))
    REMINDER_MINUTES = int(os.environ.get("REMINDER_MINUTES", "120"))  # officers' reminder before a deadline
    MAIL_FROM = os.environ.get("MAIL_FROM", "Phản Ánh <no-reply@localhost>")
    HOLIDAYS = os.environ.get("HOLIDAYS", "")  # extra public holidays, comma-separated ISO dates
