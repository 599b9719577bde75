# gunicorn -c deploy/gunicorn.conf.py lpsaring.wsgi  (behind nginx, see deploy/nginx/)
# GUNICORN_BIND and GUNICORN_WORKERS (environment file) change the address and the worker count; nginx's
# upstream in deploy/nginx/lpsaring.conf must name the same address.
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = 2
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"
# No control socket (gunicornc, gunicorn >= 25.1): systemd manages the process, and the socket's default
# place, $HOME/.gunicorn, is not writable by the service user (an error at every start).
control_socket_disable = True
