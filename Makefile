# Two commands from a fresh clone: `make run` (build the graph from seeds/ and serve it) and
# `make test` (lint and the whole test suite). Each sets up its own virtual environment.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
OUT ?= build
PORT ?= 8080

.PHONY: run test build lint clean system-packages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(BIN)/conflict-ld build --seeds seeds --out $(OUT) --base-uri http://localhost:$(PORT)/

run: build
	$(BIN)/conflict-ld serve --out $(OUT) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

# Debian tools the tests drive (browsers, servers, parsers): listed in system-packages.txt and
# installed with apt-get only when one is missing, so a prepared machine skips the network.
system-packages:
	@pkgs="$$(grep -v '^#' system-packages.txt | awk '{print $$1}' | grep .)" || exit 0; \
	missing="$$(for p in $$pkgs; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

test: lint system-packages
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache *.egg-info

# Re-fetch YASGUI's built files for the query page from npm (see server/static/yasgui/README.md);
# `make update-yasgui YASGUI_VERSION=4.6.2` pins a version, the default is the latest.
.PHONY: update-yasgui
update-yasgui:
	scripts/update-yasgui.sh $(YASGUI_VERSION)
