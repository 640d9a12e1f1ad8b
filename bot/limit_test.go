package bot_test

import (
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
)

func TestLimiterNotifiesOnceThenDrops(t *testing.T) {
	l := bot.NewLimiter(5, 10*time.Second, 10)
	now := time.Unix(1000, 0)
	for i := range 5 {
		if v := l.Allow("u1", now); v != bot.Allowed {
			t.Fatalf("question %d: got %v, want Allowed", i+1, v)
		}
	}
	if v := l.Allow("u1", now); v != bot.Notify {
		t.Fatalf("6th question: got %v, want Notify", v)
	}
	if v := l.Allow("u1", now); v != bot.Drop {
		t.Fatalf("7th question: got %v, want Drop", v)
	}
	if v := l.Allow("u2", now); v != bot.Allowed {
		t.Fatalf("other user: got %v, want Allowed", v)
	}
	if v := l.Allow("u1", now.Add(2*time.Second)); v != bot.Allowed {
		t.Fatalf("after 2s: got %v, want Allowed", v)
	}
}

func TestLimiterForgetsLeastRecentUsers(t *testing.T) {
	l := bot.NewLimiter(1, time.Hour, 2)
	now := time.Unix(1000, 0)
	l.Allow("a", now)
	l.Allow("b", now)
	l.Allow("c", now) // evicts a
	if v := l.Allow("a", now); v != bot.Allowed {
		t.Fatalf("evicted user: got %v, want Allowed (fresh limiter)", v)
	}
	if v := l.Allow("c", now); v != bot.Notify {
		t.Fatalf("kept user: got %v, want Notify", v)
	}
}

func TestLimiterOff(t *testing.T) {
	l := bot.NewLimiter(0, time.Second, 0)
	for range 100 {
		if v := l.Allow("u", time.Unix(0, 0)); v != bot.Allowed {
			t.Fatalf("limiter off: got %v, want Allowed", v)
		}
	}
}
