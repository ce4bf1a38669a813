"""The SimPy model: decision queues, decisions, travel, family migrants' own asylum claims, and chains.

No process per person: one process feeds the model (asylum claims, queued at the end of each day in order of
filing); decision capacity is a server schedule known before the run (:class:`~sim.queue.DecisionQueue`), and
everything else is a SimPy ``Timeout`` whose callback moves a person or a family one step. Who may apply, how
a case is decided and when people may travel are asked of the pure functions in :mod:`sim.rules`, read
through the rules in force on the day (:meth:`sim.policy.Policy.at`). Every application
is written to the :class:`~sim.records.ApplicationLog`; flows are classified from those records afterwards.

The engine does no file or UI work. :mod:`sim.engine.state` holds the person tables, queues and calendar of a
replication and the views the rules read; :mod:`sim.engine.model` the processes that run over them.
"""

from sim.engine.model import Model
from sim.engine.state import EngineResult, ModelState, events_scheduled

__all__ = ["Model", "ModelState", "EngineResult", "events_scheduled"]
