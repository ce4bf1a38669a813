"""The Streamlit app's helpers (the page itself is ``app_streamlit.py`` at the top of the repository).

Modules:

- :mod:`~sim.app.levers`: the scenario builder: levers of the form and the scenario built from them;
- :mod:`~sim.app.scenario_files`: uploads (untrusted), limits, the YAML that reproduces a run, the command line;
- :mod:`~sim.app.runs`: quick and precise modes, the shared worker pool and the result cache;
- :mod:`~sim.app.figures`: the numbers shown (totals, paired differences, breakdowns, calibration view);
- :mod:`~sim.app.charts`: Altair charts and the Plotly flow diagram;
- :mod:`~sim.app.exports`: CSV, Excel and ZIP downloads;
- :mod:`~sim.app.publish`: numbers rounded as the IND publishes them;
- :mod:`~sim.app.i18n` (with :mod:`~sim.app.i18n_evidence`), :mod:`~sim.app.terms`: English and Dutch words, and the
  glossary of legal terms;
- :mod:`~sim.app.page_inputs`, :mod:`~sim.app.page_results`, :mod:`~sim.app.page_evidence`: the page's parts.

No model logic lives here: runs go through :func:`sim.runner.run_scenario`, files through :mod:`sim.output`
and :mod:`sim.compare`, validation through :class:`sim.scenario.Scenario`.
"""
