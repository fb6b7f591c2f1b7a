# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
MANAGE := $(BIN)/python manage.py
APPS   := lms frontend courses webinars practice certificates
# Every language but English (the source): the codes of settings.LANGUAGES, see docs/translation.md.
LOCALES := ru uk

.PHONY: run test lint format install messages makemessages check deploy-check clean lighthouse screenshots node-tools

install: $(VENV)/.installed

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements/dev.txt
	touch $@

messages: install
	$(MANAGE) compile_translations

## Serve the platform on http://$(HOST):$(PORT) with the demo content (SQLite, in-memory channel layer).
run: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/daphne -b $(HOST) -p $(PORT) lms.asgi:application

## The whole suite on the embedded default; PostgreSQL/Redis/browser suites skip with a reason unless available.
## The browser journeys run in their own process: Playwright's event loop must not meet the asyncio tests.
test: messages node-tools
	$(BIN)/pytest -q -n 2 --dist loadgroup --ignore=tests/browser
	$(BIN)/pytest -q tests/browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Regenerate the .po catalogues of every language in LOCALES after changing strings (needs GNU gettext:
## apt-get install gettext). One language: `make makemessages LOCALES=uk`.
MAKEMESSAGES := ../$(BIN)/python ../manage.py makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --no-location --no-wrap --ignore 'tests/*'
makemessages: install
	for app in $(APPS); do (cd $$app && $(MAKEMESSAGES) && $(MAKEMESSAGES) -d djangojs) || exit 1; done

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

deploy-check: install
	DJANGO_ENV=production SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  CERTIFICATES_SIGNING_KEY=$$($(BIN)/python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
	  PRACTICE_ENCRYPTION_KEYS=$$($(BIN)/python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	  ALLOWED_HOSTS=learn.example.org $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* static

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## axe-core and Lighthouse from npm when npm is there; without it their tests skip with a reason.
node-tools:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/.installed; \
	else echo "npm not found: the axe-core accessibility test will be skipped"; fi

## Lighthouse (mobile) on the lesson, course and webinar pages; results in bench/results/.
lighthouse: install node_modules/.installed
	$(BIN)/python bench/lighthouse.py

## Screenshots of the key pages at 360 and 1280 px into docs/screenshots/ (needs `make run` in another shell).
screenshots: install
	$(BIN)/python docs/make_screenshots.py
