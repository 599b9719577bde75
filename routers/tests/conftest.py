"""The routers app's own tests check the client on each RouterOS behaviour the simulator models: 7.17
answers an empty print with !done alone, 7.18 and later with !empty then !done (routeros_sim/versions.py).
Other apps' tests use the shared `sim` of routers/tests/fixtures.py (the latest behaviour)."""

import pytest

from routeros_sim import RouterSimulator
from routers.tests.fixtures import SIM_PASSWORD, SIM_USER

ROUTEROS_VERSIONS = ["7.17", "7.18.2"]


@pytest.fixture(params=ROUTEROS_VERSIONS, ids=[f"routeros-{v}" for v in ROUTEROS_VERSIONS])
def sim(request):
    with RouterSimulator(
        username=SIM_USER, password=SIM_PASSWORD, identity="lab-router", version=request.param
    ) as simulator:
        yield simulator
