"""lpsaring settings: one module, every value from the environment (django-environ).

Defaults are safe for the demo (`make run`); production (DEBUG off) refuses to start with a default or
short SECRET_KEY. See the configuration table in README.md.
"""

from pathlib import Path

import environ
import phonenumbers
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEMO_SECRET_KEY = "demo-insecure-secret-key-change-me"
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEMO_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "SECRET_KEY is the demo default or too short: set a random SECRET_KEY of at least 50 characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=1 for the demo."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where residents and staff reach the app; used in WhatsApp links and Midtrans callbacks.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "sites",
    "lpsaring",
    "django_q",  # after lpsaring, whose qcluster command (stops within seconds on SIGTERM) replaces its own
    "accounts",
    "quota",
    "billing",
    "portal",
    "routers",
]

MIDDLEWARE = [
    "core.middleware.OversizedRequestMiddleware",
    "core.middleware.ClientIpMiddleware",
    "core.middleware.QueryStringNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "core.faults.PartDownMiddleware",
]

ROOT_URLCONF = "lpsaring.urls"
WSGI_APPLICATION = "lpsaring.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# PhoneBackend (any phone form) whose permissions follow the role: the group named like the role.
AUTHENTICATION_BACKENDS = ["lpsaring.auth.RoleBackend"]
LOGIN_URL = "admin:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
# A connection kept across requests or cycles is checked before reuse, so after a PostgreSQL restart every
# process reconnects by itself (README, "When a part fails").
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="lps")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, and a PostgreSQL table while Redis cannot be reached (core/cache.py).
            "BACKEND": "core.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    # W001 names the backends django-ratelimit knows; ours is django-redis with an atomic fallback.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    # The demo runs without Redis; rate limits then count per process only.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "portal.views.errors.ratelimited"
CSRF_FAILURE_VIEW = "portal.views.errors.csrf_failure"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# One language for the whole site (no per-browser switching): residents, their WhatsApp messages and
# staff all read the institution's language. English msgids make LANGUAGE_CODE=en work as it is.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="id")
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Makassar")
# The default site's name (sites are managed in the admin; this one is created from the settings).
SITE_NAME = env.str("SITE_NAME", default="lpsaring")
USE_I18N = True
USE_TZ = True
# Dates and times as staff and residents read them, in the site's zone: 02-12-2026 14:05 WITA.
FORMAT_MODULE_PATH = ["lpsaring.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MANIFEST_STRICT = False

# Security: on by default whenever DEBUG is off; tests and plain-HTTP labs may switch them off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Client IP: X-Forwarded-For is honoured only from these peers (see core/middleware.py).
TRUSTED_PROXY_CIDRS = env.list("TRUSTED_PROXY_CIDRS", default=["127.0.0.1/32", "::1/128"])
HOTSPOT_CLIENT_CIDRS = env.list("HOTSPOT_CLIENT_CIDRS", default=["172.16.2.0/23"])

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # REMOTE_ADDR is already the real client (ClientIpMiddleware); never let DRF re-read XFF.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "lpsaring API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

Q_CLUSTER = {
    "name": "lpsaring",  # also the salt that signs queued tasks: the same for every process
    # The queue's name (on Redis, its list): several deployments, or a test, may share one Redis.
    "cluster_name": env.str("Q_QUEUE", default="lpsaring"),
    "label": _("Background tasks"),  # the admin index section; django-q2's own "Django Q" is not translated
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 90,
    "retry": 120,
    "max_attempts": 3,
    "catch_up": False,
    "sync": env.bool("Q_SYNC", default=False),
}
# The queue's broker: Redis when REDIS_URL is set, so workers on several machines share one queue; the
# database (ORM) otherwise, as in the demo. Q_BROKER=orm keeps the database with Redis present.
Q_BROKER = env.str("Q_BROKER", default="redis" if REDIS_URL else "orm")
if Q_BROKER not in ("redis", "orm"):
    raise ImproperlyConfigured(f"Q_BROKER must be redis or orm, not {Q_BROKER!r}")
if Q_BROKER == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("Q_BROKER=redis needs REDIS_URL")
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"  # django-q2 prefers the ORM broker to Redis when both are configured

# On SIGTERM a busy worker gets this long to finish its task; then the task is interrupted and re-queued
# (lpsaring/worker_shutdown.py), so the whole cluster stops within about this + 1 s.
Q_STOP_GRACE_S = env.float("Q_STOP_GRACE_S", default=2.0)

# --- Input rules (core/phone.py, core/names.py) ------------------------------------------------------
# Regions (ISO 3166 codes, as phonenumbers names them) whose numbers may register and log in.
PHONE_ALLOWED_COUNTRIES = [c.strip().upper() for c in env.list("PHONE_ALLOWED_COUNTRIES", default=["ID"])]
_unknown_regions = set(PHONE_ALLOWED_COUNTRIES) - set(phonenumbers.SUPPORTED_REGIONS)
if _unknown_regions or not PHONE_ALLOWED_COUNTRIES:
    raise ImproperlyConfigured(
        f"PHONE_ALLOWED_COUNTRIES: unknown region code(s) {sorted(_unknown_regions)}; use codes such as ID,MY"
    )

# --- Quota and access policy ------------------------------------------------------------------
GIB = 1024**3
MIB = 1024**2
QUOTA_FUP_THRESHOLD_BYTES = env.int("QUOTA_FUP_THRESHOLD_MB", default=3072) * MIB
INITIAL_QUOTA_BYTES = env.int("INITIAL_QUOTA_MB", default=0) * MIB
INITIAL_QUOTA_DAYS = env.int("INITIAL_QUOTA_DAYS", default=30)
MAX_DEVICES_PER_USER = env.int("MAX_DEVICES_PER_USER", default=3)
# Queue rates as RouterOS writes them, "upload/download" in bit/s (k and M suffixes allowed).
RATE_TIERS = env.dict("RATE_TIERS", default={"standard": "10M/10M", "premium": "20M/20M"})
DEFAULT_RATE_TIER = env.str("DEFAULT_RATE_TIER", default="standard")
FUP_RATE = env.str("FUP_RATE", default="1M/1M")
RESIDENT_LOGIN_URL = "/captive/"

# --- Usage accounting and the quota guard (quota/metering/; see README) ----------------------------------
USAGE_INTERVAL_S = env.int("USAGE_INTERVAL_S", default=60)
QUOTA_FAST_INTERVAL_S = env.int("QUOTA_FAST_INTERVAL_S", default=5)
# Users whose remaining bytes could run out within this horizon at their rate are guarded. Twice the
# normal interval, so a normal cycle that starts late still finds them already on the fast cycle.
QUOTA_GUARD_HORIZON_S = env.int("QUOTA_GUARD_HORIZON_S", default=2 * USAGE_INTERVAL_S)
# Floor of the guard rate: RouterOS reads a max-limit of 0 as "unlimited", and a floor lets the last
# bytes drain in bounded time.
QUOTA_GUARD_MIN_RATE_BPS = env.int("QUOTA_GUARD_MIN_RATE_BPS", default=64_000)
# A counter delta above this rate times the elapsed time is rejected and reported (per direction).
LINK_RATE_BPS = env.int("LINK_RATE_BPS", default=1_000_000_000)
# The boot marker (now - router uptime) wobbles by read latency and the 1 s uptime resolution; a boot
# marker more than this after our last read means the router rebooted (a real reboot takes longer).
BOOT_MARKER_TOLERANCE_S = env.int("BOOT_MARKER_TOLERANCE_S", default=5)
LOW_QUOTA_WARNING_MB = env.list("LOW_QUOTA_WARNING_MB", cast=int, default=[500, 100])
EXPIRY_WARNING_DAYS = env.list("EXPIRY_WARNING_DAYS", cast=int, default=[7, 3, 1])
DEVICE_PRUNE_DAYS = env.int("DEVICE_PRUNE_DAYS", default=14)
# How far back the resident history page goes (purchases, grants, corrections and usage per day).
RESIDENT_HISTORY_DAYS = env.int("RESIDENT_HISTORY_DAYS", default=90)
# Per-cycle usage entries older than this many days are folded into one entry per resident and day
# (quota/metering/compact.py, nightly); at least 2, so the readings a router could still resend keep theirs.
USAGE_DETAIL_DAYS = max(env.int("USAGE_DETAIL_DAYS", default=35), 2)

# --- Captive portal and OTP login (portal/login.py) -------------------------------------------
# Hosts the router's login link (link-login-only) may point at; anything else is another hotspot.
HOTSPOT_LOGIN_HOSTS = env.list("HOTSPOT_LOGIN_HOSTS", default=["login.home.arpa"])
OTP_VALIDITY_S = env.int("OTP_VALIDITY_S", default=300)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
OTP_RESEND_COOLDOWN_S = env.int("OTP_RESEND_COOLDOWN_S", default=60)
# django-ratelimit rates ("count/period"); the phone key is the normalized number.
OTP_RATE_PER_PHONE = env.str("OTP_RATE_PER_PHONE", default="3/15m")
OTP_RATE_PER_IP = env.str("OTP_RATE_PER_IP", default="10/15m")
OTP_VERIFY_RATE_PER_IP = env.str("OTP_VERIFY_RATE_PER_IP", default="20/5m")
REGISTER_RATE_PER_IP = env.str("REGISTER_RATE_PER_IP", default="5/h")
# Messages per clock hour across all numbers; past it no code is sent and staff are alerted once.
OTP_HOURLY_SEND_BUDGET = env.int("OTP_HOURLY_SEND_BUDGET", default=200)
# WhatsApp numbers told about abuse (the budget above) and money trouble (a paid transaction denied,
# refunded or charged back); empty: the super admins.
STAFF_ALERT_PHONES = env.list("STAFF_ALERT_PHONES", default=[])
# "Buka di browser utama": signed, single-use link that logs the resident in there.
MAIN_BROWSER_LINK_TTL_S = env.int("MAIN_BROWSER_LINK_TTL_S", default=120)
TURNSTILE_TIMEOUT_S = env.float("TURNSTILE_TIMEOUT_S", default=5.0)

# --- Staff operations and Komandan requests -----------------------------------------------------
# Most a staff member grants in one action (inject, Komandan approval, the quota_grant command).
GRANT_MAX_GB = env.int("GRANT_MAX_GB", default=500)
KOMANDAN_MAX_REQUEST_BYTES = env.int("KOMANDAN_MAX_REQUEST_MB", default=51200) * MIB
KOMANDAN_MAX_REQUEST_DAYS = env.int("KOMANDAN_MAX_REQUEST_DAYS", default=30)
KOMANDAN_ALLOW_UNLIMITED = env.bool("KOMANDAN_ALLOW_UNLIMITED", default=True)
KOMANDAN_REQUEST_COOLDOWN_HOURS = env.int("KOMANDAN_REQUEST_COOLDOWN_HOURS", default=6)
# Registrations nobody approved are removed after this many days (daily task).
UNAPPROVED_REGISTRATION_MAX_DAYS = env.int("UNAPPROVED_REGISTRATION_MAX_DAYS", default=30)

# --- Router ---------------------------------------------------------------------------------------
MIKROTIK_HOST = env.str("MIKROTIK_HOST", default="")
MIKROTIK_PORT = env.int("MIKROTIK_PORT", default=8728)
MIKROTIK_USER = env.str("MIKROTIK_USER", default="admin")
MIKROTIK_PASSWORD = env.str("MIKROTIK_PASSWORD", default="")
MIKROTIK_USE_TLS = env.bool("MIKROTIK_USE_TLS", default=False)
MIKROTIK_TIMEOUT_S = env.float("MIKROTIK_TIMEOUT_S", default=5.0)
# Connection set-up is retried (connect refused, timeout) with exponential backoff; login refusals are not.
MIKROTIK_CONNECT_ATTEMPTS = env.int("MIKROTIK_CONNECT_ATTEMPTS", default=3)
MIKROTIK_RETRY_BACKOFF_S = env.float("MIKROTIK_RETRY_BACKOFF_S", default=0.3)
# The targeted converge runs inside web requests (captive login, staff actions): one attempt, short timeout.
MIKROTIK_QUICK_TIMEOUT_S = env.float("MIKROTIK_QUICK_TIMEOUT_S", default=2.0)
# api-ssl: a CA bundle for the router's certificate; MIKROTIK_TLS_VERIFY=0 accepts any certificate.
MIKROTIK_TLS_CAFILE = env.str("MIKROTIK_TLS_CAFILE", default="")
MIKROTIK_TLS_VERIFY = env.bool("MIKROTIK_TLS_VERIFY", default=True)
# Each authorized device gets a managed static DHCP lease so its IP (and its queue target) stays stable.
ROUTER_STATIC_LEASES = env.bool("ROUTER_STATIC_LEASES", default=True)
ROUTER_DHCP_SERVER = env.str("ROUTER_DHCP_SERVER", default="")  # empty: the router's default ("all")
# Address-list names per access status; the defaults are those of the existing deployment.
ROUTER_LIST_OK = env.str("ROUTER_LIST_OK", default="klient_aktif")
ROUTER_LIST_FUP = env.str("ROUTER_LIST_FUP", default="klient_fup")
ROUTER_LIST_HABIS = env.str("ROUTER_LIST_HABIS", default="klient_habis")
ROUTER_LIST_EXPIRED = env.str("ROUTER_LIST_EXPIRED", default="klient_expired")
ROUTER_LIST_INACTIVE = env.str("ROUTER_LIST_INACTIVE", default="klient_inactive")
ROUTER_LIST_BLOCKED = env.str("ROUTER_LIST_BLOCKED", default="klient_blocked")
ROUTER_RECONCILE_MINUTES = env.int("ROUTER_RECONCILE_MINUTES", default=5)
# One writer per router (routers/locks.py): how long a converge waits for another run on the same router
# before leaving the work to it (the scheduled reconcile, then a targeted converge or a login).
# The guard and the usage cycle read several routers at once (threads; network waits, not CPU).
USAGE_READ_THREADS = env.int("USAGE_READ_THREADS", default=8)
ROUTER_LOCK_WAIT_S = env.float("ROUTER_LOCK_WAIT_S", default=60.0)
ROUTER_LOCK_WAIT_QUICK_S = env.float("ROUTER_LOCK_WAIT_QUICK_S", default=10.0)

# --- WhatsApp -------------------------------------------------------------------------------------
WHATSAPP_BACKEND = env.str("WHATSAPP_BACKEND", default="console")
FONNTE_TOKEN = env.str("FONNTE_TOKEN", default="")
FONNTE_URL = env.str("FONNTE_URL", default="https://api.fonnte.com/send")
WHATSAPP_TIMEOUT_S = env.float("WHATSAPP_TIMEOUT_S", default=10.0)
# The outbox (core/whatsapp/outbox.py): a message that could not be sent is retried with a growing delay
# for this long, then marked failed; after a failed attempt, login-code requests are answered "cannot send"
# for WHATSAPP_PROBE_AFTER_S, then the next request tries the gateway again.
WHATSAPP_GIVE_UP_AFTER_S = env.int("WHATSAPP_GIVE_UP_AFTER_S", default=24 * 3600)
WHATSAPP_PROBE_AFTER_S = env.int("WHATSAPP_PROBE_AFTER_S", default=60)

# --- Midtrans -------------------------------------------------------------------------------------
MIDTRANS_SERVER_KEY = env.str("MIDTRANS_SERVER_KEY", default="")
MIDTRANS_CLIENT_KEY = env.str("MIDTRANS_CLIENT_KEY", default="")
MIDTRANS_IS_PRODUCTION = env.bool("MIDTRANS_IS_PRODUCTION", default=False)
MIDTRANS_SNAP_BASE_URL = env.str("MIDTRANS_SNAP_BASE_URL", default="")
MIDTRANS_API_BASE_URL = env.str("MIDTRANS_API_BASE_URL", default="")
MIDTRANS_TIMEOUT_S = env.float("MIDTRANS_TIMEOUT_S", default=10.0)
MIDTRANS_ORDER_PREFIX = env.str("MIDTRANS_ORDER_PREFIX", default="LPS")
MIDTRANS_EXPIRY_MINUTES = env.int("MIDTRANS_EXPIRY_MINUTES", default=15)
# Debt orders (settling debt online): their order id prefix, and auto debt priced up to a multiple of this.
DEBT_ORDER_PREFIX = env.str("DEBT_ORDER_PREFIX", default="LPSD")
DEBT_ROUNDING_RP = env.int("DEBT_ROUNDING_RP", default=10000)
DEBT_LIMIT_MB = env.int("DEBT_LIMIT_MB", default=0)  # debt (auto + open items) that blocks; 0 = off
DEBT_LIMIT_WARNING_PERCENT = env.int("DEBT_LIMIT_WARNING_PERCENT", default=80)
DEBT_REMINDER_HOURS = [72, 24, 3]  # before the end of the due day (local), each sent once
# A settlement confirmed up to this long after the transaction expired still applies the package.
MIDTRANS_LATE_GRACE_MINUTES = env.int("MIDTRANS_LATE_GRACE_MINUTES", default=10)

# --- Turnstile (Cloudflare's published always-pass test keys by default) --------------------------
TURNSTILE_SITE_KEY = env.str("TURNSTILE_SITE_KEY", default="1x00000000000000000000AA")
TURNSTILE_SECRET_KEY = env.str("TURNSTILE_SECRET_KEY", default="1x0000000000000000000000000000000AA")
TURNSTILE_VERIFY_URL = env.str(
    "TURNSTILE_VERIFY_URL", default="https://challenges.cloudflare.com/turnstile/v0/siteverify"
)
# Hosts the portal is served on; a verified token must have been solved there (empty: not checked).
TURNSTILE_HOSTNAMES = env.list("TURNSTILE_HOSTNAMES", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-q logs every task it processes at INFO; its useful news (failures) is at WARNING.
    "loggers": {"django-q": {"level": env.str("Q_LOG_LEVEL", default="WARNING")}},
}

# --- Hotspot hygiene and the account lifecycle (README "Hotspot hygiene and account lifecycle") ---
# Free riders: hosts in a site's client subnets that are none of ours, up at least this long.
HOTSPOT_EXEMPT_IPS = env.list("HOTSPOT_EXEMPT_IPS", default=[])
FREE_RIDER_LIST = env.str("FREE_RIDER_LIST", default="unauthorized")
FREE_RIDER_MIN_UPTIME_S = env.int("FREE_RIDER_MIN_UPTIME_S", default=600)
FREE_RIDER_TIMEOUT = env.str("FREE_RIDER_TIMEOUT", default="1h")
FREE_RIDER_MINUTES = env.int("FREE_RIDER_MINUTES", default=2)
# Payment and bank domains residents reach while restricted (habis, expired, debt-blocked).
WALLED_GARDEN_LIST = env.str("WALLED_GARDEN_LIST", default="lps_walled_garden")
WALLED_GARDEN_DOMAINS = env.list(
    "WALLED_GARDEN_DOMAINS",
    default=[
        "app.midtrans.com",
        "api.midtrans.com",
        "simulator.sandbox.midtrans.com",
        "klikbca.com",
        "m.klikbca.com",
        "bri.co.id",
        "bankmandiri.co.id",
        "bni.co.id",
        "gopay.co.id",
        "dana.id",
        "ovo.id",
        "shopeepay.co.id",
    ],
)
WALLED_GARDEN_KEEP_DAYS = env.int("WALLED_GARDEN_KEEP_DAYS", default=7)
WALLED_GARDEN_DNS_TIMEOUT_S = env.float("WALLED_GARDEN_DNS_TIMEOUT_S", default=5.0)
# Inactive residents (no login, usage, purchase, device or staff action): 0 turns a step off.
INACTIVE_WARN_DAYS = env.int("INACTIVE_WARN_DAYS", default=0)
INACTIVE_DEACTIVATE_DAYS = env.int("INACTIVE_DEACTIVATE_DAYS", default=0)
INACTIVE_DELETE_DAYS = env.int("INACTIVE_DELETE_DAYS", default=0)
INACTIVE_BATCH = env.int("INACTIVE_BATCH", default=50)
# A released resident's remaining quota: "forfeit" (taken back through the ledger) or "keep" (left on the
# closed account, e.g. for a refund staff settle outside the system).
RELEASE_QUOTA_POLICY = env.str("RELEASE_QUOTA_POLICY", default="forfeit")
# Broadcasts through Fonnte: at most this many per minute overall, and per number.
BROADCAST_PER_MINUTE = env.int("BROADCAST_PER_MINUTE", default=120)
BROADCAST_PER_NUMBER_PER_MINUTE = env.int("BROADCAST_PER_NUMBER_PER_MINUTE", default=3)
