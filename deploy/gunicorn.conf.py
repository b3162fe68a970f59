"""gunicorn settings for Pain Triage: sync workers on loopback, behind the TLS proxy of nginx.conf.

    gunicorn -c deploy/gunicorn.conf.py 'web:create_app()'

Every value can be overridden on the command line. The environment file sets
WEB_CONCURRENCY (workers) and PAIN_TRIAGE_BIND (address) per server.
"""
import os

bind = os.environ.get("PAIN_TRIAGE_BIND", "127.0.0.1:8000")
# Sync workers: one request at a time each, no threads sharing a SQLite connection or an engine.
# Pages are short CPU work plus a few database round trips: about two workers per core.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Requests wait in the listen queue while every worker is busy; the proxy holds slow clients.
backlog = 256
timeout = 30
graceful_timeout = 20
# The heartbeat file in memory, not on a disk that may stall under load.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# nginx logs each request; gunicorn logs errors and start-up warnings only.
accesslog = None
errorlog = "-"
# The app alone decides which proxy headers to believe (PAIN_TRIAGE_PROXY_HOPS).
forwarded_allow_ips = ""
# gunicorn 25.1+ opens a control socket at one path per user; several instances on
# one host would share it, and it can change the worker count at run time.
control_socket_disable = True


def on_starting(server):
    """Tell the app how many workers there really are, for its shared-limits start-up check."""
    os.environ["WEB_CONCURRENCY"] = str(server.cfg.workers)
