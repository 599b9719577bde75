"""Stopping the django-q2 cluster within seconds on SIGTERM, re-queueing the task in hand.

django-q2 alone, on SIGTERM, lets every worker finish its task (up to Q_CLUSTER["timeout"], 90 s), so a
process manager that waits 5 s kills it, and the killed task stays locked in the ORM queue for
Q_CLUSTER["retry"] (120 s) before it runs again. Its handler also stops the cluster from inside the
signal handler, which can deadlock (django-q2#346). Our `qcluster` command (lpsaring/management) keeps
django-q2's cluster and changes only the stop:

1. Only the main process acts on SIGTERM; its handler only records the signal. Every other process of
   the cluster ignores SIGTERM, so a signal sent to the whole group (systemd's default
   KillMode=control-group) stops it the same orderly way. (django-q2 lets them die at once: a monitor
   killed between saving a result and acknowledging it leaves a finished task to run again.)
2. The main loop then sets `_shutdown` (shared memory, inherited by every forked process) and stops the
   cluster as django-q2 does: the pusher stops taking tasks, idle workers leave, results are saved.
3. A busy worker gets `Q_STOP_GRACE_S` (2 s) to finish its task. Then a SIGUSR1 to itself raises
   `ShutdownInterrupt` inside the task: a TimeoutException (a SystemExit), so a task's own
   `except Exception` cannot swallow it, its atomic blocks roll back, and django-q2's worker records it
   as failed and retires.
4. The worker puts the task back: on the ORM broker its row's lock expires now; on Redis (a list the
   task was already popped from) its signed package is pushed again. Either way the next cluster runs it
   at once. A task therefore runs again from its start after a stop: tasks are written
   to be idempotent (ledger idempotency keys, converging the router to a desired state).

Not covered: a task the pusher had already fetched but no worker had started stays locked until
`retry` on the ORM broker, and is lost on Redis (with the default `bulk` of 1 and idle workers this is
rare).
"""

import logging
import multiprocessing
import os
import signal
import threading
import time

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.exceptions import TimeoutException
from django_q.signals import post_execute_in_worker, post_spawn, pre_execute
from django_q.signing import SignedPackage

logger = logging.getLogger(__name__)

# A flag in shared memory, made in the main process before the cluster forks. Not a multiprocessing.Event:
# its set() waits for every waiting process to wake, and a worker that has died never does.
_shutdown = None
_current = {"task": None, "interrupted": False}  # per worker process (each has its own copy)


class ShutdownInterrupt(TimeoutException):
    """Raised inside a task when the cluster stops and the grace period is over."""


def install(django_q_cluster) -> None:
    """In the main process, before the cluster starts: the shared stop flag, the worker hooks, and the
    sentinel that ignores SIGTERM (django-q2's Cluster.start() names `Sentinel` in its module)."""
    global _shutdown

    class Sentinel(django_q_cluster.Sentinel):
        def spawn_cluster(self):
            # django-q2 has just set SIGTERM to its default (die) here; every process forked from now on
            # inherits this disposition instead.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            return super().spawn_cluster()

    django_q_cluster.Sentinel = Sentinel
    _shutdown = multiprocessing.get_context("fork").RawValue("b", 0)
    post_spawn.connect(_worker_started, dispatch_uid="lps-worker-shutdown")
    pre_execute.connect(_task_started, dispatch_uid="lps-worker-shutdown")
    post_execute_in_worker.connect(_task_ended, dispatch_uid="lps-worker-shutdown")


def begin() -> None:
    """In the main process: the cluster is stopping; busy workers start counting their grace period."""
    if _shutdown is not None:
        _shutdown.value = 1


def _worker_started(sender, proc_name, **kwargs):
    signal.signal(signal.SIGUSR1, _worker_interrupt)
    threading.Thread(target=_grace_watch, name="lps-shutdown-watch", daemon=True).start()


def _grace_watch():
    while not _shutdown.value:
        time.sleep(0.1)
    deadline = time.monotonic() + settings.Q_STOP_GRACE_S
    while _current["task"] is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    if _current["task"] is not None:
        os.kill(os.getpid(), signal.SIGUSR1)  # handled in the worker's main thread, inside the task


def _worker_interrupt(signum, frame):
    if _current["task"] is not None and not _current["interrupted"]:
        _current["interrupted"] = True
        raise ShutdownInterrupt("interrupted by the cluster's stop; re-queued")


def _task_started(sender, func, task, **kwargs):
    _current["task"] = task


def _task_ended(sender, func, task, **kwargs):
    _current["task"] = None
    if _current["interrupted"]:
        try:
            _requeue(task)
        except Exception:
            logger.exception("could not re-queue task %s; it runs again after Q_CLUSTER['retry']", task["id"])


def _requeue(task):
    """Back to the head of the queue. The ORM broker still holds the row (its lock expires now); a list
    broker (Redis) already popped it, so the signed package is pushed again."""
    ack_id = task.get("ack_id")
    connections.close_all()  # the interrupted task may have left its connection mid-query
    if Conf.ORM and ack_id is not None:
        from django_q.models import OrmQ  # django_q's models: only once the cluster's apps are loaded

        OrmQ.objects.using(Conf.ORM).filter(pk=ack_id).update(lock=timezone.now())
    else:
        package = {key: value for key, value in task.items() if key not in RUN_FIELDS}
        get_broker().enqueue(SignedPackage.dumps(package))
    logger.warning("task %s (%s) interrupted by the stop; re-queued", task.get("name"), task.get("func"))


# What a worker adds to a task package while running it; a re-queued package goes back without them.
RUN_FIELDS = ("ack_id", "result", "success", "stopped")
