"""`manage.py qcluster`: django-q2's cluster, stopped within seconds on SIGTERM or SIGINT.

Replaces django-q2's command of the same name (django_q is listed after lpsaring in INSTALLED_APPS);
how the stop works is in lpsaring/worker_shutdown.py.
"""

import signal
import time

from django.core.management import CommandError
from django_q.management.commands import qcluster

from lpsaring import worker_shutdown


class Command(qcluster.Command):
    def handle(self, *args, **options):
        if options.get("run_once") or options.get("cluster_name"):
            return super().handle(*args, **options)
        from django_q import cluster as django_q_cluster  # importing it reads Q_CLUSTER

        worker_shutdown.install(django_q_cluster)
        cluster = django_q_cluster.Cluster()
        received = []
        # Only record the signal: stopping from inside a handler can deadlock (django-q2#346).
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda signum, frame: received.append(signum))
        cluster.start()
        while not received and cluster.sentinel.is_alive():
            time.sleep(0.1)
        if not received:
            raise CommandError("the cluster's sentinel stopped by itself")
        worker_shutdown.begin()
        cluster.stop()
