package discord_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/planbot/planbot/adapters/discord"
	"github.com/planbot/planbot/adapters/discord/discordtest"
)

func fromBot(op int) func(discordtest.GatewayEvent) bool {
	return func(e discordtest.GatewayEvent) bool { return e.FromBot && e.Op == op }
}

func TestGatewayFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault func(*discordtest.Server) error
		// resumes: the session survives, so a question asked during the
		// fault is replayed and answered; otherwise Discord drops it, and the
		// test asks only once the new session is READY.
		resumes bool
	}{
		{name: "op 7 reconnect", fault: (*discordtest.Server).Reconnect, resumes: true},
		{name: "abrupt close", fault: (*discordtest.Server).DropConnection, resumes: true},
		{name: "op 9 invalid session", fault: (*discordtest.Server).InvalidateSession},
		{name: "abrupt close, then op 9 answers the resume", fault: func(s *discordtest.Server) error {
			s.ExpireSession()
			return s.DropConnection()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, setup{})
			partner, yanan := ask(t, "partner"), ask(t, "yanan")
			before := h.mention(t, "", "", partner.text, 1)[0]
			if !contains(before.Message.Content, partner.want) {
				t.Fatalf("before the fault: Answer(%q) = %q; want it to contain %q", partner.text, before.Message.Content, partner.want)
			}
			if err := tc.fault(h.fake); err != nil {
				t.Fatalf("fault: %v", err)
			}
			if tc.resumes {
				// Asked while the bot is away: the fake keeps it for the RESUME.
				got := h.mention(t, "", "", yanan.text, 1)[0]
				if !contains(got.Message.Content, yanan.want) {
					t.Errorf("asked during the fault: Answer(%q) = %q; want it to contain %q", yanan.text, got.Message.Content, yanan.want)
				}
				h.waitGateway(t, 1, fromBot(discordtest.OpResume))
				h.waitGateway(t, 1, dispatched("RESUMED"))
			} else {
				h.waitGateway(t, 2, fromBot(discordtest.OpIdentify))
				h.waitGateway(t, 2, dispatched("READY"))
			}
			if got := h.mention(t, "", "", partner.text, 1)[0]; !contains(got.Message.Content, partner.want) {
				t.Errorf("after the fault: Answer(%q) = %q; want it to contain %q", partner.text, got.Message.Content, partner.want)
			}
			_, slash := h.slash(t, "", "", "", "ask", questionOption(partner.text))
			if !contains(slash.Message.Content, partner.want) {
				t.Errorf("after the fault: /ask %q = %q; want it to contain %q", partner.text, slash.Message.Content, partner.want)
			}
			if n := len(h.waitRequests(t, 1, inChannel(before.ChannelID))); n != 1 {
				t.Errorf("the question before the fault was answered %d times; want once", n)
			}
		})
	}
}

func TestGatewayRepeatedFaults(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	partner := ask(t, "partner")
	sessions := func(e discordtest.GatewayEvent) bool { return dispatched("READY")(e) || dispatched("RESUMED")(e) }
	faults := []struct {
		name  string
		fault func(*discordtest.Server) error
	}{
		{"op 7", (*discordtest.Server).Reconnect},
		{"abrupt close", (*discordtest.Server).DropConnection},
		{"op 9", (*discordtest.Server).InvalidateSession},
		{"op 7 again", (*discordtest.Server).Reconnect},
	}
	for _, f := range faults {
		before := len(h.waitGateway(t, 1, sessions))
		if err := f.fault(h.fake); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		h.waitGateway(t, before+1, sessions)
		if got := h.mention(t, "", "", partner.text, 1)[0]; !contains(got.Message.Content, partner.want) {
			t.Errorf("after %s: Answer(%q) = %q; want it to contain %q", f.name, partner.text, got.Message.Content, partner.want)
		}
	}
}

func TestFatalStartErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fake  discordtest.Options
		token string // prefixed to the fake's token, making it wrong
		want  string
	}{
		{name: "token refused by the API", token: "wrong-", want: "401"},
		{name: "authentication failed on the gateway", fake: discordtest.Options{CloseOnIdentify: 4004}, want: "4004"},
		{name: "disallowed intents", fake: discordtest.Options{CloseOnIdentify: 4014}, want: "4014"},
		{name: "invalid shard", fake: discordtest.Options{CloseOnIdentify: 4010}, want: "4010"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, setup{
				fake:    tc.fake,
				noReady: true,
				opts:    func(o *discord.Options) { o.Token = tc.token + o.Token },
			})
			h.allowRejected = true
			// Run must end by itself, not retry forever.
			err := h.waitRun(t)
			if !errors.Is(err, discord.ErrRejected) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run = %v; want an error wrapping ErrRejected that names %s", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), h.fake.Token()) {
				t.Errorf("Run's error %q contains the token", err)
			}
			if n := len(h.fake.GatewayEvents()); n > 0 && tc.token != "" {
				t.Errorf("the bot connected to the gateway with a refused token")
			}
		})
	}
}
