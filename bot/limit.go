package bot

import (
	"container/list"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a per-user rate limit shared by the adapters: a user may ask
// burst questions per window; past that, the first refused question gets
// one notice and the rest are dropped quietly until the user is allowed again.
// It keeps at most maxUsers users (least recently seen are forgotten), so
// memory stays flat. Safe for concurrent use.
type Limiter struct {
	mu       sync.Mutex
	every    rate.Limit
	burst    int
	maxUsers int
	users    map[string]*list.Element
	order    *list.List // front = most recently seen
}

type limitedUser struct {
	id       string
	limiter  *rate.Limiter
	notified bool
}

// Verdict is what to do with one question.
type Verdict int

// The verdicts Limiter.Allow gives.
const (
	Allowed Verdict = iota // answer it
	Notify                 // refuse it and send RateLimitNotice, once
	Drop                   // refuse it quietly: the user was already told
)

// NewLimiter allows burst questions per window per user. A burst of zero or
// less turns limiting off.
func NewLimiter(burst int, window time.Duration, maxUsers int) *Limiter {
	if maxUsers <= 0 {
		maxUsers = 100_000
	}
	l := &Limiter{burst: burst, maxUsers: maxUsers, users: map[string]*list.Element{}, order: list.New()}
	if burst > 0 && window > 0 {
		l.every = rate.Every(window / time.Duration(burst))
	}
	return l
}

// Allow decides what to do with a question from user, asked now.
func (l *Limiter) Allow(user string, now time.Time) Verdict {
	if l == nil || l.burst <= 0 || l.every == 0 {
		return Allowed
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var u *limitedUser
	if el, ok := l.users[user]; ok {
		l.order.MoveToFront(el)
		u = el.Value.(*limitedUser)
	} else {
		u = &limitedUser{id: user, limiter: rate.NewLimiter(l.every, l.burst)}
		l.users[user] = l.order.PushFront(u)
		if l.order.Len() > l.maxUsers {
			oldest := l.order.Back()
			l.order.Remove(oldest)
			delete(l.users, oldest.Value.(*limitedUser).id)
		}
	}
	if u.limiter.AllowN(now, 1) {
		u.notified = false
		return Allowed
	}
	if u.notified {
		return Drop
	}
	u.notified = true
	return Notify
}
