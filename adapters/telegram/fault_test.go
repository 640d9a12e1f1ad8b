package telegram_test

import (
	"testing"
	"time"
)

// scripted injects, for each method, its faults in turn into every second
// call, then lets the calls through.
func scripted(faults map[string][]fault) faultPlan {
	return func(method string, n int) fault {
		if n%2 == 1 || n/2 > len(faults[method]) {
			return noFault
		}
		return faults[method][n/2-1]
	}
}

// TestFaults puts a proxy that fails, floods, stalls and hangs up between the
// bot and the Bot API. The bot must recover from all of it and answer every
// question exactly once, in order.
func TestFaults(t *testing.T) {
	const users = 6
	questions := readLines(t, "testdata/load.txt")[:6]
	h := newHarness(t, scripted(map[string][]fault{
		"getMe":       {fail500},
		"getUpdates":  {drop, fail500, slow, drop, flood429, fail500, drop},
		"sendMessage": {fail500, drop, slow, fail500, drop, flood429, slow, drop, fail500},
	}))
	opts := h.options()
	opts.RateLimit = -1

	want := map[int64][]string{}
	for i := range users {
		want[int64(6000+i)] = replay(t, questions, langOf(i))
	}
	r := h.start(opts)
	for i := range users {
		u := h.user(int64(6000+i), 0, langOf(i))
		for _, q := range questions {
			u.say(q)
		}
	}
	total := users * len(questions)
	if err := h.proxy.waitSent(total, 60*time.Second); err != nil {
		t.Fatalf("%d of %d answers sent: %v", h.proxy.sentCount(), total, err)
	}
	r.stop()

	for _, f := range []fault{fail500, flood429, slow, drop} {
		if h.proxy.injectedCount(f) == 0 {
			t.Errorf("no %v fault was injected; the test did not test it", f)
		}
	}
	for _, op := range []string{"getUpdates", "sendMessage"} {
		if r.obs.platformErrors(op) == 0 {
			t.Errorf("no %s failure counted by the observer", op)
		}
	}
	checkExactlyOnce(t, h, want)
}
