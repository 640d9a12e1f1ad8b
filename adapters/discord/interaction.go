package discord

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/planbot/planbot/bot"
)

// maxChoices and maxChoiceLen are Discord's limits on autocomplete choices.
const (
	maxChoices   = 25
	maxChoiceLen = 100
)

// onInteraction answers slash commands, suggestion buttons and autocomplete.
func (b *Bot) onInteraction(ctx context.Context, i *discordgo.Interaction) {
	if i == nil {
		return
	}
	user := interactionUser(i)
	if user == nil || user.Bot {
		return
	}
	q := bot.Question{ConversationID: conversation(i.ChannelID, user.ID), Locale: string(i.Locale)}
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		b.spawn(func() { b.autocomplete(ctx, i) })
	case discordgo.InteractionApplicationCommand:
		b.answerInteraction(ctx, i, user.ID, q, func(q bot.Question) bot.Answer { return b.command(ctx, i, q) })
	case discordgo.InteractionMessageComponent:
		b.answerInteraction(ctx, i, user.ID, q, func(q bot.Question) bot.Answer { return b.suggestion(ctx, i, q) })
	default:
		b.log.Debug("ignoring interaction", "type", i.Type.String())
	}
}

// interactionUser is who used the interaction: the member in a guild, the
// user in a direct message.
func interactionUser(i *discordgo.Interaction) *discordgo.User {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	return i.User
}

// command answers a slash command; an unknown one gets the help text.
func (b *Bot) command(ctx context.Context, i *discordgo.Interaction, q bot.Question) bot.Answer {
	data := i.ApplicationCommandData()
	cmd, ok := b.commands[data.Name]
	if !ok {
		return b.engine.Command(ctx, bot.CommandHelp, q)
	}
	for _, o := range data.Options {
		if o != nil && o.Type == discordgo.ApplicationCommandOptionString {
			text, _ := o.Value.(string)
			q.Text = strings.TrimSpace(q.Text + " " + text)
		}
	}
	return b.engine.Command(ctx, cmd, q)
}

// suggestion answers a pressed suggestion button by asking its question; a
// button the engine no longer knows gets the help text.
func (b *Bot) suggestion(ctx context.Context, i *discordgo.Interaction, q bot.Question) bot.Answer {
	key, ok := strings.CutPrefix(i.MessageComponentData().CustomID, suggestionPrefix)
	if ok {
		q.Text, ok = b.engine.Suggested(key, bot.LocaleOf(q.Locale))
	}
	if !ok {
		return b.engine.Command(ctx, bot.CommandHelp, q)
	}
	return b.engine.Answer(ctx, q)
}

// answerInteraction queues the interaction in its conversation's lane and
// makes sure Discord hears back within three seconds: if the answer is not
// ready after deferAfter, a deferred response goes out first and the answer
// then replaces it.
func (b *Bot) answerInteraction(ctx context.Context, i *discordgo.Interaction, userID string, q bot.Question, answer func(bot.Question) bot.Answer) {
	p := &pending{b: b, i: i, settled: make(chan struct{})}
	if b.deferAfter > 0 && !b.spawn(func() { p.deferLater(ctx, b.deferAfter) }) {
		return
	}
	added := b.lanes.add(q.ConversationID, func() {
		if b.deferAfter <= 0 {
			p.deferNow(ctx)
		}
		switch b.limiter.Allow(userID, time.Now()) {
		case bot.Allowed:
			p.respond(ctx, format(answer(q)), false)
		case bot.Notify, bot.Drop:
			// An interaction must be answered, and only its user sees an
			// ephemeral notice, so it is repeated rather than dropped.
			b.observer.RateLimited()
			p.respond(ctx, notice(bot.RateLimitNotice(bot.QuestionLocale(q))), true)
		default:
			b.log.Error("unknown rate limit verdict; dropping the interaction")
			p.settle()
		}
	})
	if !added {
		p.settle()
	}
}

// autocomplete offers the example questions that contain what the user typed.
func (b *Bot) autocomplete(ctx context.Context, i *discordgo.Interaction) {
	typed := ""
	for _, o := range i.ApplicationCommandData().Options {
		if o != nil && o.Focused {
			typed, _ = o.Value.(string)
		}
	}
	typed = strings.ToLower(strings.TrimSpace(typed))
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, ex := range bot.Examples(bot.LocaleOf(string(i.Locale))) {
		if len(choices) == maxChoices {
			break
		}
		if len([]rune(ex)) > maxChoiceLen || !strings.Contains(strings.ToLower(ex), typed) {
			continue
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: ex, Value: ex})
	}
	err := b.session.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}, discordgo.WithContext(ctx))
	if err != nil {
		b.failed("autocomplete", err, i.Token)
	}
}

// ackState is how far an interaction's response has got.
type ackState int

const (
	unanswered ackState = iota
	deferred            // Discord shows "thinking…" until the answer replaces it
	answered
)

// pending is an interaction waiting for its response. Its mutex is held
// across the REST calls so the deferral and the answer cannot cross.
type pending struct {
	b       *Bot
	i       *discordgo.Interaction
	settled chan struct{} // closed once the answer is on its way
	once    sync.Once

	mu    sync.Mutex
	state ackState
}

// settle stops the deferral timer.
func (p *pending) settle() { p.once.Do(func() { close(p.settled) }) }

// deferLater sends a deferred response unless the answer comes first.
func (p *pending) deferLater(ctx context.Context, after time.Duration) {
	t := time.NewTimer(after)
	defer t.Stop()
	select {
	case <-p.settled:
	case <-t.C:
		p.deferNow(ctx)
	}
}

// deferNow sends a deferred response unless the interaction has one.
func (p *pending) deferNow(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != unanswered {
		return
	}
	err := p.b.session.InteractionRespond(p.i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
	}, discordgo.WithContext(ctx))
	if err != nil {
		p.b.failed("interaction_defer", err, p.i.Token)
		return // the answer will try a full response instead
	}
	p.state = deferred
}

// respond sends the reply: as the interaction's response, or as an edit of
// the deferred one, with the remaining chunks as follow-up messages.
func (p *pending) respond(ctx context.Context, r reply, ephemeral bool) {
	p.settle()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(r.chunks) == 0 {
		p.b.log.Warn("empty answer; nothing to send")
		return
	}
	var flags discordgo.MessageFlags
	if ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	opt := discordgo.WithContext(ctx)
	s, i := p.b.session, p.i
	switch p.state {
	case deferred:
		edit := &discordgo.WebhookEdit{Content: &r.chunks[0], AllowedMentions: noPings()}
		if c := r.componentsFor(0); len(c) > 0 {
			edit.Components = &c
		}
		if _, err := s.InteractionResponseEdit(i, edit, opt); err != nil {
			p.b.failed("interaction_edit", err, i.Token)
			return
		}
	default:
		err := s.InteractionRespond(i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content:         r.chunks[0],
				Components:      r.componentsFor(0),
				AllowedMentions: noPings(),
				Flags:           flags,
			},
		}, opt)
		if err != nil {
			p.b.failed("interaction_respond", err, i.Token)
			return
		}
	}
	p.state = answered
	for n, chunk := range r.chunks[1:] {
		_, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{
			Content:         chunk,
			Components:      r.componentsFor(n + 1),
			AllowedMentions: noPings(),
			Flags:           flags,
		}, opt)
		if err != nil {
			p.b.failed("interaction_followup", err, i.Token)
			return
		}
	}
}
