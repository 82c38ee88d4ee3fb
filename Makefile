# The project's commands. `make run` and `make test` install what they need first.
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/npm/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run dev check test setup build bench pumping size devloop clean-data

## run: release build, served on http://localhost:3000 (emulator unless credentials are set)
run:
	./scripts/setup.sh build
	cargo leptos serve --release --precompress

## dev: rebuild and reload the browser on every save; view edits outside <Suspense> patched in place first (cargo leptos watch --hot-reload)
dev:
	./scripts/setup.sh build
	cargo leptos watch --hot-reload

## check: the quick loop: fmt, clippy (server + wasm), unit, model and service tests; no browser, load or fuzz
check:
	./scripts/setup.sh build
	./scripts/check.sh

## test: fmt, clippy (server + wasm), unit, integration and browser tests
test:
	./scripts/setup.sh test
	./scripts/test.sh

## build: release build only
build:
	./scripts/setup.sh build
	cargo leptos build --release --precompress

## bench: release build, then login flows/s, latency and server memory (memory, SQLite, 2 instances on Redis)
bench:
	./scripts/setup.sh bench
	cargo leptos build --release --precompress
	cargo run --release -p bench --bin bench -- $(BENCH_ARGS)
	cargo run --release -p bench --bin pumping

## pumping: release build, then the SMS-pumping simulator (codes to the attacked prefix, honest sign-ins refused, per guard mode)
pumping:
	./scripts/setup.sh build
	cargo leptos build --release --precompress
	cargo run --release -p bench --bin pumping -- $(PUMPING_ARGS)

## devloop: under `make dev`: save → browser reloaded for a view and a server-function edit (medians), and whether view edits are hot-patched
devloop:
	./scripts/devloop.sh

## size: release bundle sizes, raw and brotli
size:
	./scripts/setup.sh build
	cargo leptos build --release --precompress
	./scripts/size.sh

## setup: install the toolchain pieces (wasm target, cargo-leptos, wasm-bindgen, wasm-opt, test deps)
setup:
	./scripts/setup.sh test

## clean-data: forget all sessions stored in the default SQLite file
clean-data:
	rm -f data/sessions.db data/sessions.db-shm data/sessions.db-wal
