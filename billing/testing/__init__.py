"""Test and demo helpers for billing: the loopback Midtrans fake."""

from billing.testing.fake import MidtransFake

__all__ = ["MidtransFake"]
