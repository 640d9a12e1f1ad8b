# make test runs every check CI runs (.ci/run calls it). The last thing it
# prints is the scripted tests' own "N passed, M failed" summary.

GO ?= go
# The Telegram adapter's tests start a Bot API emulator written in Node.
EMULATOR := adapters/telegram/testdata/emulator

.PHONY: test deps vet fmt layout unit fuzz scripts run

test: deps vet fmt layout unit fuzz scripts

ifneq ($(wildcard $(EMULATOR)/package.json),)
deps: $(EMULATOR)/node_modules/.package-lock.json
$(EMULATOR)/node_modules/.package-lock.json: $(EMULATOR)/package.json $(EMULATOR)/package-lock.json
	npm ci --prefix $(EMULATOR) --no-audit --no-fund --loglevel=error
else
deps:
endif

vet:
	$(GO) vet ./...

fmt:
	@files=$$(gofmt -l $$($(GO) list -e -f '{{.Dir}}' ./...)); \
	if [ -n "$$files" ]; then echo "gofmt would change:"; echo "$$files"; exit 1; fi

# The layout rules: imports point one way; only main touches the process.
layout:
	$(GO) test -count=1 -run 'TestImportRules|TestProcessRules|TestReadmeSettingsTable' ./cmd/planbot

unit:
	$(GO) test -race ./...

# Each fuzz target runs briefly (go test takes one -fuzz target at a time); a
# crasher it finds is saved under bot/testdata/fuzz and replayed by every
# later go test as a regression test.
FUZZTIME ?= 8s
FUZZ_TARGETS := FuzzAnswer FuzzSuggested FuzzCommand FuzzNormalize FuzzFind
fuzz:
	@log=$$(mktemp); for t in $(FUZZ_TARGETS); do \
		echo "fuzz $$t for $(FUZZTIME)"; \
		$(GO) test ./bot -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) >$$log 2>&1 || { cat $$log; rm -f $$log; exit 1; }; \
	done; rm -f $$log

scripts:
	$(GO) run ./cmd/planbot test testdata/scripts

run:
	$(GO) run ./cmd/planbot
