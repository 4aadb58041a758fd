"""Output folders and sweeps under stress (issue 18): each test names the class it covers;
every one of them failed on main before the hardening."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from simgov.cli import main
from simgov.errors import InputError
from simgov.experiment import output
from simgov.experiment.files import atomic, atomic_bytes
from simgov.experiment.lock import LOCK_FILE, folder_lock
from simgov.experiment.sweep import prepare, run_sweep

TINY = "extends: teaching-estate\nweeks: 3\nwarmup_weeks: 1\nreplicates: 2\n"


@pytest.fixture
def tiny(write_yaml):
    return write_yaml(TINY, "tiny.yaml")


def run(*args) -> int:
    return main([*map(str, args), "--quiet"])


def test_out_that_is_a_file_is_refused_before_any_run(tiny, tmp_path, capsys):
    """Main: computed every run, then an internal error (exit 1) creating --out."""
    (tmp_path / "f").write_text("x")
    started = time.perf_counter()
    assert run("run", tiny, "--out", tmp_path / "f") == 2
    assert "is a file" in capsys.readouterr().err and time.perf_counter() - started < 5


def test_an_unwritable_out_is_refused_before_any_run(tiny, capsys):
    """Main: a read-only filesystem threw away every computed run (exit 1)."""
    assert run("run", tiny, "--out", "/proc/simgov-cannot-be-made") == 2
    assert "cannot write" in capsys.readouterr().err


def test_a_full_disk_mid_run_is_exit_2_and_keeps_the_finished_runs(tiny, tmp_path, monkeypatch, capsys):
    """Main: a full disk lost every run, reported as an internal error."""
    real, calls = output.append_run, []

    def fill_up(out, result, first):
        calls.append(result)
        if len(calls) > 1:
            raise output.write_error(out / "timeseries.csv", OSError(errno.ENOSPC, "No space left on device"))
        real(out, result, first)

    monkeypatch.setattr(output, "append_run", fill_up)
    assert run("run", tiny, "--out", tmp_path / "o") == 2
    assert "No space left" in capsys.readouterr().err
    kept = pd.read_csv(tmp_path / "o" / "timeseries.csv")
    assert set(kept.replicate) == {0}


def test_a_failed_compare_keeps_what_finished(tiny, tmp_path, monkeypatch):
    """Main: compare kept every result in memory and wrote nothing when a run failed."""
    from simgov.experiment import runs

    real, calls = runs._run_one, []

    def fail_third(*a, **k):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return real(*a, **k)

    monkeypatch.setattr(runs, "_run_one", fail_third)
    out = tmp_path / "c"
    assert run("compare", tiny, "--arm", "mediation", "--out", out, "--no-report") == 1
    assert len(pd.read_csv(out / "timeseries.csv").groupby(["arm", "replicate"])) == 2
    assert json.loads((out / "manifest.json").read_text())["status"] == "failed"


@pytest.fixture
def done_run(tiny, tmp_path):
    out = tmp_path / "r"
    assert run("run", tiny, "--out", out) == 0
    return out


def test_run_into_a_compare_folder_is_refused(tiny, tmp_path, capsys):
    """Main: the old effects.csv stayed, and the report showed it as this run's."""
    out = tmp_path / "c"
    assert run("compare", tiny, "--arm", "mediation", "--out", out, "--no-report") == 0
    assert run("run", tiny, "--out", out) == 2
    assert "not of a 'run'" in capsys.readouterr().err
    assert run("run", tiny, "--out", out, "--force", "--no-report") == 0
    assert not (out / "effects.csv").exists()


def test_run_into_a_sweep_folder_is_refused(tiny, tmp_path):
    """Main: run overwrote the sweep's manifest, so it could no longer be resumed."""
    out = tmp_path / "s"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"kind": "sweep"}))
    assert run("run", tiny, "--out", out) == 2
    assert json.loads((out / "manifest.json").read_text()) == {"kind": "sweep"}


def test_a_different_run_is_refused_and_the_same_run_replaces_its_files(done_run, tiny, capsys):
    assert run("run", tiny, "--out", done_run, "--reps", "1") == 2
    assert "different run" in capsys.readouterr().err
    assert run("run", tiny, "--out", done_run, "--no-report") == 0


def test_no_report_removes_a_stale_report(done_run, tiny):
    """Main: --no-report left the old report.html beside the new tables."""
    assert (done_run / "report.html").is_file()
    assert run("run", tiny, "--out", done_run, "--no-report") == 0
    assert not (done_run / "report.html").exists() and not (done_run / "figures").exists()


def test_report_refuses_a_folder_that_mixes_two_runs(done_run, capsys):
    """Main: an interrupted rerun's new timeseries.csv beside the old summary.csv was reported."""
    with open(done_run / "timeseries.csv", "a") as f:
        f.write("extra\n")
    assert main(["report", str(done_run)]) == 2
    assert "not the file this folder's manifest recorded" in capsys.readouterr().err


def test_report_refuses_a_killed_run(done_run, capsys):
    manifest = json.loads((done_run / "manifest.json").read_text())
    (done_run / "manifest.json").write_text(json.dumps({**manifest, "status": "running"}))
    assert main(["report", str(done_run)]) == 2
    assert "did not finish" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["[1, 2]", '{"kind": "run", "status": "complete", "files": 5}', "{"])
def test_report_refuses_a_damaged_manifest(done_run, capsys, text):
    """Found beyond the issue: a manifest that is not a mapping was an internal error."""
    (done_run / "manifest.json").write_text(text)
    assert main(["report", str(done_run)]) == 2
    assert "damaged" in capsys.readouterr().err


def test_result_files_follow_the_umask(done_run):
    """Main: tables, manifest and report were 0600 (a colleague could not open the report)."""
    mask = os.umask(0)
    os.umask(mask)
    files = [p for p in done_run.rglob("*") if p.is_file()]
    assert any(p.suffix == ".png" for p in files)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path


def test_a_failed_write_leaves_no_file(tmp_path):
    """Main: figures were written in place, so a full disk left a truncated PNG."""
    target = tmp_path / "figure.png"
    with pytest.raises(RuntimeError), atomic(target) as tmp:
        Path(tmp).write_bytes(b"half a pict")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
    atomic_bytes(target, b"whole")
    assert target.read_bytes() == b"whole"


def test_sigterm_exits_143(tiny, tmp_path):
    """Main: SIGTERM made run and compare exit 130, not the documented 143."""
    slow = tiny.parent / "slow.yaml"
    slow.write_text("extends: teaching-estate\nweeks: 5000\nwarmup_weeks: 1\nreplicates: 1\n")
    proc = subprocess.Popen([sys.executable, "-m", "simgov", "run", str(slow), "--out", str(tmp_path / "t"),
                             "--quiet", "--no-report"], stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not (tmp_path / "t" / "manifest.json").exists() and time.time() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 143
    assert json.loads((tmp_path / "t" / "manifest.json").read_text())["status"] == "interrupted"


# ----------------------------------------------------------------------------- sweeps
@pytest.fixture
def sweep_file(tiny, write_yaml):
    return write_yaml({"name": "s", "scenario": "tiny.yaml", "weeks": 2, "replicates": 1, "seed": 1,
                       "design": {"method": "latin_hypercube", "samples": 3},
                       "factors": [{"path": "network.homophily", "low": 0.1, "high": 0.9}],
                       "executor": {"type": "serial"}}, "s.yaml", folder=tiny.parent)


def test_a_second_sweep_in_a_locked_folder_is_refused(sweep_file, tmp_path):
    """Main: two sweeps both ran as session 1 and overwrote each other's parts."""
    out = tmp_path / "sw"
    out.mkdir()
    with folder_lock(out), pytest.raises(InputError, match=f"process {os.getpid()}"):
        run_sweep(sweep_file, out, progress=False)
    assert not (out / "manifest.json").exists()


def test_a_stale_lock_of_a_dead_process_is_taken_over(sweep_file, tmp_path, capsys):
    out = tmp_path / "sw"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / LOCK_FILE).write_text(f"{dead.pid}\n")
    assert run_sweep(sweep_file, out, progress=False).status == "complete"
    assert "which is gone" in capsys.readouterr().err


def test_resume_sets_a_damaged_part_aside_and_reruns_it(sweep_file, tmp_path, capsys):
    """Main: a truncated part file stopped --resume with an internal error and no remedy."""
    out = tmp_path / "sw"
    first = run_sweep(sweep_file, out, progress=False)
    whole = first.runs()
    data = (out / "runs.parquet").read_bytes()
    (out / "runs.parquet").write_bytes(data[: len(data) // 2])
    again = run_sweep(sweep_file, out, progress=False, resume=True)
    assert again.status == "complete" and again.this_session == len(whole)
    assert "damaged" in capsys.readouterr().err
    assert (out / "parts" / "damaged" / "runs.parquet").is_file()
    cols = ["point", "replicate", "cohesion_index"]
    pd.testing.assert_frame_equal(again.runs()[cols], whole[cols])


def test_reproduce_refuses_a_changed_design(sweep_file, tmp_path):
    from simgov.experiment.sweep import reproduce

    out = tmp_path / "sw"
    run_sweep(sweep_file, out, progress=False)
    (out / "design.csv").write_text((out / "design.csv").read_text().replace("0.", "0.0", 1))
    with pytest.raises(InputError, match="design.csv"):
        reproduce(out, 0, 0)


def test_a_huge_design_is_refused_before_it_is_built(sweep_file, write_yaml):
    """Main: a full factorial of huge level counts built the design (14 GB) before the run limit."""
    factors = [{"path": p, "low": 0.1, "high": 0.9, "levels": 1000}
               for p in ("network.homophily", "network.isolation", "network.neighbor_tie_prob",
                         "network.hostile_tie_share")]
    path = write_yaml({"name": "big", "scenario": "tiny.yaml", "design": {"method": "full_factorial"},
                       "factors": factors}, "big.yaml", folder=sweep_file.parent)
    started = time.perf_counter()
    with pytest.raises(InputError, match="MAX_RUNS"):
        prepare(path)
    assert time.perf_counter() - started < 2


def test_a_dask_scheduler_without_workers_times_out(monkeypatch):
    """Main: --resume against a Dask scheduler with no workers waited forever."""
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from simgov.experiment import executors

    monkeypatch.setattr(executors, "DASK_WORKER_TIMEOUT", 1.0)
    with LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as cluster:
        with pytest.raises(InputError, match="no workers"):
            executors.Dask(1, cluster.scheduler_address)


def test_pool_workers_exit_when_their_parent_is_killed(tmp_path):
    """Main: killing the sweep's parent with SIGKILL left its worker processes running."""
    script = textwrap.dedent("""
        import time
        from simgov.experiment.executors import Processes
        pool = Processes(1)
        pool.pool.submit(time.sleep, 0).result()
        print(*[p.pid for p in pool.pool._processes.values()], flush=True)
        time.sleep(120)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert workers
    parent.kill()
    parent.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(Path(f"/proc/{pid}").exists() and
                                         "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
                                         for pid in workers):
        time.sleep(0.2)
    for pid in workers:
        alive = Path(f"/proc/{pid}").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
        assert not alive, f"worker {pid} outlived its parent"
