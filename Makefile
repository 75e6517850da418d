# 基层减负工作簿 — the two commands: `make app` (serve the apps) and `make test` (every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8866
# make test's workers: one more than the cores. Browser and server tests spend part of their
# time waiting on pages and kernels, so a third worker on two cores keeps both busy (pytest
# 480 s -> 392 s in one quiet comparison). WORKERS=2 to run one per core.
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: app demo test test-fast lint bench bundle system-deps clean

# Tests keep their compiled (and assertion-rewritten) modules between runs: without
# them every pytest process spends ~15 s recompiling before the first test.
unexport PYTHONDONTWRITEBYTECODE

app: $(STAMP)  ## serve the apps on 127.0.0.1 with the embedded SQLite database (demo data if empty)
	$(BIN)/jianfu serve --port $(PORT)

demo: $(STAMP)  ## create (or top up) the demo database without serving
	$(BIN)/jianfu demo

test: $(STAMP) system-deps  ## lint, then every test: unit, widget, nbval, PostgreSQL, browser (Voila + Chromium)
	$(BIN)/ruff check jianfu widgets tests benchmarks
	$(BIN)/pytest tests --nbval-lax notebooks -n $(WORKERS) --dist loadscope --no-loadscope-reorder --durations=15

test-fast: $(STAMP)  ## the one-minute loop: everything but browser, PostgreSQL and slow tests
	$(BIN)/pytest tests --nbval-lax notebooks -n auto --dist loadscope --no-loadscope-reorder -m "not browser and not slow and not postgres"

lint: $(STAMP)
	$(BIN)/ruff check jianfu widgets tests benchmarks
	$(BIN)/ruff format --check jianfu widgets tests benchmarks

bench: $(STAMP) system-deps  ## benchmarks: ratios against baselines measured in the same run
	$(BIN)/python benchmarks/bench_compare.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_assess.py
	$(BIN)/python benchmarks/bench_draft.py
	$(BIN)/python benchmarks/bench_collect.py
	$(BIN)/python benchmarks/bench_registers.py

bundle: $(STAMP)  ## offline installer: dist/jianfu-offline-<version>-py3.11-linux_x86_64.tar.gz (wheels for this platform)
	$(BIN)/python deploy/bundle.py --out dist

# uv installs the dependencies (downloads in parallel: ~35 s where pip took ~75 s); pip stays
# in the venv for `make bundle`, which builds the offline wheels with `pip wheel`.
$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更新版本"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/python -m uv pip install -q --python $(BIN)/python -e ".[test]"
	touch $(STAMP)

# Debian's chromium and CJK fonts (browser tests, chart export), PostgreSQL server
# binaries (tests/test_store_postgres.py), LibreOffice Writer and poppler's pdftotext
# (tests/test_speech_layout.py renders the Word export), nginx (tests/test_deploy.py runs
# nginx -t and a real proxy on deploy/nginx/jianfu.conf); the missing ones are installed
# when running as root (CI, fresh machines), otherwise only reported.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "缺少$$missing：请以 root 运行 apt-get install$$missing"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
