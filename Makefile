.PHONY: run test bench screenshot
run:   ## install (first time) and start the app with the offline model and the demo API
	bash scripts/run.sh
test:  ## install (first time) and run all tests and the shipped scenarios
	bash scripts/test.sh
bench: ## print the benchmark figures
	bash -c 'source scripts/_venv.sh && install_project && for b in benchmarks/*.py; do .venv/bin/python "$$b"; done'
screenshot: ## regenerate the README's pictures of the Chat page and its trace (docs/*.png; needs chromium)
	bash -c 'source scripts/_venv.sh && install_project test && .venv/bin/python scripts/screenshot.py'
