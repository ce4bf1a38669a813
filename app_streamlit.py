"""Stacked family reunification simulator: the web app.

Start it with ``.venv/bin/streamlit run app_streamlit.py``. The page only arranges parts; what they compute
lives in :mod:`sim.app` and the model in :mod:`sim`. The page is drawn under ``if __name__ == "__main__"``, and
its imports are inside :func:`main`: the worker processes that run replications import this file and must
neither draw the page nor pay for its libraries.
"""

RESULT_TABS = ("headline", "yearly", "breakdown", "flow", "calibration", "assumptions", "downloads")


def main() -> None:
    """Draw the page: settings, scenario choice, and the results of the last comparison."""
    import streamlit as st  # imported here: worker processes import this file and need none of it

    from sim.app import page_evidence, page_inputs, page_results
    from sim.app.i18n import tr

    st.set_page_config(page_title="Stacked family reunification simulator", page_icon="⚖️", layout="wide")
    settings = page_inputs.sidebar()
    lang = settings.lang
    page_inputs.header(settings)

    request = page_inputs.scenario_input(settings)
    if request is not None:
        page_inputs.run_request(request, settings)

    comparison = st.session_state.get("comparison")
    if comparison is None:
        st.info(tr("empty_state", lang))
        return

    page_results.summary(comparison, settings)
    period = page_results.period_selector(comparison, lang)
    tabs = st.tabs([tr(f"tab_{t}", lang) for t in RESULT_TABS], key=f"result_tab@{lang}")
    with tabs[0]:
        page_results.headline_tab(comparison, settings, period)
    with tabs[1]:
        page_results.yearly_tab(comparison, settings)
    with tabs[2]:
        page_results.breakdown_tab(comparison, settings, period)
    with tabs[3]:
        page_results.flow_tab(comparison, settings, period)
    with tabs[4]:
        page_evidence.calibration_tab(comparison, settings)
    with tabs[5]:
        page_evidence.assumptions_tab(comparison, settings)
    with tabs[6]:
        page_evidence.downloads_tab(comparison, settings, period)


if __name__ == "__main__":
    main()
