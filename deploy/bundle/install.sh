#!/bin/sh
# 基层减负工作簿 offline installer: ./install.sh [install folder, default ~/jianfu]
# Creates a venv from this bundle's wheels only (no network, no package index), then
# loads the demo data. PYTHON=/path/to/python3.X picks another interpreter.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-${JIANFU_HOME:-$HOME/jianfu}}
python=${PYTHON:-python3}
need="@PYTHON_VERSION@"

have=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || {
    echo "找不到 $python：请先安装 Python $need" >&2; exit 1; }
if [ "$have" != "$need" ]; then
    echo "本安装包只适用于 Python $need（$python 为 $have）：请用 PYTHON=python$need ./install.sh，" >&2
    echo "或在有网络的同类机器上为 Python $have 重新生成安装包（见 安装说明.md）" >&2
    exit 1
fi

# Only the wheels in this bundle: no pip configuration, no index, no other folder.
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_CONSTRAINT PIP_REQUIREMENT || true

echo "正在创建虚拟环境：$prefix/venv"
"$python" -m venv "$prefix/venv" || {
    echo "无法创建虚拟环境：Debian/Ubuntu 请先安装 python$need-venv（apt-get install python3-venv）" >&2
    exit 1; }
echo "正在安装（只用安装包中的文件，不需要网络）……"
"$prefix/venv/bin/python" -m pip install -q --no-index --find-links "$here/wheels" "jianfu[postgres]==@VERSION@"
"$prefix/venv/bin/jianfu" demo
echo "安装完成。启动：$prefix/venv/bin/jianfu serve（自评服务：$prefix/venv/bin/jianfu serve --public）"
