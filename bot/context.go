package bot

import (
	"container/list"
	"sync"
	"time"
)

// turn is what a conversation remembers of its last answered question, so
// that "and Chenzhou?" or "is it in Hunan?" can be resolved.
type turn struct {
	intent   Intent
	places   []string // place ids the question named
	answered []string // and the partner a partner_of answer named
	province string
	area     string
	task     int
	at       time.Time
}

// contexts is a bounded store of conversations' last turns: least recently
// used conversations are dropped past max, and a turn older than ttl is
// forgotten, so memory stays flat however many people ask.
type contexts struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	items map[string]*list.Element
	order *list.List // front = most recent
}

type contextEntry struct {
	id string
	t  turn
}

func newContexts(ttl time.Duration, max int) *contexts {
	return &contexts{ttl: ttl, max: max, items: map[string]*list.Element{}, order: list.New()}
}

// get returns the conversation's last turn, if it is recent enough.
func (c *contexts) get(id string, now time.Time) (turn, bool) {
	if id == "" {
		return turn{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[id]
	if !ok {
		return turn{}, false
	}
	e := el.Value.(*contextEntry)
	if now.Sub(e.t.at) > c.ttl {
		c.order.Remove(el)
		delete(c.items, id)
		return turn{}, false
	}
	c.order.MoveToFront(el)
	return e.t, true
}

// put records the conversation's last turn.
func (c *contexts) put(id string, t turn) {
	if id == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[id]; ok {
		el.Value.(*contextEntry).t = t
		c.order.MoveToFront(el)
		return
	}
	c.items[id] = c.order.PushFront(&contextEntry{id: id, t: t})
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*contextEntry).id)
	}
}

// len is how many conversations are remembered.
func (c *contexts) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
