"""Reliability of `sim run`: atomic results under kills and failures, resume and force, reproduce, lost workers.

The kill tests start real ``sim run`` processes and stop them with SIGINT, SIGTERM and SIGKILL early (while the
interpreter starts), in the middle of the replications, and in the write phase (as soon as the hidden
temporary folder ``.baseline.tmp-PID`` appears). Whatever the moment, ``--out/baseline`` is either absent or a
complete result; leftovers are tidied by the next run. Failures inside a run (a worker process that dies, a rule
that raises, a full disk) end with exit code 1 and leave no partial result.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import sim.cli
import sim.engine.model
import sim.output
import sim.rules
import sim.runner
from conftest import BASELINE, FILES, HEADERS, ROOT, baseline
from sim.cli import main
from sim.executors import PoolExecutor, WorkerLost
from sim.output import recover_interrupted

BIG = ["--scale", "0.05", "--replications", "6"]  # a few seconds: long enough to be killed mid-run
SMALL = ["--scale", "0.02", "--replications", "2"]
DEFAULT_SEED = baseline().run.seed
OTHER_SEED = 7
KILL_TIMEOUT = 240.0

_real_run_batch = sim.runner._run_batch  # bound at import, before any test replaces it


# --- helpers ------------------------------------------------------------------------------------------------

def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _leftovers(out: Path, name: str = "baseline") -> list[str]:
    """Hidden temporary or moved-aside folders of scenario ``name`` in ``out``."""
    if not out.is_dir():
        return []
    return sorted(p.name for p in out.iterdir()
                  if p.name.startswith(f".{name}.tmp-") or p.name.startswith(f".{name}.old-"))


def assert_complete(folder: Path, row_counts: dict[str, int], seed: int | None = None) -> dict:
    """``folder`` holds a complete result: every file, a readable manifest, the right headers and as many rows
    as a complete run of the same settings. Returns the manifest."""
    assert folder.is_dir(), folder
    assert {p.name for p in folder.iterdir()} == FILES, sorted(p.name for p in folder.iterdir())
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert set(manifest) == {"identity", "run"}
    if seed is not None:
        assert manifest["identity"]["seed"] == seed
    for name, header in HEADERS.items():
        rows = _rows(folder / name)
        assert ",".join(rows[0]) == header, name
        assert len(rows) == row_counts[name], f"{name}: {len(rows)} rows, a complete run has {row_counts[name]}"
        assert all(len(r) == len(rows[0]) for r in rows), f"{name}: a row with missing cells"
    return manifest


def assert_nothing_written(out: Path, name: str = "baseline") -> None:
    assert not (out / name).exists(), f"{out / name} exists"
    assert _leftovers(out, name) == []


def _run(out: Path, *extra: str) -> int:
    return main(["run", str(BASELINE), "--out", str(out), "--quiet", *extra])


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _exit_on_three(x: int) -> int:
    if x == 3:
        os._exit(1)
    return x


def _dying_batch(args):  # type: ignore[no-untyped-def]
    """Stands in for ``sim.runner._run_batch``: the process running replication 1 dies on the spot."""
    _, replications, _ = args
    if 1 in replications:
        os._exit(1)
    return _real_run_batch(args)


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A complete earlier result of another run (small, seed 7), to be replaced with --force: folder, bytes."""
    out = tmp_path_factory.mktemp("earlier")
    assert _run(out, *SMALL, "--seed", str(OTHER_SEED)) == 0
    return out / "baseline", _snapshot(out / "baseline")


# --- killing real runs --------------------------------------------------------------------------------------

@dataclass
class Kill:
    """One `sim run` process and how it was stopped."""

    sig: signal.Signals
    moment: str                 # early | mid | write
    force: bool                 # an earlier complete result (another run) is being replaced with --force
    out: Path
    workers: int = 1
    group: bool = False         # signal the whole process group (as Ctrl-C at a terminal does)
    proc: subprocess.Popen | None = None
    started: float = 0.0
    last_check: float = 0.0
    sent: bool = False
    hit_write_phase: bool = False
    rc: int | None = None
    stderr: str = field(default="", repr=False)

    @property
    def id(self) -> str:
        return (f"{self.sig.name}-{self.moment}{'-force' if self.force else ''}"
                f"{'-pool-group' if self.group else ''}")

    @property
    def tmp(self) -> Path:
        assert self.proc is not None
        return self.out / f".baseline.tmp-{self.proc.pid}"


def _stat(pid: int | str) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cpu_seconds(pid: int, tree: bool = False) -> float:
    """CPU time used by a process (user + system), with ``tree`` also by its descendants (the workers of a
    process pool), from /proc; -1 where /proc cannot tell."""
    own = _stat(pid)
    if own is None:
        return -1.0
    pids = {pid}
    stats = {pid: own}
    if tree:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (st := _stat(entry)) is not None:
                stats[int(entry)] = st
                parents[int(entry)] = int(st[1])
        grew = True
        while grew:
            new = {p for p, pp in parents.items() if pp in pids and p not in pids}
            pids |= new
            grew = bool(new)
    return sum(int(stats[p][11]) + int(stats[p][12]) for p in pids) / os.sysconf("SC_CLK_TCK")


def _due(k: Kill) -> bool:
    assert k.proc is not None
    if k.moment == "early":
        return time.monotonic() - k.started >= 0.05
    if k.moment == "mid":
        # In the replications whatever the load of the machine: past start-up (imports take well under a
        # CPU second) and well before the end (a complete run takes about 4 CPU seconds).
        if k.group and time.monotonic() - k.last_check < 0.05:
            return False
        k.last_check = time.monotonic()
        cpu = _cpu_seconds(k.proc.pid, tree=k.workers > 1)
        return cpu >= 1.8 if cpu >= 0 else time.monotonic() - k.started >= 3.0
    return k.tmp.exists()


def _default_signals() -> None:
    """Give the child the default SIGINT disposition: a shell that started the test suite in the background
    leaves SIGINT ignored, and Python only turns SIGINT into KeyboardInterrupt where it is not ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _kill_all(kills: list[Kill]) -> None:
    """Start every run at once, send each its signal at its moment, wait for all."""
    for k in kills:
        cmd = [sys.executable, "-m", "sim.cli", "run", "scenarios/baseline.yaml", *BIG, "--out", str(k.out),
               "--quiet", "--workers", str(k.workers)]
        if k.force:
            cmd += ["--force"]
        k.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  start_new_session=k.group, preexec_fn=_default_signals)
        k.started = time.monotonic()
    deadline = time.monotonic() + KILL_TIMEOUT
    waiting = list(kills)
    while waiting and time.monotonic() < deadline:
        for k in list(waiting):
            assert k.proc is not None
            if k.proc.poll() is not None:
                waiting.remove(k)  # ended before its moment came (a missed write phase)
            elif _due(k):
                k.hit_write_phase = k.tmp.exists()
                if k.group:
                    os.killpg(k.proc.pid, k.sig)
                else:
                    k.proc.send_signal(k.sig)
                k.sent = True
                waiting.remove(k)
        time.sleep(0.0005)
    for k in kills:
        assert k.proc is not None
        try:
            _, k.stderr = k.proc.communicate(timeout=KILL_TIMEOUT)
        except subprocess.TimeoutExpired:  # a hung run fails its test instead of stopping the suite
            try:
                if k.group:
                    os.killpg(k.proc.pid, signal.SIGKILL)  # its pool workers too: they hold its stderr open
                else:
                    k.proc.kill()
            except ProcessLookupError:
                pass
            _, k.stderr = k.proc.communicate()
        k.rc = k.proc.returncode


KILLS = [(sig, moment, False) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)
         for moment in ("early", "mid", "write")]
KILLS += [(sig, "write", True) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)]
KILLS += [(signal.SIGKILL, "mid", True)]
KILL_IDS = [f"{s.name}-{m}{'-force' if f else ''}" for s, m, f in KILLS]


@pytest.fixture(scope="module")
def killed(earlier, tmp_path_factory) -> dict[str, Kill]:
    """All kill runs, started together."""
    kills = []
    for sig, moment, force in KILLS:
        out = tmp_path_factory.mktemp("kill")
        if force:
            shutil.copytree(earlier[0], out / "baseline")
        kills.append(Kill(sig, moment, force, out))
    kills.append(Kill(signal.SIGINT, "mid", False, tmp_path_factory.mktemp("kill"), workers=2, group=True))
    _kill_all(kills)
    return {k.id: k for k in kills}


@pytest.fixture(scope="module")
def reference(earlier) -> dict[str, int]:
    """The row counts of a complete run with the settings of the kill tests (6 replications), from the earlier
    run (2 replications, same years and as-of dates): replications.csv has one block of rows per replication,
    the other files do not depend on the number of replications."""
    counts = {name: len(_rows(earlier[0] / name)) for name in HEADERS}
    per_replication = {}
    for row in _rows(earlier[0] / "replications.csv")[1:]:
        per_replication[row[1]] = per_replication.get(row[1], 0) + 1
    assert len(set(per_replication.values())) == 1, per_replication
    small, big = int(SMALL[SMALL.index("--replications") + 1]), int(BIG[BIG.index("--replications") + 1])
    counts["replications.csv"] = 1 + (counts["replications.csv"] - 1) // small * big
    return counts


def _allowed_codes(k: Kill) -> set[int]:
    if k.sig == signal.SIGINT:
        codes = {130, 1}
        if k.moment == "early":
            codes.add(-signal.SIGINT)  # interrupted during interpreter start-up, before the command runs
    else:
        codes = {-k.sig}  # no handler: the process ends at once, as after a power cut
    if k.moment == "write" or not k.sent:
        codes.add(0)  # the run finished before the signal arrived
    return codes


def _earlier_or_new(folder: Path, counts: dict[str, int], earlier: dict[str, bytes]) -> None:
    """``folder`` is the earlier result, byte for byte, or the new complete one."""
    if _snapshot(folder) != earlier:
        assert_complete(folder, counts, DEFAULT_SEED)


@pytest.mark.parametrize("kill_id", KILL_IDS)
def test_killed_run_leaves_no_partial_result(killed, reference, earlier, kill_id):
    k = killed[kill_id]
    counts = reference
    assert k.rc in _allowed_codes(k), (k, k.stderr[-2000:])
    folder = k.out / "baseline"
    if k.rc == 130:
        assert "interrupted" in k.stderr
    if k.sig == signal.SIGINT:
        assert not list(k.out.glob(".baseline.tmp-*")), "an interrupted run removes its temporary folder"
    if k.rc == 0:
        assert_complete(folder, counts, DEFAULT_SEED)
    if not k.force:
        if folder.exists():
            assert_complete(folder, counts, DEFAULT_SEED)
        return
    # With an earlier complete result: that one, untouched, or the new complete one; or, if the process died
    # between moving the earlier one aside and moving the new one in, the earlier one aside, intact.
    if folder.exists():
        _earlier_or_new(folder, counts, earlier[1])
    else:
        aside = list(k.out.glob(".baseline.old-*"))
        assert len(aside) == 1 and _snapshot(aside[0]) == earlier[1]


@pytest.mark.parametrize("kill_id", KILL_IDS)
def test_next_run_tidies_after_a_kill(killed, reference, earlier, kill_id):
    """The next `sim run` first restores moved-aside results and removes temporary folders of dead runs."""
    k = killed[kill_id]
    if k.force:
        recover_interrupted(k.out)  # the first thing `sim run` does; checked here before the run replaces it
        _earlier_or_new(k.out / "baseline", reference, earlier[1])
        assert _leftovers(k.out) == []
    assert _run(k.out, *SMALL, "--force") == 0
    assert _leftovers(k.out) == []
    assert sorted(p.name for p in k.out.iterdir()) == ["baseline"]


def test_the_write_phase_was_reached(killed):
    """The write-phase kills are not all too late: at least one signal went out while the temporary folder
    existed (it exists for a few tens of milliseconds at the end of a run)."""
    hits = [k.id for k in killed.values() if k.moment == "write" and k.sent and k.hit_write_phase]
    assert hits, {k.id: (k.sent, k.rc) for k in killed.values() if k.moment == "write"}


def test_ctrl_c_with_a_process_pool(killed):
    """Ctrl-C at a terminal reaches the workers too: the run stops with 130 (or 1 if a lost worker is noticed
    first) and writes nothing."""
    k = killed["SIGINT-mid-pool-group"]
    assert k.rc in {130, 1}, (k.rc, k.stderr[-2000:])
    assert not (k.out / "baseline").exists()
    assert _leftovers(k.out) == []


# --- recovering an interrupted run -------------------------------------------------------------------------

def test_recover_interrupted_restores_moved_aside_results_and_removes_temporary_folders(tmp_path):
    pid = 999999
    try:
        os.kill(pid, 0)
        pytest.skip(f"a process {pid} exists")
    except ProcessLookupError:
        pass
    except PermissionError:
        pytest.skip(f"a process {pid} exists")
    out = tmp_path / "results"
    old = out / f".baseline.old-{pid}"
    old.mkdir(parents=True)
    (old / "manifest.json").write_text('{"identity": {}}', "utf-8")
    tmp = out / f".baseline.tmp-{pid}"
    tmp.mkdir()
    (tmp / "yearly.csv").write_text("half", "utf-8")
    notes = recover_interrupted(out)
    assert sorted(p.name for p in out.iterdir()) == ["baseline"]
    assert (out / "baseline" / "manifest.json").read_text("utf-8") == '{"identity": {}}'
    assert len(notes) == 2 and any("restored" in n for n in notes) and any("removed" in n for n in notes)
    assert recover_interrupted(out) == []  # nothing more to do


def test_recover_interrupted_keeps_the_newer_result_and_live_runs(tmp_path):
    out = tmp_path / "results"
    (out / "baseline").mkdir(parents=True)
    (out / "baseline" / "manifest.json").write_text("new", "utf-8")
    dead = _dead_pid()
    (out / f".baseline.old-{dead}").mkdir()  # died after moving the new one in: the old one is stale
    (out / f".other.old-{dead}").mkdir()     # died in between: restored as 'other'
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / f".baseline.tmp-{live.pid}").mkdir()  # a run still writing: left alone
        (out / "notes").mkdir()
        recover_interrupted(out)
        assert sorted(p.name for p in out.iterdir()) == [f".baseline.tmp-{live.pid}", "baseline", "notes",
                                                         "other"]
        assert (out / "baseline" / "manifest.json").read_text("utf-8") == "new"
    finally:
        live.kill()
        live.wait()
    recover_interrupted(out)
    assert sorted(p.name for p in out.iterdir()) == ["baseline", "notes", "other"]


def test_recover_interrupted_leaves_hidden_folders_it_did_not_make(tmp_path):
    """Only ``.NAME.tmp-PID`` and ``.NAME.old-PID`` (PID a number) are a run's leftovers. Other hidden folders
    in --out (which may be any folder, even the working directory) are not the run's to move or delete."""
    out = tmp_path
    (out / ".notes.tmp-keep").mkdir()
    (out / ".notes.tmp-keep" / "mine.txt").write_text("mine", "utf-8")
    (out / ".config.old-2023a").mkdir()
    notes = recover_interrupted(out)
    assert sorted(p.name for p in out.iterdir()) == [".config.old-2023a", ".notes.tmp-keep"], notes
    assert (out / ".notes.tmp-keep" / "mine.txt").read_text("utf-8") == "mine"


def test_recover_interrupted_on_a_missing_folder(tmp_path):
    assert recover_interrupted(tmp_path / "nothing") == []


def test_next_sim_run_tidies_leftovers_of_dead_runs(tmp_path, capsys):
    out = tmp_path / "results"
    dead = _dead_pid()
    aside = out / f".baseline.old-{dead}"
    aside.mkdir(parents=True)
    assert _run(tmp_path / "earlier", *SMALL) == 0
    shutil.copytree(tmp_path / "earlier" / "baseline", aside, dirs_exist_ok=True)
    earlier = _snapshot(aside)
    (out / f".baseline.tmp-{dead}").mkdir()
    (out / f".baseline.tmp-{dead}" / "yearly.csv").write_text("half a file", "utf-8")
    # Same settings with --resume: the restored results are complete and of the same run, so it is skipped.
    assert _run(out, *SMALL, "--resume") == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "restored" in err and "removed" in err and "skipped" in err
    assert sorted(p.name for p in out.iterdir()) == ["baseline"]
    assert _snapshot(out / "baseline") == earlier


# --- resume and force ---------------------------------------------------------------------------------------

@pytest.fixture
def small_run(tmp_path) -> Path:
    out = tmp_path / "results"
    assert _run(out, *SMALL) == 0
    return out


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_resume_skips_a_complete_result_of_the_same_run(small_run, capsys):
    folder = small_run / "baseline"
    before, data = _mtimes(folder), _snapshot(folder)
    capsys.readouterr()
    time.sleep(0.01)
    assert _run(small_run, *SMALL, "--resume") == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "skipped" in err and "baseline" in err
    assert _mtimes(folder) == before
    assert _snapshot(folder) == data
    assert sorted(p.name for p in small_run.iterdir()) == ["baseline"]


def test_resume_reruns_an_incomplete_result_of_the_same_run(small_run, capsys):
    folder = small_run / "baseline"
    data = _snapshot(folder)
    (folder / "cohorts.csv").unlink()
    assert _run(small_run, *SMALL, "--resume") == 0
    assert "skipped" not in capsys.readouterr().err
    again = _snapshot(folder)
    assert set(again) == set(data)
    assert all(again[name] == data[name] for name in HEADERS)  # the manifest's run block differs


def test_a_different_earlier_result_is_never_replaced_without_force(small_run, capsys):
    folder = small_run / "baseline"
    data, before = _snapshot(folder), _mtimes(folder)
    for extra in ([], ["--resume"]):
        capsys.readouterr()
        assert _run(small_run, *SMALL, "--seed", str(OTHER_SEED), *extra) == 2
        err = capsys.readouterr().err
        assert "--force" in err and "nothing was written" in err
        assert _snapshot(folder) == data and _mtimes(folder) == before
    assert sorted(p.name for p in small_run.iterdir()) == ["baseline"]
    # Another scale or another as-of date is another run, too.
    assert _run(small_run, "--scale", "0.03", "--replications", "2") == 2
    assert _run(small_run, *SMALL, "--as-of", "2022-12-31") == 2
    assert _snapshot(folder) == data


def test_resume_with_force_reruns_a_different_earlier_result(small_run, capsys):
    folder = small_run / "baseline"
    data = _snapshot(folder)
    assert _run(small_run, *SMALL, "--seed", str(OTHER_SEED), "--resume", "--force") == 0
    assert "skipped" not in capsys.readouterr().err
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["identity"]["seed"] == OTHER_SEED
    assert _snapshot(folder)["yearly.csv"] != data["yearly.csv"]
    assert sorted(p.name for p in small_run.iterdir()) == ["baseline"]


def test_resume_in_a_batch_runs_only_what_is_missing(tmp_path, capsys):
    out = tmp_path / "results"
    other = ROOT / "scenarios" / "stacking_ban_nareis.yaml"
    assert _run(out, *SMALL) == 0
    base_mtimes = _mtimes(out / "baseline")
    capsys.readouterr()
    assert main(["run", str(BASELINE), str(other), "--out", str(out), "--quiet", "--resume", *SMALL]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert err.count("skipped") == 1
    assert _mtimes(out / "baseline") == base_mtimes
    assert (out / "stacking_ban_nareis" / "manifest.json").is_file()


# --- sim reproduce ------------------------------------------------------------------------------------------

def test_reproduce_a_fresh_run_then_detect_one_changed_byte(small_run, capsys):
    folder = small_run / "baseline"
    capsys.readouterr()
    assert main(["reproduce", str(folder)]) == 0
    assert "reproduced" in capsys.readouterr().out
    path = folder / "yearly.csv"
    data = bytearray(path.read_bytes())
    i = max(j for j, b in enumerate(data) if chr(b).isdigit())
    data[i] = ord("1") if data[i] != ord("1") else ord("2")
    path.write_bytes(bytes(data))
    assert main(["reproduce", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "NOT reproduced" in out and "yearly.csv" in out
    assert "cohorts.csv" not in out
    assert sorted(p.name for p in small_run.iterdir()) == ["baseline"]  # reproduce writes nothing


def test_reproduce_detects_a_changed_identity(small_run, capsys):
    folder = small_run / "baseline"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["identity"]["libraries"]["numpy"] = "0.0"
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert main(["reproduce", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "libraries differs" in out and "manifest.json" in out


def test_reproduce_refuses_a_folder_without_manifest(tmp_path, capsys):
    assert main(["reproduce", str(tmp_path)]) == 2
    assert "manifest.json" in capsys.readouterr().err


# --- failures inside a run ----------------------------------------------------------------------------------

def test_pool_worker_that_dies_raises_worker_lost():
    executor = PoolExecutor(2)
    try:
        with pytest.raises(WorkerLost, match="worker process died"):
            list(executor.map_unordered(_exit_on_three, range(8)))
        assert executor._pool is None  # the broken pool is shut down
        # The executor can be used again after the loss.
        assert sorted(executor.map_unordered(_exit_on_three, [0, 1, 2])) == [0, 1, 2]
    finally:
        executor.close()


def test_run_scenario_with_a_dying_worker_raises_worker_lost(monkeypatch):
    monkeypatch.setattr(sim.runner, "_run_batch", _dying_batch)
    executor = PoolExecutor(2)
    try:
        with pytest.raises(WorkerLost, match="no results were written"):
            sim.runner.run_scenario(baseline(0.02, replications=3), executor=executor)
    finally:
        executor.close()


@pytest.mark.parametrize("earlier", [False, True], ids=["fresh", "over-earlier-result"])
def test_cli_with_a_dying_worker_exits_1_and_writes_nothing(tmp_path, monkeypatch, capsys, earlier):
    out = tmp_path / "results"
    data = None
    if earlier:
        assert _run(out, *SMALL) == 0
        data = _snapshot(out / "baseline")
    monkeypatch.setattr(sim.runner, "_run_batch", _dying_batch)
    code = _run(out, "--scale", "0.02", "--replications", "3", "--workers", "2", "--seed", str(OTHER_SEED),
                "--force")
    assert code == 1
    assert "WorkerLost" in capsys.readouterr().err
    if earlier:
        assert _snapshot(out / "baseline") == data and _leftovers(out) == []
    else:
        assert_nothing_written(out)


def _raise(*args, **kwargs):
    raise RuntimeError("nareis rule failed on purpose")


@pytest.mark.parametrize("earlier", [False, True], ids=["fresh", "over-earlier-result"])
def test_a_rule_that_raises_exits_1_and_writes_nothing(tmp_path, monkeypatch, capsys, earlier):
    out = tmp_path / "results"
    data = None
    if earlier:
        assert _run(out, *SMALL) == 0
        data = _snapshot(out / "baseline")
    monkeypatch.setattr(sim.rules, "nareis_verdict", _raise)
    monkeypatch.setattr(sim.engine.model, "nareis_verdict", _raise)
    assert _run(out, *SMALL, "--workers", "1", "--seed", str(OTHER_SEED), "--force") == 1
    assert "RuntimeError: nareis rule failed on purpose" in capsys.readouterr().err
    if earlier:
        assert _snapshot(out / "baseline") == data and _leftovers(out) == []
    else:
        assert_nothing_written(out)


class _FullDiskFile:
    """A file whose writes fail with ENOSPC once a byte budget shared by all files is used up."""

    def __init__(self, fh, budget: list[int]) -> None:
        self._fh, self._budget = fh, budget

    def write(self, data: bytes) -> int:
        room = self._budget[0]
        if len(data) > room:
            self._fh.write(data[:room])
            self._budget[0] = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._budget[0] -= len(data)
        return self._fh.write(data)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._fh, name)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self._fh.close()


def _full_disk_open(budget: int):  # type: ignore[no-untyped-def]
    left = [budget]

    def fake_open(path, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        fh = open(path, mode, *args, **kwargs)
        return _FullDiskFile(fh, left) if "w" in mode else fh

    return fake_open


def _no_space(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["write", "fsync"])
@pytest.mark.parametrize("earlier", [False, True], ids=["fresh", "over-earlier-result"])
def test_a_full_disk_exits_1_and_writes_nothing(tmp_path, monkeypatch, capsys, where, earlier):
    out = tmp_path / "results"
    data = None
    if earlier:
        assert _run(out, *SMALL) == 0
        data = _snapshot(out / "baseline")
    if where == "write":
        # yearly.csv fits, cohorts.csv is cut off half way
        monkeypatch.setattr(sim.output, "open", _full_disk_open(100_000), raising=False)
    else:
        monkeypatch.setattr(sim.output.os, "fsync", _no_space)
    assert _run(out, *SMALL, "--seed", str(OTHER_SEED), "--force") == 1
    assert "No space left on device" in capsys.readouterr().err
    monkeypatch.undo()
    if earlier:
        assert _snapshot(out / "baseline") == data and _leftovers(out) == []
    else:
        assert_nothing_written(out)


def test_failure_between_moving_the_old_result_aside_and_the_new_one_in(tmp_path, monkeypatch, capsys):
    """The one window in which no result folder exists: the earlier result waits beside it, intact, and the
    next run moves it back."""
    out = tmp_path / "results"
    assert _run(out, *SMALL) == 0
    data = _snapshot(out / "baseline")
    real_replace = os.replace

    def failing_replace(src, dst):  # type: ignore[no-untyped-def]
        if ".baseline.tmp-" in Path(src).name:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(src, dst)

    monkeypatch.setattr(sim.output.os, "replace", failing_replace)
    assert _run(out, *SMALL, "--seed", str(OTHER_SEED), "--force") == 1
    monkeypatch.undo()
    assert not (out / "baseline").exists()
    assert [p.name for p in out.iterdir()] == [f".baseline.old-{os.getpid()}"]
    assert _snapshot(out / f".baseline.old-{os.getpid()}") == data
    # The next run restores it first (its writer is gone: here the writer was this process, whose run ended).
    capsys.readouterr()
    assert _run(out, *SMALL, "--resume") == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "restored" in err and "skipped" in err
    assert sorted(p.name for p in out.iterdir()) == ["baseline"]
    assert _snapshot(out / "baseline") == data


@pytest.mark.parametrize("where", ["replications", "write"])
def test_interrupt_in_process_exits_130_and_writes_nothing(tmp_path, monkeypatch, capsys, where):
    def interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    if where == "replications":
        monkeypatch.setattr(sim.engine.model, "nareis_verdict", interrupt)
    else:
        monkeypatch.setattr(sim.output.os, "fsync", interrupt)
    out = tmp_path / "results"
    assert _run(out, *SMALL) == 130
    assert "interrupted" in capsys.readouterr().err
    monkeypatch.undo()
    assert_nothing_written(out)


def test_later_failure_in_a_batch_keeps_earlier_scenarios(tmp_path, monkeypatch, capsys):
    """Not all or nothing across scenarios: one folder per scenario is atomic, a batch is not."""
    out = tmp_path / "results"
    other = ROOT / "scenarios" / "stacking_ban_nareis.yaml"
    calls = {"n": 0}
    real_write = sim.output.write_results

    def second_fails(folder, files, before_move=None):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(folder, files, before_move)

    monkeypatch.setattr(sim.cli, "write_results", second_fails)
    assert main(["run", str(BASELINE), str(other), "--out", str(out), "--quiet", *SMALL]) == 1
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 1 and not written[0].startswith(".")
    capsys.readouterr()
    monkeypatch.undo()
    # --resume then runs only the missing one
    assert main(["run", str(BASELINE), str(other), "--out", str(out), "--quiet", "--resume", *SMALL]) == 0
    assert " ".join(capsys.readouterr().err.split()).count("skipped") == 1
    assert sorted(p.name for p in out.iterdir()) == ["baseline", "stacking_ban_nareis"]


def test_compare_to_over_different_years_is_refused_before_anything_is_written(tmp_path, capsys):
    """Exit code 2 means invalid input found before anything is written ("nothing was written"). Runs that
    cannot be paired because they cover different years must be refused like other unpairable settings."""
    short = tmp_path / "short.yaml"
    short.write_text("name: short\ndescription: The baseline up to 2030.\nextends: baseline\n"
                     "run: {horizon: 2030-12-31}\n", "utf-8")
    out = tmp_path / "results"
    code = main(["run", str(BASELINE), str(short), "--out", str(out), "--quiet", *SMALL,
                 "--compare-to", "baseline"])
    err = capsys.readouterr().err
    assert code == 2 and "different years" in err
    assert "nothing was written" in err
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert written == [], f"exit 2 says nothing was written, but {written} were"


# --- Dask ---------------------------------------------------------------------------------------------------

class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that the command's error handling does not swallow it."""


@pytest.fixture
def time_limit():  # type: ignore[no-untyped-def]
    def start(seconds: int) -> None:
        def on_alarm(signum, frame):  # type: ignore[no-untyped-def]
            raise _Timeout(f"no result after {seconds} s")

        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(seconds)

    previous = signal.getsignal(signal.SIGALRM)
    yield start
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_dask_local_cluster_gives_the_same_bytes_as_serial(tmp_path, time_limit):
    pytest.importorskip("distributed")
    time_limit(300)
    settings = ["--scale", "0.02", "--replications", "3"]
    assert _run(tmp_path / "serial", *settings, "--workers", "1") == 0
    assert _run(tmp_path / "dask", *settings, "--dask-local", "2") == 0
    serial, dask = tmp_path / "serial" / "baseline", tmp_path / "dask" / "baseline"
    for name in HEADERS:
        assert (serial / name).read_bytes() == (dask / name).read_bytes(), name
    m_serial = json.loads((serial / "manifest.json").read_text("utf-8"))
    m_dask = json.loads((dask / "manifest.json").read_text("utf-8"))
    assert m_serial["identity"] == m_dask["identity"]
    assert m_dask["run"]["executor"] == "dask" and m_dask["run"]["workers"] == 2


def _worker_periodic_callbacks(dask_worker) -> list[str]:  # noqa: ANN001 - run on the Dask worker
    return sorted(dask_worker.periodic_callbacks)


def test_dask_local_cluster_workers_run_without_the_statistical_profiler(time_limit):
    """Dask's profiler samples every worker thread's stack every 10 ms, holding the GIL the replication needs
    (benchmarks/bench_dask.py measures the cost); the local cluster is started without it."""
    pytest.importorskip("distributed")
    from sim.executors import DaskExecutor

    time_limit(120)
    ex = DaskExecutor(local_workers=1)
    try:
        callbacks = list(ex._client.run(_worker_periodic_callbacks).values())
    finally:
        ex.close()
    assert len(callbacks) == 1
    assert "heartbeat" in callbacks[0], "the worker's own periodic callbacks are listed"
    assert not any(name.startswith("profile") for name in callbacks[0]), callbacks[0]


def test_dask_worker_that_dies_fails_the_run_with_worker_lost(tmp_path, monkeypatch, capsys, time_limit):
    """The job is retried on a fresh worker until the scheduler's allowed failures (3 by default) are used up,
    then the run fails with WorkerLost: exit 1 and nothing written."""
    pytest.importorskip("distributed")
    monkeypatch.setattr(sim.runner, "_run_batch", _dying_batch)
    time_limit(180)
    out = tmp_path / "results"
    t0 = time.monotonic()
    assert _run(out, "--scale", "0.02", "--replications", "3", "--dask-local", "2") == 1
    err = capsys.readouterr().err
    assert "WorkerLost" in err and "Dask worker died" in err
    assert_nothing_written(out)
    assert time.monotonic() - t0 < 180
