"""
Settings shared by every environment.

Every value that differs between machines is read from the environment (see the README's
"Configuration" table). ``local``, ``test`` and ``production`` only change defaults.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# SECTION: core
# https://docs.djangoproject.com/en/5.2/ref/settings/#core-settings

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public address of the portal, used in links inside e-mails sent by background jobs.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# SECTION: applications

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "django_htmx",
    "phonenumber_field",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "wilayah",
    "notifications",
    "koperasi",
    "units",
    "members",
    "bumdes",
    "simpanan",
    "pembangunan",
    "kegiatan",
    "targets",
    "pendampingan",
    "impor",
    "reports",
    "home",
    # Demo scenario and national generator (seed_demo, generate_national); nothing in the product imports it.
    "sampledata",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read at once (every page reads it): core.middleware.SignedInUserMiddleware.
    "core.middleware.SignedInUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Officers who have not activated two-factor authentication can reach only its activation page.
    "accounts.middleware.MFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records request.user as the author of every audited change.
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Widgets render through the project's templates (e.g. the region picker in templates/wilayah/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
                "django.template.context_processors.i18n",
                "core.context_processors.portal",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# SECTION: database
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# The quickstart default is an embedded SQLite file; production and tests use PostgreSQL.

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one write lock and ignores SELECT ... FOR UPDATE: a transaction takes the lock when it begins, so
    # two users booking the same desk at once wait their turn (and the second sees the first's booking) rather
    # than one failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

# SECTION: authentication
# https://docs.allauth.org/en/latest/account/configuration.html

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: every password sign-in (web, admin, API token) goes through the lockout (accounts/lockout.py).
    "accounts.backends.LockoutModelBackend",
    # Of allauth's class, before allauth's own, so that allauth records it in the session of a sign-in that went
    # through the authenticator code: it reads the signed-in user in one statement (and checks no password).
    "accounts.backends.PortalAuthenticationBackend",
    # Password checks by e-mail, as before; and the backend of sessions recorded before the one above existed.
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Every sign-in address is verified: an invitation's link proves the invited address (see
# accounts.apps), and a new address replaces the old one only after the code sent to it is entered
# (until then User.email stays as it was). An address never verified (e.g. an account made with
# createsuperuser) is verified by code at its first sign-in.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_FORMS = {"add_email": "accounts.forms.AddEmailForm"}
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "/accounts/email/"  # back to the page, with the news
# Changing the sign-in address asks for the password again (a borrowed session must not redirect the
# account's e-mail, and with it password resets, to someone else).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# People hear of changes to how they sign in (password, address, two-factor) at their address.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Accounts are made by invitation only: a reset asked for an unknown address sends nothing (allauth's default mail
# invited the reader to a sign-up page that is closed, and let anyone send portal mail to any address). The page's
# answer stays the same either way, so it tells nobody which addresses have accounts.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = None
# Failed sign-ins are counted by the portal's own lockout, in PostgreSQL, across web, admin and API; allauth's
# cache-based counter would be a second, weaker one (it forgets everything when Redis is down).
ACCOUNT_RATE_LIMITS = {"login_failed": None}

# The sign-in lockout: this many failures within SIGN_IN_LOCKOUT_MINUTES lock the account (the e-mail address
# typed) or the client IP until enough of them are older than that. An office behind one NAT address shares
# its IP, hence the higher IP limit.
SIGN_IN_LOCKOUT_MINUTES = env.int("SIGN_IN_LOCKOUT_MINUTES", default=15)
SIGN_IN_ACCOUNT_FAILURE_LIMIT = env.int("SIGN_IN_ACCOUNT_FAILURE_LIMIT", default=5)
SIGN_IN_IP_FAILURE_LIMIT = env.int("SIGN_IN_IP_FAILURE_LIMIT", default=30)

# How many reverse proxies in front of the portal append to X-Forwarded-For (1 behind the documented nginx).
# 0 ignores the header: anyone can write it. One setting for the lockout, allauth and DRF's throttles.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# API tokens (Authorization: Token <key>) expire after this many days; a new password ends them at once.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)

# SECTION: two-factor authentication
# https://docs.allauth.org/en/latest/mfa/configuration.html
# TOTP (an authenticator app) with single-use recovery codes; available to everyone from their profile.

MFA_ADAPTER = "accounts.adapters.PortalMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Koperasi Merah Putih")
# One 30-second step either side: phones in the field are not always on network time.
MFA_TOTP_TOLERANCE = 1
# Holders of these roles (and staff/superusers, who count as national administrators) must use it: after
# signing in they can reach nothing but its activation until it is active, and cannot turn it off. The
# quickstart (settings/local.py) empties the list so that the demo logins work without a phone.
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES",
    default=["national_admin", "province_officer", "kabupaten_officer", "kecamatan_officer"],
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# SECTION: internationalisation
# Users speak Bahasa Indonesia; English is available from the language switch.

LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", _("Bahasa Indonesia")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Indonesian dates without the period Django puts after month abbreviations (12 Jun 2025).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# SECTION: static and media files
# https://whitenoise.readthedocs.io/

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# SECTION: portal rules
# Values the sources leave to local practice are settings, not code.

PHONENUMBER_DEFAULT_REGION = "ID"
PHONENUMBER_DB_FORMAT = "E164"
# A cooperative with no stage completed for this many days is listed as stalled.
STALLED_AFTER_DAYS = env.int("STALLED_AFTER_DAYS", default=30)
# Uploaded stage documents: PDF, JPG or PNG up to this size.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES + 1024 * 1024
# Bulk import (impor): the largest spreadsheet accepted and the most rows one file may hold.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
# The public membership application: sendings per client address per hour.
SELF_REGISTRATION_PER_HOUR = env.int("SELF_REGISTRATION_PER_HOUR", default=5)
# Dashboard content is cached per scope and day until its areas' figures or targets change (core/versions.py),
# at most this long (0 turns it off): the bound for what no version follows, e.g. a cooperative passing 30 days
# without an update, or a renamed cooperative in the list of those. Each cached page drawn again costs 20–50 ms
# of CPU, so a short bound on its own has every page of a busy portal drawn again that often.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# ... but a cached page is drawn again at most once this many seconds, however many changes come in: a change
# shows on every dashboard within this long (a busy page, served less than a floor ago, is drawn after the
# response of the visit that finds the floor passed: the next visit shows it). Without it the national and
# province pages, which every write in the country changes, would be drawn again after nearly every write
# (reports.views.DashboardView._page).
DASHBOARD_REFRESH_FLOOR_SECONDS = env.int("DASHBOARD_REFRESH_FLOOR_SECONDS", default=20)
# ... and for a busy page (opened by anyone, its own officer included, less than the floor above ago) at most once
# this many seconds, when longer (0: the floor above; held to half DASHBOARD_CACHE_SECONDS; nothing is busy when the
# floor above is 0). Each busy page changed is drawn again once per floor while the country writes (at 20 writes/s,
# ~14 drawings a second of the benchmark's 853 pages: README, Performance); its readers are shown the previous
# drawing, at most two such floors old, with its time.
DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS = env.int("DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS", default=0)
# The release running (e.g. the deployed commit), part of the key of every drawing kept in the cache, so that a new
# release never serves the previous one's. Unset: a digest of the code, templates and static files, taken
# when each process starts (core/release.py).
PORTAL_RELEASE = env.str("PORTAL_RELEASE", default="")
# Days over which a target's recent daily rate is measured.
TARGET_RATE_WINDOW_DAYS = env.int("TARGET_RATE_WINDOW_DAYS", default=14)

# SECTION: cache

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# Prefix of every Redis key the portal writes itself (roll-up queue and lock); the cache has its KEY_PREFIX.
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="kopdes")
# The cache only saves work: with Redis unreachable a read misses and a write is skipped (logged), and
# Redis is left alone for RETRY_AFTER seconds, so pages and rate limits keep working from the database.
CACHES = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "kopdes",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_AFTER": 5},
    }
}
# The roll-up lock lives this long unless its holder renews it (every third of it): a killed worker
# delays the next refresh or reconcile by at most this much.
ROLLUP_LOCK_SECONDS = env.int("ROLLUP_LOCK_SECONDS", default=30)
# PostgreSQL work_mem for the full roll-up reconcile only (SET LOCAL in its transaction).
ROLLUP_RECONCILE_WORK_MEM = env.str("ROLLUP_RECONCILE_WORK_MEM", default="256MB")

# SECTION: e-mail
# EMAIL_URL examples: smtp+tls://user:pass@smtp.example.go.id:587, consolemail://

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Portal Koperasi Merah Putih <noreply@kopdes.local>")

# SECTION: Django REST framework
# https://www.django-rest-framework.org/api-guide/settings/

REST_FRAMEWORK = {
    # The token first: a request without credentials gets 401 with WWW-Authenticate, not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.PortalJSONParser",  # deeply nested JSON is a 400, not a 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.portal_exception_handler",
    # personal_data: pages and API responses showing members, per user (see core/throttling.py).
    "DEFAULT_THROTTLE_RATES": {
        "token": "20/min",
        "personal_data": env.str("PERSONAL_DATA_READ_RATE", default="300/hour"),
    },
    # Throttles key on the client address behind this many proxies (see TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # OPTIONS answers 405: the OpenAPI schema (/api/schema/) describes the API, and DRF's field metadata
    # described the output serializers (the API reads input with others) and crashed on list routes with PUT.
    "DEFAULT_METADATA_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Portal Koperasi Desa/Kelurahan Merah Putih API",
    "DESCRIPTION": (
        "Formation and operation of the Koperasi Desa/Kelurahan Merah Putih. "
        "Every endpoint answers only with rows inside the caller's region or federation scope."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are documented as JSON (the stage document upload declares its multipart form itself).
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Several models have a field called kind, status or role with different choices.
    "ENUM_NAME_OVERRIDES": {
        "IndicatorBaseEnum": "reports.indicators.Base",
        "RegionKindEnum": "wilayah.models.RegionKind",
        "CooperativeKindEnum": "koperasi.models.CooperativeKind",
        "FormationModelEnum": "koperasi.models.FormationModel",
        "StageStatusEnum": "koperasi.models.StageStatus",
        "UnitStatusEnum": "units.models.UnitStatus",
        "RoleEnum": "core.roles.Role",
        "PositionRoleEnum": "members.models.PositionRole",
        "NotificationKindEnum": "notifications.models.NotificationKind",
        "BumdesKindEnum": "bumdes.models.BumdesKind",
        "FederationKindEnum": "bumdes.models.FederationKind",
        "SiteKindEnum": "bumdes.models.SiteKind",
        "SiteStatusEnum": "bumdes.models.SiteStatus",
        "AgreementKindEnum": "bumdes.models.AgreementKind",
        "LandDocumentKindEnum": "pembangunan.models.LandDocumentKind",
        "PlotStatusEnum": "pembangunan.models.PlotStatus",
        "AgreementStatusEnum": "bumdes.models.AgreementStatus",
        "AgreementStatusChangeEnum": [("ended", "Ended"), ("cancelled", "Cancelled")],
        "SavingsKindEnum": "simpanan.models.SavingsKind",
        "BillKindEnum": "simpanan.models.BillKind",
        "EntryTypeEnum": "simpanan.models.EntryType",
        "WajibPeriodEnum": "simpanan.models.WajibPeriod",
        "ShuStatusEnum": "simpanan.models.ShuStatus",
        "ImportKindEnum": "impor.models.ImportKind",
        "ImportStatusEnum": "impor.models.ImportStatus",
        "CommitModeEnum": "impor.models.CommitMode",
        "MemberStatusEnum": "members.models.MemberStatus",
        "ApplicationStatusEnum": "members.models.ApplicationStatus",
        "LandOwnerKindEnum": "pembangunan.models.OwnerKind",
        "EventKindEnum": "kegiatan.models.EventKind",
        "AttendeeRoleEnum": "kegiatan.models.AttendeeRole",
        "PartnerKindEnum": "kegiatan.models.PartnerKind",
        "DealKindEnum": "kegiatan.models.DealKind",
        "DealStageEnum": "kegiatan.models.DealStage",
        "SpaceOwnerKindEnum": "kegiatan.models.SpaceOwnerKind",
        "ResourceKindEnum": "kegiatan.models.ResourceKind",
        "BookerKindEnum": "kegiatan.models.BookerKind",
        "BookingStatusEnum": "kegiatan.models.BookingStatus",
    },
}

# SECTION: Celery
# https://docs.celeryq.dev/en/stable/userguide/configuration.html

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_RESULT_EXPIRES = 3600
# Nothing reads task results (imports and exports record their state in the database). Storing none
# also spares the web process a subscription to each result in Redis, which with Redis down retries
# for 20 s before giving up on every task it queues.
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Every process of one deployment (web, worker, beat) must agree: the drain re-queues itself onto this queue.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into the database scheduler when beat starts; editable afterwards in the admin.
CELERY_BEAT_SCHEDULE = {
    "rollup-nightly-reconcile": {
        "task": "reports.tasks.rollup_reconcile",
        "schedule": crontab(hour=env.int("ROLLUP_RECONCILE_HOUR", default=1), minute=30),
        "kwargs": {"nightly": True},
    },
    # Work that could not be queued while Redis was down: roll-up refreshes set aside in PostgreSQL,
    # and outbox tasks (invitation e-mails). Both are no-ops when nothing waits.
    "requeue-dirty-villages": {
        "task": "core.tasks.requeue_dirty_villages",
        "schedule": 60.0,
    },
    "deliver-outbox": {
        "task": "core.tasks.deliver_outbox",
        "schedule": 60.0,
    },
    # Checks and imports of uploaded files whose worker died (impor.services.import_runs_resume).
    "resume-stalled-imports": {
        "task": "impor.tasks.resume_stalled_imports",
        "schedule": 300.0,
    },
    # Mornings (Asia/Jakarta): officers learn of today's follow-ups, target owners of targets newly at risk.
    # Nightly housekeeping: expired sessions (they live in PostgreSQL) and the personal data of removed members.
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=0),
    },
    "forget-removed-members": {
        "task": "members.tasks.forget_removed_members",
        "schedule": crontab(hour=2, minute=15),
    },
    "notify-follow-ups-due": {
        "task": "pendampingan.tasks.notify_follow_ups_due",
        "schedule": crontab(hour=6, minute=0),
    },
    "notify-targets-at-risk": {
        "task": "targets.tasks.notify_targets_at_risk",
        "schedule": crontab(hour=6, minute=15),
    },
    # Simpanan wajib of the current period for every active member; idempotent, so daily is safe and catches up
    # a day the worker was down.
    # Uploaded spreadsheets hold NIKs: a checked file nobody imported within a week is dropped.
    "impor-forget-stale-uploads": {
        "task": "impor.tasks.forget_stale_uploads",
        "schedule": crontab(hour=3, minute=40),
    },
    "bill-simpanan-wajib": {
        "task": "simpanan.tasks.bill_wajib",
        "schedule": crontab(hour=0, minute=45),
    },
    "end-expired-agreements": {
        "task": "bumdes.tasks.end_expired_agreements",
        "schedule": crontab(hour=0, minute=30),
    },
}

# SECTION: logging

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per task run is noise when tasks run inline or by the thousand.
    "loggers": {"celery.app.trace": {"level": "WARNING"}},
}

# SECTION: security defaults shared by every environment

SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database only: signing in and every signed-in page keep working while Redis is
# down, and a session ended during an outage (sign-out, new key at sign-in) cannot come back from a
# cache that missed the deletion. The cost is one primary-key read per request, made as plain SQL that also
# reads the signed-in user (core/sessions.py: Django's database store otherwise).
SESSION_ENGINE = "core.sessions"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (core.middleware.ContentSecurityPolicyMiddleware): only the portal's own files run or
# style a page; no inline script, style or event handler, no eval. data: images are the QR code of the
# authenticator set-up, uploaded letterhead logos and Swagger UI's icons.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
