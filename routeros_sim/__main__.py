"""``python -m routeros_sim --port 8728``: run the simulator without Django."""

from routeros_sim.cli import main

raise SystemExit(main())
