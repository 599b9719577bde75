# Run by scripts/deploy_rehearsal through `scripts/manage shell -c`: the order REHEARSAL_ORDER is paid and
# its package was applied exactly once (one purchase ledger entry, the balance holds the package once).
import os

from billing.models import Transaction
from quota.models import QuotaBalance, QuotaEntry

order = Transaction.objects.select_related("package").get(order_id=os.environ["REHEARSAL_ORDER"])
purchases = QuotaEntry.objects.filter(user=order.user, kind=QuotaEntry.Kind.PURCHASE)
balance = QuotaBalance.objects.get(user=order.user)
events = order.events.count()
problems = []
if order.status != Transaction.Status.PAID:
    problems.append(f"status {order.status}")
if purchases.count() != 1:
    problems.append(f"{purchases.count()} purchase entries")
if balance.purchased_bytes != order.package.quota_bytes:
    problems.append(f"balance purchased {balance.purchased_bytes} != package {order.package.quota_bytes}")
if problems:
    raise SystemExit(f"order {order.order_id} not paid exactly once: {', '.join(problems)}")
print(f"order {order.order_id}: PAID, 1 purchase of {order.package.quota_bytes} bytes, {events} event(s)")
