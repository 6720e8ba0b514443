"""Helpers for the studio's tests: a folder of shipped designs, a served studio, a big org."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ccosim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
#: Debian's Chromium: Playwright cannot download a browser here.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def design_folder(tmp: Path) -> Path:
    """A folder holding copies of the shipped designs (the studio's --dir)."""
    folder = tmp / "designs"
    folder.mkdir()
    for path in SCENARIOS.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    shutil.copy(SCENARIOS / "scenario.schema.json", folder)
    return folder


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(folder: Path, designs: list[str], *extra: str, keep: bool = False) -> Iterator[Any]:
    """``ccosim studio`` on a free port; yields its URL; stops it (by its pid) afterwards.

    With ``keep``, yields ``(url, process)`` so that a test can stop the server itself.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "ccosim", "studio", *designs, "--dir", str(folder),
        "--port", str(port), "--no-browser", "--years", "1", "--runs", "2",
        "--refine-runs", "0", *extra,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode() if process.stdout else "died")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the studio did not start within 60 s")
        url = f"http://127.0.0.1:{port}/"
        yield (url, process) if keep else url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def big_org(people: int = 5000, executives: int = 10, managers: int = 10) -> Scenario:
    """A company of ``people`` single-person positions: CEO, executives, managers, staff."""
    units = [{"id": "ceo", "title": "Chief Executive Officer", "function": "executive"}]
    for e in range(executives):
        units.append(
            {"id": f"e{e}", "title": f"Executive {e}", "function": "executive", "reports_to": "ceo"}
        )
        for m in range(managers):
            units.append(
                {"id": f"e{e}m{m}", "title": f"Manager {e}.{m}", "function": "customer_success",
                 "reports_to": f"e{e}"}
            )  # fmt: skip
    staff = people - len(units)
    for i in range(staff):
        boss = f"e{i % executives}m{(i // executives) % managers}"
        units.append(
            {"id": f"p{i}", "title": f"Customer Success Manager {i}", "name": f"Person {i}",
             "function": "customer_success", "reports_to": boss}
        )  # fmt: skip
    return Scenario.model_validate(
        {
            "name": "Five thousand people",
            "horizon_years": 1,
            "customers": {
                "segments": {
                    "all": {
                        "initial_accounts": 100,
                        "acv": 20000,
                        "new_accounts_per_year": 20,
                        "base_churn": 0.1,
                    }
                }
            },
            "org": {"units": units},
        }
    )


def big_hris_csv(people: int = 5000, executives: int = 10, managers: int = 10) -> str:
    """An HRIS export of ``people`` rows: CEO, executives, managers, then their staff.

    Two of every fifty staff rows are open requisitions ("TBH"), one row in a hundred has a
    dotted-line manager (another executive), and salaries vary, as in a real export.
    """
    rows = ["id,manager_id,title,first_name,last_name,salary,department,dotted_line_manager"]
    rows.append("1,,Chief Executive Officer,Ada,King,300000,Executive,")
    ids = {"ceo": "1"}
    next_id = 2
    for e in range(executives):
        ids[f"e{e}"] = str(next_id)
        rows.append(f"{next_id},1,VP Customer Success {e},Exec,E{e},240000,CS {e},")
        next_id += 1
    for e in range(executives):
        for m in range(managers):
            ids[f"e{e}m{m}"] = str(next_id)
            rows.append(
                f"{next_id},{ids[f'e{e}']},Manager Customer Success {e}.{m},Man,M{e}{m},"
                f"150000,CS {e},"
            )
            next_id += 1
    staff = people - len(rows) + 1
    for i in range(staff):
        boss = ids[f"e{i % executives}m{(i // executives) % managers}"]
        first = "TBH" if i % 50 in (7, 31) else f"P{i}"
        dotted = ids[f"e{(i + 1) % executives}"] if i % 100 == 3 else ""
        salary = 90000 + (i * 37) % 50000
        rows.append(
            f"{next_id},{boss},Customer Success Manager,{first},Ng,{salary},CS {i % executives},"
            f"{dotted}"
        )
        next_id += 1
    return "\n".join(rows) + "\n"
