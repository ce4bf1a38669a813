"""The page's input side: the sidebar (language, run mode, display), the header, and the three ways to choose
a scenario (shipped, built in a form, uploaded), and running a comparison with a progress bar.

These functions draw with Streamlit; what they compute comes from the other modules of :mod:`sim.app`.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import streamlit as st

from sim.app.i18n import tr
from sim.app.levers import LEVERS, SWITCH_OFF, FormValues, LeverSpec, build_scenario
from sim.app.runs import MODES, Comparison, Engine, Mode, custom_mode, run_comparison, warm_up
from sim.app.scenario_files import LIMITS, load_shipped, load_upload, shipped_names
from sim.app.terms import LEVER_NAMES, PROJECTION_NAMES, glossary, name
from sim.app.widgets import choice, choices
from sim.parameters import ensemble_size, resolve_parameters
from sim.scenario import SHIPPED_SCENARIOS, Scenario
from sim.yamlio import InputError

__all__ = ["Settings", "Request", "engine", "sidebar", "header", "scenario_input", "run_request", "show_error"]

DEFAULT_SEED = 20240216


@dataclass(frozen=True)
class Settings:
    """What the sidebar set: language, run mode (or why it is invalid), seed and display."""

    lang: str
    mode: Mode | None
    mode_error: str | None
    seed: int
    rounded: bool
    parameter_uncertainty: bool = False


@dataclass(frozen=True)
class Request:
    """A scenario to run, and where it came from (``shipped``, ``built`` or ``upload``)."""

    scenario: Scenario
    source: str


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The server's shared pool and result cache; the workers start, and the quick
    baseline runs, in the background."""
    e = Engine()
    threading.Thread(target=warm_up, args=(e, DEFAULT_SEED), daemon=True, name="warm-up").start()
    return e


def show_error(err: InputError, lang: str) -> None:
    """An input error in the page: where (file, line, field) and what."""
    where = [f"**{tr('file', lang)}** `{err.file}`"]
    if err.line is not None:
        where.append(f"**{tr('line', lang)}** {err.line}")
    if err.field:
        where.append(f"**{tr('field', lang)}** `{err.field}`")
    st.error(f"{tr('invalid_input', lang)} {' · '.join(where)}\n\n{err.problem}\n\n`{err.message}`", icon="⚠️")


def sidebar() -> Settings:
    """Language, run mode, seed and display switches."""
    with st.sidebar:
        lang = st.radio("Language / Taal", ["en", "nl"], key="lang", horizontal=True,
                        format_func=lambda c: {"en": "English", "nl": "Nederlands"}[c])
        st.header(tr("run_settings", lang))
        mode_key = choice(st.radio, tr("mode", lang), ["quick", "precise", "custom"], "mode", lang, "quick",
                          format_func=lambda k: tr(f"mode_{k}", lang),
                          captions=[tr("mode_quick_caption", lang), tr("mode_precise_caption", lang),
                                    tr("mode_custom_caption", lang)])
        mode, mode_error = MODES.get(mode_key), None
        if mode_key == "custom":
            scale = st.number_input(tr("scale", lang), min_value=LIMITS.min_scale, max_value=LIMITS.max_scale,
                                    value=0.1, step=0.01, format="%.2f", key="custom_scale",
                                    help=tr("scale_help", lang))
            reps = st.number_input(tr("replications", lang), min_value=1, max_value=LIMITS.max_replications,
                                   value=10, step=1, key="custom_replications")
            try:
                mode = custom_mode(scale, int(reps))
            except InputError as err:
                mode, mode_error = None, err.problem
        if mode is not None and mode.key == "precise":
            st.warning(tr("precise_warning", lang), icon="⏳")
        elif mode is not None and mode.approximate:
            st.caption(tr("approximate_caption", lang))
        size = ensemble_size()
        uncertainty = st.toggle(tr("calibration_bands", lang), key="parameter_uncertainty", disabled=size == 0,
                                help=tr("calibration_bands_help", lang).format(size=size) if size
                                else tr("calibration_bands_none", lang))
        if uncertainty and mode is not None and mode.replications < size:
            st.caption(tr("calibration_bands_few", lang).format(used=mode.replications, size=size))
        with st.expander(tr("advanced", lang)):
            seed = st.number_input(tr("seed", lang), min_value=0, max_value=2**31 - 1, value=DEFAULT_SEED, step=1,
                                   key="seed", help=tr("seed_help", lang))
        st.header(tr("display", lang))
        rounded = st.toggle(tr("rounded", lang), key="rounded", help=tr("rounded_help", lang))
        with st.expander(tr("terms", lang)):
            st.markdown(glossary(lang))
    return Settings(lang, mode, mode_error, int(seed), bool(rounded), bool(uncertainty) and size > 0)


def header(settings: Settings) -> None:
    """Title, what the tool is, and the calibration status of its parameters."""
    lang = settings.lang
    st.title(tr("title", lang))
    st.markdown(tr("intro", lang))
    provenance = resolve_parameters((2023,), "mid").provenance
    calibrated = sum(1 for p, _ in provenance.values() if p == "calibrated")
    if calibrated == 0:
        st.warning(tr("not_calibrated_banner", lang), icon="⚠️")


def _shipped_tab(lang: str) -> Request | None:
    names = shipped_names()[1:]
    choice = st.selectbox(tr("shipped_pick", lang), names, key="shipped_name",
                          index=names.index("stacking_ban_nareis") if "stacking_ban_nareis" in names else 0)
    scenario = load_shipped(choice)
    st.markdown(f"> {scenario.description.strip()}")
    if lang == "nl":
        st.caption(tr("descriptions_english", lang))
    if st.button(tr("run", lang), key="run_shipped", type="primary"):
        return Request(scenario, "shipped")
    return None


def _option_label(option: str, lang: str) -> str:
    return tr(f"opt_{option}", lang)


def _lever_widgets(lever: LeverSpec, lang: str) -> dict[str, Any] | None:
    """The widgets of one lever inside the form; its settings if switched on."""
    rule = lever.rule
    with st.expander(name(LEVER_NAMES, rule, lang)):
        st.caption(tr(f"lever_{rule}", lang))
        on = st.checkbox(tr("switch_on", lang), key=f"lv_{rule}_on")
        settings: dict[str, Any] = {"from": st.date_input(tr("effective_from", lang), value=dt.date(2027, 1, 1),
                                          min_value=LIMITS.first_start, max_value=dt.date(2035, 12, 31),
                                          key=f"lv_{rule}_from", format="YYYY-MM-DD")}
        for f in lever.fields:
            label, key = f.label[1] if lang == "nl" else f.label[0], f"lv_{rule}_{f.name}"
            if f.kind == "share":
                settings[f.name] = st.slider(label, 0, 100, int(round(f.default * 100)), step=1, format="%d%%",
                                             key=key) / 100
            elif f.kind == "number":
                settings[f.name] = st.number_input(label, min_value=float(f.low), max_value=float(f.high),
                                                   value=float(f.default), step=float(f.step), key=key)
            elif f.kind == "bool":
                settings[f.name] = st.checkbox(label, value=f.default, key=key)
            elif f.kind == "choice":
                settings[f.name] = choice(st.selectbox, label, f.options, key, lang, f.default,
                                          format_func=lambda o: _option_label(o, lang))
            else:
                settings[f.name] = choices(label, f.options, key, lang, f.default,
                                           format_func=lambda o: _option_label(o, lang))
    return settings if on else None


def _build_tab(lang: str) -> Request | None:
    with st.form("build_form"):
        c1, c2 = st.columns([1, 2])
        scenario_name = c1.text_input(tr("scenario_name", lang), value="my_scenario", max_chars=64, key="build_name",
                                      help=tr("scenario_name_help", lang))
        description = c2.text_area(tr("description", lang), key="build_description", height=68, max_chars=2000,
                                   placeholder=tr("description_placeholder", lang))
        projection = choice(st.radio, tr("projection", lang), ["low", "mid", "high"], "build_projection", lang,
                            "mid", horizontal=True, format_func=lambda p: name(PROJECTION_NAMES, p, lang))
        st.markdown(f"**{tr('june_2026', lang)}**")
        keep = {rule: st.checkbox(tr(f"keep_{rule}", lang), value=True, key=f"keep_{rule}") for rule in SWITCH_OFF}
        st.markdown(f"**{tr('levers', lang)}**")
        columns = st.columns(2)
        levers = {}
        for i, lever in enumerate(LEVERS):
            with columns[i % 2]:
                settings = _lever_widgets(lever, lang)
            if settings is not None:
                levers[lever.rule] = settings
        submitted = st.form_submit_button(tr("run", lang), type="primary")
    if not submitted:
        return None
    values = FormValues(scenario_name, description, projection, levers,
                        tuple(rule for rule, kept in keep.items() if not kept))
    try:
        scenario, _ = build_scenario(values, load_shipped("baseline"), {})
    except InputError as err:
        show_error(err, lang)
        return None
    return Request(scenario, "built")


def _upload_tab(lang: str) -> Request | None:
    st.markdown(tr("upload_intro", lang))
    example = SHIPPED_SCENARIOS / "stacking_ban_nareis.yaml"
    st.download_button(tr("example_file", lang), example.read_bytes(), file_name=example.name,
                       mime="application/x-yaml", on_click="ignore", key="example_download")
    with st.form("upload_form"):
        upload = st.file_uploader(tr("upload_label", lang), type=["yaml", "yml"], key="upload_file",
                                  max_upload_size=1, help=tr("upload_help", lang))
        submitted = st.form_submit_button(tr("run", lang), type="primary")
    if not submitted:
        return None
    if upload is None:
        st.error(tr("upload_missing", lang))
        return None
    try:
        scenario = load_upload(upload.getvalue(), upload.name)
    except InputError as err:
        show_error(err, lang)
        return None
    st.success(tr("upload_valid", lang).format(name=scenario.name))
    return Request(scenario, "upload")


def scenario_input(settings: Settings) -> Request | None:
    """The three ways to a scenario, in tabs; returns a request when one was submitted."""
    lang = settings.lang
    st.header(tr("step_scenario", lang))
    tabs = st.tabs([tr("tab_shipped", lang), tr("tab_build", lang), tr("tab_upload", lang)])
    requests = []
    for tab, draw in zip(tabs, (_shipped_tab, _build_tab, _upload_tab), strict=True):
        with tab:
            requests.append(draw(lang))
    return next((r for r in requests if r is not None), None)


def _say(bar: Any, text: str) -> None:
    bar.progress(0.0, text=text)


def run_request(request: Request, settings: Settings) -> Comparison | None:
    """Run a requested comparison with a progress bar; the result is kept in the session."""
    lang = settings.lang
    if settings.mode is None:
        st.error(f"{tr('invalid_mode', lang)} {settings.mode_error}")
        return None
    scenario = request.scenario.with_run(seed=settings.seed, parameter_uncertainty=settings.parameter_uncertainty)
    bar = st.progress(0.0, text=tr("starting", lang))

    def progress(part: str, done: int, total: int) -> None:
        fraction = (0.0 if part == "baseline" else 0.5) + 0.5 * done / max(total, 1)
        bar.progress(min(fraction, 1.0), text=tr(f"progress_{part}", lang).format(done=done, total=total))

    try:
        cmp = run_comparison(scenario, settings.mode, engine(), request.source, progress,
                             waiting=lambda: _say(bar, tr("waiting", lang)))
    except InputError as err:
        bar.empty()
        show_error(err, lang)
        return None
    except Exception as exc:  # a worker lost, or a model failure: say so, keep the page
        bar.empty()
        st.error(f"{tr('run_failed', lang)} {exc}")
        return None
    bar.empty()
    st.session_state["comparison"] = cmp
    return cmp
