"""`make bundle`: one archive that installs the workbook on a machine with no network.

dist/jianfu-offline-<version>-py<X.Y>-linux_<machine>.tar.gz holds the project's
wheel, every dependency as a wheel for this platform and Python (``pip wheel``,
so pip's cache is reused), install.sh and 安装说明.md (deploy/bundle/, with the
version filled in) and the deploy/ files (systemd units, nginx site, env example).
Wheels are platform-specific: build on the platform and Python you install on.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "deploy"
EXTRAS = "postgres"  # a county's nodes share one PostgreSQL: the driver comes along
DEPLOY_FILES = ["jianfu.env.example", "systemd", "nginx"]


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def python_version(python: str) -> str:
    code = "import sys; print('%d.%d' % sys.version_info[:2])"
    return subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def bundle_name(python: str) -> str:
    return f"jianfu-offline-{version()}-py{python_version(python)}-linux_{platform.machine()}"


def _pip(python: str, *args: str) -> None:
    done = subprocess.run([python, "-m", "pip", *args], capture_output=True, text=True)
    if done.returncode:  # only a failure's output is worth reading
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise SystemExit(f"pip {args[0]} failed ({done.returncode})")


def build(out_dir: Path = ROOT / "dist", python: str = sys.executable) -> Path:
    """Write the archive into ``out_dir``; returns its path."""
    name = bundle_name(python)
    with tempfile.TemporaryDirectory(prefix="jianfu-bundle-") as work:
        stage = Path(work) / name
        wheels = stage / "wheels"
        _pip(python, "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT))
        project = next(wheels.glob("jianfu-*.whl"))
        _pip(python, "wheel", "-q", "-w", str(wheels), f"{project}[{EXTRAS}]")
        fill = {"@VERSION@": version(), "@PYTHON_VERSION@": python_version(python)}
        for template in ("install.sh", "安装说明.md"):
            text = (HERE / "bundle" / template).read_text(encoding="utf-8")
            for key, value in fill.items():
                text = text.replace(key, value)
            (stage / template).write_text(text, encoding="utf-8")
        (stage / "install.sh").chmod(0o755)
        for item in DEPLOY_FILES:
            source = HERE / item
            if source.is_dir():
                shutil.copytree(source, stage / "deploy" / item)
            else:
                (stage / "deploy").mkdir(exist_ok=True)
                shutil.copy2(source, stage / "deploy" / item)
        out_dir.mkdir(parents=True, exist_ok=True)
        archive = out_dir / f"{name}.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(stage, arcname=name)
    return archive


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the offline install bundle")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="folder for the archive")
    parser.add_argument("--python", default=sys.executable, help="interpreter the wheels are for")
    args = parser.parse_args()
    archive = build(Path(args.out), args.python)
    print(f"{archive} ({archive.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
