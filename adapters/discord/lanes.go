package discord

import "sync"

// lanes runs jobs one at a time per conversation, in arrival order, and
// different conversations concurrently: "and Chenzhou?" must be answered after
// the question it follows, and one slow reply must not hold up other users.
type lanes struct {
	// spawn starts a tracked goroutine, or reports false when shutting down.
	spawn func(func()) bool

	mu      sync.Mutex
	waiting map[string][]func() // a key is present while its lane runs
}

// add queues job in key's lane, starting the lane if it is idle. It reports
// false when the job was refused because the bot is stopping.
func (l *lanes) add(key string, job func()) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.waiting == nil {
		l.waiting = map[string][]func(){}
	}
	if queue, busy := l.waiting[key]; busy {
		l.waiting[key] = append(queue, job)
		return true
	}
	l.waiting[key] = nil
	if !l.spawn(func() { l.drain(key, job) }) {
		delete(l.waiting, key)
		return false
	}
	return true
}

// drain runs job and then the lane's queued jobs until the lane is empty.
func (l *lanes) drain(key string, job func()) {
	for job != nil {
		job()
		job = l.next(key)
	}
}

// next pops key's next job, closing the lane when there is none.
func (l *lanes) next(key string) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	queue := l.waiting[key]
	if len(queue) == 0 {
		delete(l.waiting, key)
		return nil
	}
	l.waiting[key] = queue[1:]
	return queue[0]
}
