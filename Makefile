# The two commands of the README: `make run` and `make test`. Both set up
# everything they need on a fresh machine (a virtualenv in .venv; Debian's
# Chromium for the browser tests and redis-server for the multi-server test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app web
STAMP := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
TRANSLATIONS := web/translations
CATALOGS := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/*.po))

.PHONY: run test install chromium redis npm bench

# Installs exactly the versions in constraints.txt, so an upstream release cannot
# change what CI runs; upgrading them is a deliberate commit (see the README).
$(STAMP): setup.cfg pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt --upgrade pip
	PIP_CONSTRAINT=$(CURDIR)/constraints.txt $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The compiled catalogs, readable by whichever user serves the app; the app refuses to
# start without them rather than show Spanish-speaking patients English.
$(CATALOGS): %.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@
	chmod 0644 $@

install: $(STAMP) $(CATALOGS)

# Serve the app at http://127.0.0.1:5000 on SQLite in ./instance; the first
# run creates the database and demo data (the demo nurse's password is printed once).
# The clinic's name and telephone number are required settings: `make run` uses demo
# values unless they are already set in the environment.
run: export PAIN_TRIAGE_CLINIC_NAME ?= Demo Pain Clinic
run: export PAIN_TRIAGE_CLINIC_PHONE ?= 555-0100
run: install
	$(FLASK) init
	$(FLASK) seed-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	    else echo "Chromium is missing: install Debian's 'chromium' package (the browser tests need it)" >&2; fi; }

# Redis shares login limits between the app servers of the multi-server test.
redis:
	@command -v redis-server >/dev/null 2>&1 || test -x /usr/bin/redis-server || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	    else echo "redis-server is missing: install Debian's 'redis-server' package (the multi-server test needs it)" >&2; fi; }

# LHC-Forms (npm `lforms`, pinned in package-lock.json) renders the FHIR Questionnaire in a
# browser test; it is served from node_modules, never from a CDN.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	    else echo "npm is missing: install Debian's 'npm' package (the LHC-Forms browser test needs it)" >&2; exit 1; fi; }
	npm ci --no-audit --no-fund
	touch $@

npm: node_modules/.package-lock.json

test: install chromium redis npm
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m triage.bench
