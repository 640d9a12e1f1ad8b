package discord

import "time"

// SetDeferAfter changes how long interactions wait before being deferred, so
// tests can force the deferred path with the real engine.
func SetDeferAfter(b *Bot, d time.Duration) { b.deferAfter = d }
