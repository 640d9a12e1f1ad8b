package discord_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/adapters/discord"
	"github.com/planbot/planbot/adapters/discord/discordtest"
)

// TestSendErrorsAreLoggedAndCounted refuses one request of each kind the bot
// makes: the failure is logged (without secrets: the harness checks) and
// counted by operation, and the bot goes on answering.
func TestSendErrorsAreLoggedAndCounted(t *testing.T) {
	t.Parallel()
	h := start(t, setup{
		before: func(f *discordtest.Server) { f.Refuse(discordtest.KindCommands, 1) },
	})
	h.allowRejected = true
	partner := ask(t, "partner")
	tests := []struct {
		name string
		kind discordtest.Kind
		do   func(t *testing.T) // the request that is refused
		op   string
	}{
		{name: "command registration", op: "register_commands"},
		{name: "channel message", kind: discordtest.KindMessage, op: "send_message", do: func(t *testing.T) {
			h.fake.PostMessage(discordtest.UserMessage{MentionBot: true, Content: mentionBot(partner.text)})
		}},
		{name: "interaction response", kind: discordtest.KindCallback, op: "interaction_respond", do: func(t *testing.T) {
			h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionCommand, Command: "ask", Options: []discordtest.Option{questionOption(partner.text)}})
		}},
		{name: "follow-up", kind: discordtest.KindFollowup, op: "interaction_followup", do: func(t *testing.T) {
			h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionCommand, Command: "about"})
		}},
		{name: "autocomplete", kind: discordtest.KindCallback, op: "autocomplete", do: func(t *testing.T) {
			h.fake.PostInteraction(discordtest.UserInteraction{Type: discordtest.InteractionAutocomplete, Command: "ask", Options: []discordtest.Option{{Name: "question", Focused: true}}})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.do != nil {
				h.fake.Refuse(tc.kind, 1)
				tc.do(t)
			}
			h.obs.wait(t, func() bool {
				h.obs.mu.Lock()
				defer h.obs.mu.Unlock()
				return slices.Contains(h.obs.ops, tc.op)
			})
			if logs := h.logs.String(); !strings.Contains(logs, "op="+tc.op) {
				t.Errorf("no log line for the failed %s:\n%s", tc.op, logs)
			}
			if got := h.mention(t, "", "", partner.text, 1)[0]; !contains(got.Message.Content, partner.want) {
				t.Errorf("after the failure: Answer(%q) = %q; want it to contain %q", partner.text, got.Message.Content, partner.want)
			}
		})
	}
	t.Run("registration is retried on the next connection", func(t *testing.T) {
		if err := h.fake.Reconnect(); err != nil {
			t.Fatal(err)
		}
		regs := h.waitRequests(t, 2, func(r discordtest.Request) bool { return r.Kind == discordtest.KindCommands })
		if regs[1].Status != 200 {
			t.Errorf("second registration answered %d (%s); want 200", regs[1].Status, regs[1].Problem)
		}
	})
}

// TestAnswersWithoutReadMessageHistory: without the permission to reply, the
// answer is sent as a plain message instead of being lost.
func TestAnswersWithoutReadMessageHistory(t *testing.T) {
	t.Parallel()
	h := start(t, setup{fake: discordtest.Options{NoMessageHistory: true}})
	h.allowRejected = true
	partner := ask(t, "partner")
	_, ch := h.fake.PostMessage(discordtest.UserMessage{MentionBot: true, Content: mentionBot(partner.text)})
	got := h.waitRequests(t, 2, inChannel(ch))
	if got[0].Status != 403 || got[0].Message.Reference == nil {
		t.Fatalf("first attempt: %d with reference %v; want the reply refused with 403", got[0].Status, got[0].Message.Reference)
	}
	if got[1].Status != 200 || got[1].Message.Reference != nil || !contains(got[1].Message.Content, partner.want) {
		t.Errorf("second attempt: %d, reference %v, %q; want the answer as a plain message", got[1].Status, got[1].Message.Reference, got[1].Message.Content)
	}
	if n := h.obs.errors.Load(); n != 0 {
		t.Errorf("%d platform errors counted; want none, the answer went out", n)
	}
}

// TestStopWhileTheGatewayHangs ends Run while the gateway has accepted the
// connection but never said HELLO: Run must not wait for it.
func TestStopWhileTheGatewayHangs(t *testing.T) {
	t.Parallel()
	h := start(t, setup{fake: discordtest.Options{SilentGateway: true}, noReady: true})
	h.waitGateway(t, 1, func(e discordtest.GatewayEvent) bool { return e.Name == "CONNECTED" })
	stopped := time.Now()
	h.stop()
	select {
	case <-h.done:
		if h.runErr != nil {
			t.Errorf("Run = %v; want nil after its context ends", h.runErr)
		}
		if took := time.Since(stopped); took > 5*time.Second {
			t.Errorf("Run returned %v after its context ended; want promptly", took)
		}
	case <-time.After(wait):
		t.Fatalf("Run did not return %v after its context ended, with the gateway silent", wait)
	}
	if h.obs.connected.Load() != 0 {
		t.Errorf("Observer.Connected was called; the bot never got READY")
	}
}

// TestRunTwice refuses a second Run of the same Bot.
func TestRunTwice(t *testing.T) {
	t.Parallel()
	var bot *discord.Bot
	h := start(t, setup{bot: func(b *discord.Bot) { bot = b }})
	if err := bot.Run(h.ctx); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("second Run = %v; want an error saying Run was called twice", err)
	}
}
