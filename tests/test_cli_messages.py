"""Typer's own usage errors reach users in Chinese, with exit code 2 and no English."""

from __future__ import annotations

from typing import Any

import pytest

from parkeval.cli import app


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["certify", "gx-pass"], "缺少选项 --policy"),
        (["certify", "gx-pass", "-p", "gx-2021", "--year", "abc"], "--year 的值无效：应为整数"),
        (["certify", "gx-pass", "-p", "gx-2021", "--bogus"], "没有选项 --bogus"),
        (["certfy"], "没有命令 “certfy”。是否要用：certify"),
        (["certify", "gx-pass", "-p"], "选项 -p 后面需要一个值"),
        (["status", "a", "b"], "多余的参数：b"),
        (["verify"], "缺少参数 file"),
    ],
)
def test_usage_errors_are_said_in_chinese(runner: Any, args: list[str], said: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert said in result.output and "用法错误" in result.output
    for english in ("Missing option", "Input should be", "No such", "Error:", "Got unexpected"):
        assert english not in result.output
