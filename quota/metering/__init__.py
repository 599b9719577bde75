"""Metering: router queue counters become ledger usage, and the quota guard caps who could overshoot.

delta (pure rule) → read (routers) → apply (one transaction) ← rates (guard policy) → cycles (usage, guard).
"""
