# README's two commands: `make demo` (route the sample orders) and `make test` (everything).
# Both install what is missing first and are quick when everything is already there.
.PHONY: demo test setup pkg editor bench

demo:
	bash scripts/demo.sh

test:
	bash scripts/test-all.sh

setup:
	bash scripts/setup.sh

pkg:
	bash scripts/build-pkg.sh

editor:
	bash www/serve.sh

bench:
	bash bench/run.sh
