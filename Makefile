# The two commands of README.md: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
VNU_VERSION ?= 26.9.27
VNU_JAR := .cache/vnu.jar

.PHONY: run test install system-packages messages messages-update vnu migrate demo lint format migrations-check ci clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The libraries WeasyPrint needs for the funder's report in PDF (Pango, HarfBuzz's subsetter, a
# font), as WeasyPrint's documentation lists them for Debian. Installed when missing if we may
# (root with apt-get); otherwise the command to run is printed.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && apt-get install -y -qq $$missing; \
	else \
		echo "The PDF report needs: sudo apt-get install -y" $$missing; \
	fi

# Compiled catalogues (.mo) are built from the committed .po files, never committed.
messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

# After changing a visible string: extract, then translate what was added in locale/*/django.po.
messages-update: install
	$(MANAGE) makemessages -l es -l pt -l fr -l en --no-obsolete --no-location \
		--ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=node_modules

migrate: install
	$(MANAGE) migrate --no-input -v1

demo: migrate
	$(MANAGE) load_demo_data
	$(MANAGE) load_demo_work_plan
	$(MANAGE) load_demo_applications
	$(MANAGE) create_local_accounts

run: system-packages messages demo
	$(MANAGE) runserver $(HOST)

# The Nu HTML checker used by tests/allas/test_html_valid.py (downloaded once from npm).
$(VNU_JAR):
	mkdir -p .cache
	cd .cache && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
		tar -xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar && \
		mv package/build/dist/vnu.jar vnu.jar && rm -rf package vnu-jar-$(VNU_VERSION).tgz \
		|| echo "Could not fetch vnu.jar (npm needed); the HTML validity test will skip."

vnu: $(VNU_JAR)

test: system-packages messages
	-@$(MAKE) --no-print-directory vnu
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# Style, then the layers contract of pyproject.toml (front → joining | opendata | results → activities → partners → allas).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

ci:
	.ci/run

clean:
	rm -rf $(VENV) .cache staticfiles test-artifacts
