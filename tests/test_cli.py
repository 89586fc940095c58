"""The `xxgk` command as a user runs it: files and directories in, tables, JSON and clear errors out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from xxgk.cli import app

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
runner = CliRunner()


def test_extract_prints_readable_tables():
    r = runner.invoke(app, ["extract", str(REAL / "seed003.txt")])
    assert r.exit_code == 0, r.output
    assert "表三 收到和处理政府信息公开申请情况" in r.output
    assert "本年新收" in r.output and "17" in r.output
    assert "年度: 2020" in r.output and "格式: 2019" in r.output


def test_extract_json_is_a_report_with_format_keys():
    r = runner.invoke(app, ["extract", str(REAL / "huaian2024.pdf"), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["table_b"]["cells"]["new"]["total"]["value"] == 3119
    assert data["table_b"]["cells"]["new"]["total"]["state"] == "number"
    assert data["table_c"]["cells"]["review"]["total"]["value"] == 351


def test_directory_batch_goes_on_past_bad_files_and_keeps_results(tmp_path: Path):
    for name in ("seed000.txt", "kewei2024.md"):
        shutil.copy(REAL / name, tmp_path / name)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (tmp_path / "notes.txt").write_text("会议纪要\n今天讨论了食堂的菜单。\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = runner.invoke(app, ["extract", str(tmp_path), "-o", str(out)])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(x["source"]["path"]).name for x in lines) == ["kewei2024.md", "seed000.txt"]
    assert "empty.txt" in r.stderr and "文件为空" in r.stderr
    assert "broken.pdf" in r.stderr
    assert "notes.txt" in r.stderr and "不是" in r.stderr
    assert "完成 2 个，失败 3 个" in r.stderr


def test_only_bad_input_exits_2_and_names_the_file(tmp_path: Path):
    bad = tmp_path / "missing.pdf"
    r = runner.invoke(app, ["extract", str(bad)])
    assert r.exit_code == 2
    assert "missing.pdf" in r.stderr


def test_schema_documents_the_keys():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert "Cell" in schema["$defs"]
    assert "carried_forward" in schema["$comment"] and "natural_person" in schema["$comment"]


def test_every_command_has_help_text():
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0
    for name, cmd in [(c.name or c.callback.__name__, c) for c in app.registered_commands]:
        assert cmd.callback.__doc__, f"command {name} has no help text"
        h = runner.invoke(app, [name.replace("_", "-"), "--help"])
        assert h.exit_code == 0, name
