"""output.write_file's promises, including the failure paths that are hard to meet by chance.

No hard links (FAT, some network shares): os.link is made to fail. A second writer: a file is created between
the check and the write. A full disk: fsync or the rename fails. A read-only folder: as an unprivileged user
(the tests run as root, which may write anywhere), in a subprocess.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import handouts.deliver.batch
from conftest import REPO
from handouts.errors import OutputError
from handouts.files import FileExists, write_file

NO_LINKS = [errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS]


def names(folder: Path) -> list[str]:
    """Every entry of the folder, hidden temp files included."""
    return sorted(p.name for p in folder.iterdir())


def no_links(monkeypatch, code: int = errno.EPERM, before=None) -> None:
    """os.link fails as on a drive without hard links; `before` runs first (a second writer)."""

    def link(src, dst, *args, **kwargs):
        if before is not None:
            before()
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", link)


# ---- the ordinary paths -------------------------------------------------------------------


def test_a_new_file_is_written_whole_and_no_temp_file_is_left(tmp_path):
    out = tmp_path / "a.pdf"
    write_file(b"%PDF new", out)
    assert out.read_bytes() == b"%PDF new"
    assert names(tmp_path) == ["a.pdf"]
    assert os.stat(out).st_nlink == 1, "the temp name is gone, not just hidden"


def test_an_existing_file_is_kept_without_replace(tmp_path):
    out = tmp_path / "a.pdf"
    out.write_bytes(b"yesterday")
    with pytest.raises(FileExists) as err:
        write_file(b"%PDF new", out)
    assert str(err.value) == f"{out}: exists; use --force to replace it"
    assert out.read_bytes() == b"yesterday" and names(tmp_path) == ["a.pdf"]
    with pytest.raises(FileExists, match=r"^its file: exists; use --force"):
        write_file(b"%PDF new", out, label="its file")


def test_replace_writes_over_an_existing_file(tmp_path):
    out = tmp_path / "a.pdf"
    out.write_bytes(b"yesterday")
    write_file(b"%PDF new", out, replace=True)
    assert out.read_bytes() == b"%PDF new" and names(tmp_path) == ["a.pdf"]
    write_file(b"%PDF newer", out, replace=True, label="x")
    assert out.read_bytes() == b"%PDF newer"


def test_a_dangling_symlink_counts_as_existing(tmp_path):
    out = tmp_path / "a.pdf"
    out.symlink_to(tmp_path / "elsewhere.pdf")
    with pytest.raises(FileExists):
        write_file(b"%PDF", out)
    assert not (tmp_path / "elsewhere.pdf").exists(), "nothing written through the link"


def test_a_relative_path_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_file(b"%PDF", Path("a.pdf"))
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF" and names(tmp_path) == ["a.pdf"]


@pytest.mark.parametrize("case, message", [
    ("missing", "x: the folder {folder} does not exist; create it or choose another path"),
    ("file", "x: {folder} is a file, not a folder; choose another path"),
    ("dir", "x: is a folder; give a file name such as {out}/handout.pdf"),
])
def test_a_path_that_cannot_be_a_file(tmp_path, case, message):
    folder = tmp_path / "f"
    out = folder / "a.pdf"
    if case == "file":
        folder.write_bytes(b"not a folder")
    elif case == "dir":
        out.mkdir(parents=True)
    with pytest.raises(OutputError) as err:
        write_file(b"%PDF", out, label="x")
    assert str(err.value) == message.format(folder=folder, out=out)
    assert not isinstance(err.value, FileExists)
    if case == "missing":
        assert not folder.exists()
    elif case == "file":
        assert folder.read_bytes() == b"not a folder"
    else:
        assert names(out) == [] and names(folder) == ["a.pdf"]


# ---- no hard links ------------------------------------------------------------------------


@pytest.mark.parametrize("code", NO_LINKS)
def test_without_hard_links_a_new_file_is_still_written(tmp_path, monkeypatch, code):
    no_links(monkeypatch, code)
    out = tmp_path / "a.pdf"
    write_file(b"%PDF new", out)
    assert out.read_bytes() == b"%PDF new" and names(tmp_path) == ["a.pdf"]


@pytest.mark.parametrize("code", NO_LINKS)
def test_without_hard_links_an_existing_file_is_not_overwritten(tmp_path, monkeypatch, code):
    no_links(monkeypatch, code)
    out = tmp_path / "a.pdf"
    out.write_bytes(b"yesterday")
    with pytest.raises(FileExists, match="exists; use --force to replace it"):
        write_file(b"%PDF new", out)
    assert out.read_bytes() == b"yesterday" and names(tmp_path) == ["a.pdf"]


def test_without_hard_links_replace_still_replaces(tmp_path, monkeypatch):
    no_links(monkeypatch)
    out = tmp_path / "a.pdf"
    out.write_bytes(b"yesterday")
    write_file(b"%PDF new", out, replace=True)
    assert out.read_bytes() == b"%PDF new"


def test_without_hard_links_a_file_made_by_a_second_writer_meanwhile_is_kept(tmp_path, monkeypatch):
    out = tmp_path / "a.pdf"
    no_links(monkeypatch, before=lambda: out.write_bytes(b"the other writer's"))
    with pytest.raises(FileExists):
        write_file(b"%PDF new", out)
    assert out.read_bytes() == b"the other writer's" and names(tmp_path) == ["a.pdf"]


def test_without_hard_links_two_writers_of_one_name_never_both_succeed(tmp_path, monkeypatch):
    """The second write_file runs while the first is between its check and its rename."""
    no_links(monkeypatch)
    out = tmp_path / "a.pdf"
    real_replace = os.replace
    second = []

    def replace(src, dst):
        if not second:
            try:
                write_file(b"second", out)
                second.append("wrote")
            except FileExists:
                second.append("refused")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_file(b"first", out)
    assert second == ["refused"], "the second writer must not believe it wrote a file that is then overwritten"
    assert out.read_bytes() == b"first" and names(tmp_path) == ["a.pdf"]


def test_a_file_made_by_a_second_writer_just_before_the_link_is_kept(tmp_path, monkeypatch):
    out = tmp_path / "a.pdf"
    real_link = os.link

    def link(src, dst, *args, **kwargs):
        out.write_bytes(b"the other writer's")
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    with pytest.raises(FileExists):
        write_file(b"%PDF new", out)
    assert out.read_bytes() == b"the other writer's" and names(tmp_path) == ["a.pdf"]


def test_another_link_error_is_a_failure_not_a_fallback(tmp_path, monkeypatch):
    no_links(monkeypatch, errno.EIO)
    out = tmp_path / "a.pdf"
    with pytest.raises(OutputError) as err:
        write_file(b"%PDF new", out, label="x")
    assert str(err.value) == "x: could not be written (Input/output error); check the folder and free space"
    assert names(tmp_path) == []


def test_without_hard_links_a_failed_rename_leaves_no_file_behind(tmp_path, monkeypatch):
    no_links(monkeypatch)

    def replace(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", replace)
    out = tmp_path / "a.pdf"
    with pytest.raises(OutputError, match=r"^x: could not be written \(No space left on device\)"):
        write_file(b"%PDF new", out, label="x")
    assert names(tmp_path) == [], "neither the empty claim nor the temp file is left"


# ---- failed writes are failures -----------------------------------------------------------


@pytest.mark.parametrize("replace", [False, True])
def test_a_failed_write_is_reported_and_leaves_nothing(tmp_path, monkeypatch, replace):
    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    out = tmp_path / "a.pdf"
    with pytest.raises(OutputError) as err:
        write_file(b"%PDF new", out, replace=replace, label="x")
    assert str(err.value) == "x: could not be written (No space left on device); check the folder and free space"
    assert names(tmp_path) == []


def test_a_failed_rename_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "a.pdf"
    out.write_bytes(b"yesterday")

    def replace(src, dst):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match="could not be written"):
        write_file(b"%PDF new", out, replace=True)
    assert out.read_bytes() == b"yesterday" and names(tmp_path) == ["a.pdf"]


def test_the_data_is_synced_before_the_file_gets_its_name(tmp_path, monkeypatch):
    out = tmp_path / "a.pdf"
    seen = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (seen.append(out.exists()), real_fsync(fd)))
    write_file(b"%PDF", out)
    assert seen == [False] and out.exists()


def test_a_temp_name_that_exists_is_never_written_through(tmp_path, monkeypatch):
    """The temp file is made new (O_EXCL): a file or link already at its name (a planted symlink) is not opened."""
    import handouts.files

    monkeypatch.setattr(handouts.files.secrets, "token_hex", lambda n: "0" * (2 * n))
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    folder = tmp_path / "out"
    folder.mkdir()
    from handouts import tempfiles

    (folder / f"{tempfiles.prefix()}0000000000000000{tempfiles.SUFFIX}").symlink_to(victim)
    with pytest.raises(OutputError, match=r"^x: cannot write in .* \(File exists\); choose a folder you can write to"):
        write_file(b"%PDF", folder / "a.pdf", label="x")
    assert victim.read_bytes() == b"keep me" and not (folder / "a.pdf").exists()


def test_a_folder_that_cannot_take_a_temp_file(tmp_path, monkeypatch):
    def deny(path, flags, mode=0o777, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(OutputError) as err:
        write_file(b"%PDF", tmp_path / "a.pdf", label="x")
    assert str(err.value) == f"x: cannot write in {tmp_path} (Permission denied); choose a folder you can write to"


# ---- permissions --------------------------------------------------------------------------


@pytest.fixture
def umask():
    """Set the process umask for one test, restoring it after."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield lambda mask: os.umask(mask)
    os.umask(saved)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664), (0o027, 0o640)])
@pytest.mark.parametrize("how", ["new", "replace", "no-links"])
def test_files_get_the_permissions_the_umask_gives(tmp_path, monkeypatch, umask, mask, mode, how):
    umask(mask)
    out = tmp_path / "a.pdf"
    if how == "replace":
        out.write_bytes(b"old")
        os.chmod(out, 0o666)
    if how == "no-links":
        no_links(monkeypatch)
    write_file(b"%PDF", out, replace=how == "replace")
    assert os.stat(out).st_mode & 0o7777 == mode
    assert os.umask(mask) == mask, "the process umask is unchanged"


def test_the_process_umask_is_never_changed_while_writing(tmp_path, monkeypatch):
    def no_umask(mask):
        raise AssertionError("os.umask called: other threads would create files with the wrong permissions meanwhile")

    monkeypatch.setattr(os, "umask", no_umask)
    write_file(b"%PDF", tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF"


def _as_nobody() -> list[str] | None:
    """A command prefix that runs as an unprivileged user, or None."""
    if os.geteuid() != 0:
        return []  # already unprivileged
    if shutil.which("setpriv"):
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    if shutil.which("runuser"):
        return ["runuser", "-u", "nobody", "--"]
    return None


@pytest.fixture
def read_only_folder():
    """A folder nobody may write in, inside a folder anyone may enter (pytest's tmp_path is root's alone)."""
    base = Path(tempfile.mkdtemp(prefix="handouts-ro-"))
    try:
        os.chmod(base, 0o755)
        folder = base / "ro"
        folder.mkdir()
        (folder / "kept.pdf").write_bytes(b"yesterday")
        os.chmod(folder / "kept.pdf", 0o644)
        os.chmod(folder, 0o555)
        yield folder
    finally:
        os.chmod(base / "ro", 0o755)
        shutil.rmtree(base)


def _run_unprivileged(args: list[str], needs: str = "handouts") -> subprocess.CompletedProcess:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("running as root without setpriv or runuser: cannot test as an unprivileged user")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "PYTHONDONTWRITEBYTECODE": "1",
           "LANG": "C.UTF-8"}
    probe = subprocess.run([*prefix, sys.executable, "-c", f"import sys; sys.path.insert(0, {str(REPO)!r}); import {needs}"],
                           capture_output=True, text=True, env=env, cwd="/", timeout=120)
    if probe.returncode != 0:  # e.g. the checkout or the Python install is in a folder only root may enter
        pytest.skip(f"the unprivileged user cannot run this Python or read {REPO}: {probe.stderr.strip()[-300:]}")
    return subprocess.run([*prefix, sys.executable, *args], capture_output=True, text=True, env=env, cwd="/", timeout=120)


def test_a_read_only_folder_as_an_unprivileged_user(read_only_folder):
    code = (f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
            "from pathlib import Path\n"
            "from handouts.files import write_file\n"
            "from handouts.errors import OutputError\n"
            f"folder = Path({str(read_only_folder)!r})\n"
            "for name, replace in (('new.pdf', False), ('kept.pdf', True)):\n"
            "    try:\n"
            "        write_file(b'%PDF', folder / name, replace=replace, label=name)\n"
            "        print('WROTE', name)\n"
            "    except OutputError as exc:\n"
            "        print(exc)\n")
    done = _run_unprivileged(["-c", code], needs="handouts.files, handouts.errors")  # what the code imports (under mutmut: mutmut too)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"new.pdf: cannot write in {read_only_folder} (Permission denied); choose a folder you can write to",
        f"kept.pdf: cannot write in {read_only_folder} (Permission denied); choose a folder you can write to",
    ]
    assert names(read_only_folder) == ["kept.pdf"] and (read_only_folder / "kept.pdf").read_bytes() == b"yesterday"


def test_leaflet_into_a_read_only_folder_as_an_unprivileged_user(read_only_folder):
    out = read_only_folder / "x.pdf"
    done = _run_unprivileged(["-c", f"import sys; sys.path.insert(0, {str(REPO)!r}); from handouts.__main__ import main; main()",
                              "leaflet", "hip-pain", "-o", str(out)], needs="handouts, click, reportlab")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert f"-o {out}: cannot write in {read_only_folder} (Permission denied)" in done.stderr + done.stdout
    assert names(read_only_folder) == ["kept.pdf"]


# ---- batch: a file that appears meanwhile, a failed write ----------------------------------


def _batch_with(run, tmp_path, monkeypatch, *, before_write=None, links=True):
    """A two-row batch (files 2.pdf and 3.pdf) with a record; `before_write` runs after a row is made, before its write."""
    visits = tmp_path / "v.csv"
    visits.write_text("condition,patient\nhip-pain,Jane Doe\nlow-back-pain,Ana Ruiz\n", "utf-8")
    out, log = tmp_path / "out", tmp_path / "record.jsonl"
    real_attempt = handouts.deliver.batch.attempt

    def attempt(library, where, visit, output=None):
        made = real_attempt(library, where, visit, *([output] if output is not None else []))
        if before_write is not None:
            before_write(out, where)
        return made

    monkeypatch.setattr(handouts.deliver.batch, "attempt", attempt)
    if not links:
        no_links(monkeypatch)
    result = run("batch", visits, "--out-dir", out, "--jobs", "1", "--name", "{row}", "--record", log)
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()] if log.exists() else []
    return result, out, records


@pytest.mark.parametrize("links", [True, False])
def test_batch_a_file_that_appears_between_check_and_write_is_kept_and_reported(run, tmp_path, monkeypatch, links):
    def second_writer(out, where):
        if where.endswith("row 2"):
            (out / "2.pdf").write_bytes(b"the other writer's")

    result, out, records = _batch_with(run, tmp_path, monkeypatch, before_write=second_writer, links=links)
    assert result.exit_code == 1, result.output
    assert "1 of 2 ready (wrote 1 handout to" in result.output
    assert "row 2 (output): its file appeared in the folder meanwhile; use --force to replace it" in result.output
    assert (out / "2.pdf").read_bytes() == b"the other writer's"
    assert (out / "3.pdf").read_bytes().startswith(b"%PDF")
    assert [r["source"].rsplit(" ", 1)[-1] for r in records] == ["3"], "only the written file is recorded"
    assert names(out) == ["2.pdf", "3.pdf"]


def test_batch_a_failed_write_is_a_failed_row_and_not_recorded(run, tmp_path, monkeypatch):
    real_fsync = os.fsync

    def full_disk_for_row_2(out, where):
        def fsync(fd):
            if where.endswith("row 2"):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_fsync(fd)
        monkeypatch.setattr(os, "fsync", fsync)

    result, out, records = _batch_with(run, tmp_path, monkeypatch, before_write=full_disk_for_row_2)
    assert result.exit_code == 1, result.output
    assert "row 2 (output): its file: could not be written (No space left on device); check the folder and free space" in result.output
    assert "Jane" not in result.output
    assert names(out) == ["3.pdf"]
    assert len(records) == 1 and records[0]["source"].endswith("row 3") and records[0]["patient"] == "Ana Ruiz"
