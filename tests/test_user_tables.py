"""Cohort and ledger files are read as HR exports are: any encoding, separator, decimal mark.

A European export (UTF-16 or Windows-1252, semicolons, ``150.000,50``) must give exactly the
accounts and cohorts of the same data written the American way; a number that is not one, or
is NaN or infinite, is refused with its line and column; a workbook or an oversized file is
refused before anything is parsed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.calibrate.ledger import parse_ledger, read_ledger
from ccosim.calibrate.retention import CalibrationError, read_cohorts
from ccosim.cli import main
from ccosim.io.table_text import read_table_text

LEDGER = """\
account_id,segment,start_date,end_date,arr,arr_year_ago
A1,smb,2021-03-01,,"150,000.50",120000
A2,smb,2020-01-15,2022-06-30,9000.25,
A3,enterprise,2019-05-01,,1234567.75,1000000
"""
EUROPEAN = """\
account_id;segment;start_date;end_date;arr;arr_year_ago
A1;smb;2021-03-01;;150.000,50;120.000
A2;smb;2020-01-15;2022-06-30;9000,25;
A3;enterprise;2019-05-01;;1.234.567,75;1.000.000
"""
COHORTS = "cohort,period,active\n2020,0,1000\n2020,1,631.5\n2020,2,468\n"


def accounts(ledger) -> list[tuple]:
    return [
        (a.account_id, a.segment, a.start, a.end, a.arr, a.arr_year_ago) for a in ledger.accounts
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_a_european_ledger_reads_as_the_american_one(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "ledger.csv"
    path.write_bytes(EUROPEAN.encode(encoding))
    assert accounts(read_ledger(path)) == accounts(parse_ledger(LEDGER))
    assert read_ledger(path).accounts[0].arr == 150_000.5


def test_cohorts_with_tabs_and_decimal_commas_read_as_with_commas(tmp_path: Path) -> None:
    plain, european = tmp_path / "plain.csv", tmp_path / "european.csv"
    plain.write_text(COHORTS, encoding="utf-8")
    european.write_bytes(COHORTS.replace(",", "\t").replace("631.5", "631,5").encode("utf-16"))
    assert read_cohorts(european).segments == read_cohorts(plain).segments


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf", "NaN"])
def test_nan_and_infinity_are_refused_with_line_and_column(tmp_path: Path, cell: str) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER.replace("9000.25", cell), encoding="utf-8")
    with pytest.raises(CalibrationError, match=rf"ledger.csv:3: column 'arr': '{cell}'"):
        read_ledger(path)


def test_a_file_mixing_decimal_marks_is_refused_until_told(tmp_path: Path) -> None:
    path = tmp_path / "cohorts.csv"
    path.write_text("period;active\n0;1000,5\n1;631.25\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match=r"decimal comma .* and with a decimal point"):
        read_cohorts(path)
    assert read_cohorts(path, decimal=",").segments[""]["cohort"][0] == 1000.5


def test_a_workbook_and_an_oversized_file_are_refused_before_parsing(tmp_path: Path) -> None:
    book = tmp_path / "ledger.xlsx"
    book.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(CalibrationError, match=r"Excel workbook.*save it as CSV"):
        read_ledger(book)
    big = tmp_path / "big.csv"
    big.write_text(LEDGER * 50, encoding="utf-8")
    with pytest.raises(CalibrationError, match=r"big.csv.*bytes; the limit is 100 bytes"):
        read_table_text(big, CalibrationError, limit=100)


def test_the_cli_takes_decimal_and_a_bad_file_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "cohorts.csv"
    path.write_bytes(COHORTS.replace(",", ";").replace("631.5", "631,5").encode("cp1252"))
    result = CliRunner().invoke(main, ["calibrate", "retention", str(path), "--decimal", ","])
    assert result.exit_code == 0, result.output
    assert "alpha" in result.output.lower()
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)  # a named pipe with no writer: a reader that blocks would hang here
    result = CliRunner().invoke(main, ["calibrate", "retention", str(pipe)])
    assert result.exit_code == 2 and "not a regular file" in result.output
    assert "Traceback" not in result.output
