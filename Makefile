# The two set-up commands (README): `make run` and `make test`.
.PHONY: run test bench

run:
	scripts/bootstrap.sh runtime
	.venv/bin/python manage.py rundemo

test:
	scripts/test.sh

bench:
	scripts/bootstrap.sh dev
	.venv/bin/python -m bench
