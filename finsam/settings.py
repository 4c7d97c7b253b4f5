"""Settings, read from the environment only.

With nothing set, the project runs embedded for a first look and for
tests: SQLite, Celery in eager mode, DEBUG on. With DATABASE_URL set (a real
installation: PostgreSQL), DEBUG defaults to off and production rules apply:
SECRET_KEY and ALLOWED_HOSTS must be given, and `manage.py check --deploy`
is clean. CELERY_BROKER_URL (Redis) turns eager mode off.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def required(name):
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


DEBUG = env_bool("DEBUG", default=not env("DATABASE_URL"))

SECRET_KEY = env("SECRET_KEY") or (
    "insecure-dev-key-only-for-debug" if DEBUG else required("SECRET_KEY")
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tables2",
    "django_filters",
    "finsam",
    "insatser",
    "budget",
    "uppfoljning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "finsam.accounts.middleware.NulFreeHeadersMiddleware",  # before axes records them
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# Content-Security-Policy (django-csp): the project's own static files only;
# no inline script, no inline style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

if not DEBUG:  # in DEBUG, runserver serves static files from the finders
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "finsam.urls"
FORM_RENDERER = "finsam.forms.FormRenderer"
WSGI_APPLICATION = "finsam.wsgi.application"

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
            "builtins": ["finsam.templatetags.finsam"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache (Redis) when CACHE_URL is given: sessions are then read from it
# and written through to the database (`cached_db`), sparing every page a query.
# Without it, a process-local cache and sessions in the database only: a local
# cache would let another worker process keep a signed-out session alive.
CACHE_URL = env("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Rendered page fragments cached per förbund and generation (finsam/generation.py):
# only with a shared cache, never a per-process one; PAGE_CACHE=0 turns it off.
PAGE_CACHE = bool(CACHE_URL) and env_bool("PAGE_CACHE", default=True)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "finsam.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out sign-in first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in: 5 failures for one username from one address lock it for 15 minutes
# (finsam/accounts). Behind a proxy, AXES_IPWARE_PROXY_COUNT says how many.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "finsam.accounts.signin.lockout"
AXES_IPWARE_PROXY_COUNT = int(env("AXES_IPWARE_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Finsam")
# A link to set a password (invitation or reset) is valid this long.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# Attachments of applications: never under MEDIA_ROOT, handed out only by views.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: eager without a broker (the embedded demo), Redis when given.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# The periodic jobs (run `celery -A finsam beat`). Each is idempotent: a job
# that fires twice, or on two workers, creates and mails nothing twice.
CELERY_BEAT_SCHEDULE = {
    "create-due-reports": {
        "task": "uppfoljning.rapporter.tasks.create_due_reports_task",
        "schedule": 6 * 60 * 60,
    },
    "send-report-reminders": {
        "task": "uppfoljning.rapporter.tasks.send_report_reminders",
        "schedule": 60 * 60,
    },
}
# A reminder is mailed this many days before a report is due, and once when it is late.
REPORT_REMINDER_DAYS_BEFORE = int(env("REPORT_REMINDER_DAYS_BEFORE", "7"))
# The site's address for links in mail sent by periodic jobs (no request there).
SITE_URL = env("SITE_URL", "")
# PDFs have their own queue, so that a heavy rendering never holds up mail or
# short jobs: run `celery -A finsam worker -Q celery,pdf` (docs/drift.md).
CELERY_TASK_ROUTES = {
    "budget.tasks.generate_plan_pdf": {"queue": "pdf"},
    "budget.tasks.generate_budget_pdf": {"queue": "pdf"},
    "finsam.meetings.tasks.generate_kallelse_pdf": {"queue": "pdf"},
    "finsam.minutes.tasks.generate_minutes_pdf": {"queue": "pdf"},
    "insatser.decisions.send_decision_letter": {"queue": "pdf"},
    "uppfoljning.foljning.tasks.generate_uppfoljning_pdf": {"queue": "pdf"},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds no second task while it renders
# A new worker process now and then: WeasyPrint's memory is given back.
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(env("CELERY_WORKER_MAX_TASKS_PER_CHILD", "20"))
# A PDF task is stopped after PDF_SOFT_TIME_LIMIT seconds (the Dokument is marked
# failed with a reason) and killed PDF_TIME_LIMIT seconds after it started.
PDF_SOFT_TIME_LIMIT = int(env("PDF_SOFT_TIME_LIMIT", "300"))
PDF_TIME_LIMIT = PDF_SOFT_TIME_LIMIT + 30
# A task of a worker that died unacknowledged goes back to the queue after this
# many seconds (Redis); longer than a task may run, so that no task runs twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", str(PDF_TIME_LIMIT + 60)))
}

# Mail is sent by Celery tasks (finsam/accounts/tasks.py). The demo writes it
# to the console, or as files into EMAIL_FILE_PATH when that is set.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", "")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if not DEBUG
    else "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO; its warnings are enough.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
