"""What the terminal prints is Chinese: audit actions and details, waivers by the criterion's
title, an approved amount by the reward rule's title, and OS errors (a missing password or
goal file) in Chinese under the right heading."""

from __future__ import annotations

from pathlib import Path

from parkeval.cli import app

README_DOSSIER = Path(__file__).resolve().parent.parent / "README.md"


def _nn_hr(runner, tmp_path):
    import re

    block = re.findall(r"^```yaml\n(.*?)^```", README_DOSSIER.read_text("utf-8"), re.S | re.M)[0]
    path = tmp_path / "nn-hr.yaml"
    path.write_text(block, encoding="utf-8")
    assert runner.invoke(app, ["import", str(path)]).exit_code == 0


def test_log_and_status_in_words(runner, tmp_path):
    _nn_hr(runner, tmp_path)
    steps = [
        ["apply", "nn-hr", "--policy", "gx-2021", "--received", "2024-01-02",
         "--materials", "request,support_policy"],
        ["waive", "nn-hr", "--policy", "gx-2021", "--criterion", "branch_limit", "--reason",
         "分园区为历史遗留", "--by", "南宁市人社局", "--until", "2026-12-31"],
        ["target", "nn-hr", "--year", "2025", "--revenue", "6亿", "--hr", "35",
         "--occupancy", "65.5%", "--goals", "引进头部机构3家", "--filed-on", "2025-03-01"],
    ]  # fmt: skip
    for args in steps:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    log = runner.invoke(app, ["log"], env={"COLUMNS": "400"})
    assert log.exit_code == 0
    assert "营业收入目标 6亿元；人力资源服务机构 35家；入驻率 65.5%" in log.output
    assert "revenue_yuan" not in log.output and "hr_institutions" not in log.output
    assert "材料 申报请示" in log.output
    assert "request" not in log.output and "support_policy" not in log.output
    status = runner.invoke(app, ["status", "nn-hr"], env={"COLUMNS": "400"})
    assert status.exit_code in (0, 1), status.output
    assert "分园区数量：分园区为历史遗留" in status.output
    assert "branch_limit" not in status.output


def test_old_audit_details_read_in_words():
    from parkeval.domain.wording import readable_text

    old = "2025 年度目标 #1：revenue_yuan=600000000，hr_institutions=35，occupancy=0.655，goals=引进头部机构3家（报备 2025-03-01）"
    shown = readable_text(old, {}, {})
    assert shown == (
        "2025 年度目标 #1：营业收入目标 6亿元；人力资源服务机构 35家；入驻率 65.5%；"
        "发展目标 引进头部机构3家（报备 2025年3月1日）"
    )
    applied = readable_text(
        "gx-2021 申请 #1，收到 2024-01-02，材料 request,support_policy",
        {"gx-2021": "广西"},
        {"request": "申请书", "support_policy": "扶持政策"},
    )
    assert applied == "广西 申请 #1，收到 2024年1月2日，材料 申请书、扶持政策"


def test_reward_actions_and_approval_named(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the demo writes its sample report into the current directory
    assert runner.invoke(app, ["demo"]).exit_code == 0
    approve = runner.invoke(
        app,
        ["facts", "approve", "甲公司", "--rule", "revenue_tier", "--year", "2024",
         "--amount", "22万", "--city", "柳州市"],
    )  # fmt: skip
    assert approve.exit_code == 0, approve.output
    assert "区域贡献奖励（主营业务收入档次） 核定22万元" in approve.output
    assert "revenue_tier" not in approve.output
    log = runner.invoke(app, ["log"], env={"COLUMNS": "400"})
    assert "导入奖补事实" in log.output and "核定奖补金额" in log.output
    for action in ("│ facts", "│ approval"):
        assert action not in log.output


def test_every_audit_action_has_a_chinese_name():
    import re

    from parkeval.domain.wording import ACTION_NAMES

    root = Path(__file__).resolve().parent.parent / "parkeval"
    source = "\n".join(p.read_text("utf-8") for p in root.rglob("*.py"))
    actions = set(re.findall(r'action="([a-z_]+)"', source))
    actions |= set(re.findall(r'"action": "([a-z_]+)"', source))
    actions |= {"approval", "payment"}  # written as action=kind by record_amount
    assert actions - set(ACTION_NAMES) == set()


def test_missing_password_and_goal_files_in_chinese(runner, tmp_path):
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    sign = runner.invoke(
        app,
        ["sign", str(pdf), "--cert", str(tmp_path / "c.p12"),
         "--password-file", str(tmp_path / "口令.txt")],
    )  # fmt: skip
    assert sign.exit_code == 2
    assert "No such file" not in sign.output
    goals = runner.invoke(
        app, ["--goals-file", str(tmp_path / "my-city-goals.yaml"), "goals", "gx-pass"]
    )
    assert goals.exit_code == 2
    assert "No such file" not in goals.output and "文件不存在" in goals.output
    assert "发展目标文件" in goals.output and "政策文件无效" not in goals.output
