"""Writing a file a user asked for: the right suffix, never over an existing file unless told
(``--force``), and atomically — a temporary file in the same directory, renamed into place, so
a reader never sees half a PDF or workbook and a failure (a full disk) leaves the previous
file whole and nothing else behind.

A symlink at the destination is refused (never followed, never replaced), and a missing
directory is never created (a mistyped ``--out`` is a mistake to say, not a tree to make).
The file gets the usual permissions (0666 less the umask), like any file the user creates.

One small place on purpose: every command that writes a document (signed PDFs, results
workbooks, reports, HTML, templates, synthetic dossiers) goes through it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from parkeval.errors import ParkevalError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output(path: Path, *, suffixes: Iterable[str], force: bool = False) -> Path:
    """Refuse, before any work is done, an output with the wrong suffix, a directory, a
    symlink, one in a directory that does not exist, or one that exists (unless ``force``);
    returns the path."""
    allowed = tuple(s.lower() for s in suffixes)
    if not path.name or path.name in (".", ".."):
        raise ParkevalError(
            f"输出路径应是一个文件（以 {' 或 '.join(allowed)} 结尾），而不是 “{path}”"
        )
    if path.suffix.lower() not in allowed:
        raise ParkevalError(
            f"输出文件应以 {' 或 '.join(allowed)} 结尾：{path}",
            hint=f"例如：{path.with_suffix(allowed[0]).name}",
        )
    if path.is_symlink():
        raise ParkevalError(
            f"输出路径是一个符号链接：{path}；为免改写它指向的文件，未作任何改动",
            hint="换一个文件名，或先删除这个链接。",
        )
    if path.is_dir():
        raise ParkevalError(f"输出路径是一个目录：{path}")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ParkevalError(
            f"输出文件所在的目录不存在：{directory}",
            hint="请先创建该目录，或换一个保存位置。",
        )
    if path.exists() and not force:
        raise ParkevalError(
            f"文件已存在：{path}；未作任何改动",
            hint="换一个文件名，或加 --force 覆盖该文件。",
        )
    if path.exists() and not path.is_file():
        raise ParkevalError(f"输出路径不是普通文件：{path}；未作任何改动")
    return path


def write_output(path: Path, data: bytes, *, suffixes: Iterable[str], force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (checked as :func:`check_output`). Without
    ``force`` the file is linked into place, so a file that appeared meanwhile is not replaced;
    with it, the rename replaces the old file (or a symlink planted meanwhile, never its
    target) in one step."""
    check_output(path, suffixes=suffixes, force=force)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ParkevalError(f"无法写入 {path}：{exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file exists: nothing is clobbered
            except FileExistsError:
                raise ParkevalError(
                    f"文件已存在：{path}；未作任何改动", hint="加 --force 覆盖该文件。"
                ) from None
            except OSError:  # a file system without hard links: best effort
                if os.path.lexists(path):
                    raise ParkevalError(f"文件已存在：{path}；未作任何改动") from None
                os.replace(tmp, path)
    except OSError as exc:
        raise ParkevalError(f"无法写入 {path}：{exc.strerror}；原有文件（如有）未被改动") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    return path


def prepare_directory(directory: Path) -> Path:
    """An output directory a command writes several files into: made if missing (its parent
    must exist: no tree of directories is made from a typo), refused if it is a file or a
    symlink."""
    if directory.is_symlink():
        raise ParkevalError(f"输出目录是一个符号链接：{directory}；请给出真实的目录")
    if directory.exists():
        if not directory.is_dir():
            raise ParkevalError(f"输出目录是一个文件，不是目录：{directory}")
        return directory
    parent = directory.parent if str(directory.parent) else Path(".")
    if not parent.is_dir():
        raise ParkevalError(
            f"输出目录的上级目录不存在：{parent}", hint="请先创建它，或换一个输出目录。"
        )
    try:
        directory.mkdir()
    except OSError as exc:
        raise ParkevalError(f"无法创建输出目录 {directory}：{exc.strerror}") from None
    return directory


__all__ = ["check_output", "prepare_directory", "write_output"]
