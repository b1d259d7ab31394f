"""Failures from below that a user can act on, said as a :class:`ParkevalError`: a database
that cannot be reached, is read-only or not a database, a full disk, a file without
permission. Anything else is a bug and the command line reports it as one."""

from __future__ import annotations

import errno

from parkeval.errors import ParkevalError, redact


def known_error(exc: BaseException) -> ParkevalError | None:
    """The user-facing error for ``exc``, or None when it is not one a user can fix."""
    from parkeval.store.database import database_error

    found = database_error(exc)
    if found is not None:
        return found
    if isinstance(exc, MemoryError):
        return ParkevalError(
            "内存不足，无法完成；输入文件可能过大或结构异常",
            hint="拆分输入文件后重试；各项上限见 README「Limits and safety」。",
        )
    if isinstance(exc, OSError):
        where = f"：{exc.filename}" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return ParkevalError(
                f"磁盘空间已满，无法写入{where}；已写入的部分已撤销",
                hint="清理磁盘空间后重新运行同一命令。",
            )
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ParkevalError(f"没有写入或读取的权限{where}", hint="检查文件与目录的权限。")
        if exc.errno == errno.ENOENT:
            return ParkevalError(f"文件或目录不存在{where}")
        if exc.errno == errno.ENOTDIR:
            return ParkevalError(f"路径中的某一级不是目录{where}")
        if exc.errno == errno.EISDIR:
            return ParkevalError(f"这是一个目录，不是文件{where}")
        if exc.errno is not None:
            return ParkevalError(redact(f"操作系统拒绝了这次操作{where}（{exc.strerror}）"))
    return None


__all__ = ["known_error"]
