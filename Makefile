# Thin wrappers over cargo and scripts/. See README.md.
CARGO ?= cargo

.PHONY: build run test lint docker-check k8s-check bench fmt clean-data

build:
	$(CARGO) build --workspace --bins

## run: build and start all five services on embedded SQLite (./data), logs prefixed by service; Ctrl-C stops all.
run: build
	@scripts/run-all.sh

## test: every test of the workspace (unit, in-process, end-to-end against the built binaries).
test:
	$(CARGO) build --workspace --bins
	$(CARGO) test --workspace

## lint: formatting, clippy (warnings are errors) and buf lint/format of the protos.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd proto && buf lint && buf format --diff --exit-code

## docker-check: lint the container build file offline (checkov's Dockerfile checks; no Docker engine needed).
docker-check:
	@scripts/docker-check.sh

## k8s-check: render the dev and prod overlays, validate them strictly offline, and hold them to the feed graph.
k8s-check:
	@scripts/k8s-check.sh

## bench: the load generator against PostgreSQL and SQLite (never run in CI).
bench:
	@scripts/bench.sh

fmt:
	$(CARGO) fmt --all
	cd proto && buf format -w

## clean-data: forget everything `make run` stored (databases, dev keys).
clean-data:
	rm -rf data
