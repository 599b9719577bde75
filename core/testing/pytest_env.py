"""Test environment, loaded by pytest (`-p core.testing.pytest_env`) before Django reads its settings.

Every value is a default: an exported variable (CI, a developer's shell) wins.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", "test-" + "k3y" * 20)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lpsaring")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
# Parallel test runs on one machine must not share rate-limit counters.
os.environ.setdefault("CACHE_KEY_PREFIX", f"lps-test-{secrets.token_hex(4)}")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("WHATSAPP_BACKEND", "memory")
os.environ.setdefault("Q_SYNC", "1")
# The database broker, as before Redis was the default with REDIS_URL: the cluster tests read its table.
os.environ.setdefault("Q_BROKER", "orm")
os.environ.setdefault("MIDTRANS_SERVER_KEY", "SB-Mid-server-TEST")
os.environ.setdefault("MIDTRANS_CLIENT_KEY", "SB-Mid-client-TEST")
