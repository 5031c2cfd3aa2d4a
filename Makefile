# The two set-up commands (README): `make run` and `make test`.
.PHONY: run test bench audit

run:
	scripts/bootstrap.sh runtime
	.venv/bin/python manage.py rundemo

test:
	scripts/test.sh

bench:
	scripts/bootstrap.sh dev
	.venv/bin/python -m bench

# Known vulnerabilities in the pinned requirements; fails when it could not audit (docs/security.md).
audit:
	scripts/bootstrap.sh dev
	.venv/bin/python scripts/audit.py
