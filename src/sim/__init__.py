"""Policy rule simulator for stacked family reunification in the Netherlands.

Public API: load a :class:`~sim.scenario.Scenario`, run it with :func:`~sim.runner.run_scenario`, and read the
:class:`~sim.runner.RunResult`; the ``sim`` command (:mod:`sim.cli`) wraps the same calls.
"""

from sim.runner import RunResult, run_scenario
from sim.scenario import Scenario

__all__ = ["Scenario", "RunResult", "run_scenario"]
