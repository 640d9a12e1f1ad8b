package discordtest

import (
	"strings"
	"testing"
)

// The fake is the oracle of the adapter's tests: it must refuse what Discord
// refuses and tell a null parse list from an empty one.
func TestCheckMessage(t *testing.T) {
	button := func(id string) string {
		return `{"type":2,"style":2,"label":"Q","custom_id":"` + id + `"}`
	}
	tests := []struct {
		name, body  string
		needContent bool
		problem     string // part of the problem; "" for none
		pingsNobody bool
	}{
		{name: "plain", body: `{"content":"hi","allowed_mentions":{"parse":[]}}`, needContent: true, pingsNobody: true},
		{name: "null parse list", body: `{"content":"hi","allowed_mentions":{"parse":null}}`, needContent: true},
		{name: "no allowed_mentions", body: `{"content":"hi"}`, needContent: true},
		{name: "users allowed", body: `{"content":"hi","allowed_mentions":{"parse":["users"]}}`, needContent: true},
		{name: "replied user pinged", body: `{"content":"hi","allowed_mentions":{"parse":[],"replied_user":true}}`, needContent: true},
		{name: "2000 characters", body: `{"content":"` + strings.Repeat("长", 2000) + `"}`, needContent: true},
		{name: "2001 characters", body: `{"content":"` + strings.Repeat("a", 2001) + `"}`, needContent: true, problem: "2001 characters"},
		{name: "empty message", body: `{"content":""}`, needContent: true, problem: "empty"},
		{name: "empty edit", body: `{}`},
		{name: "invalid UTF-8", body: "{\"content\":\"\xff\"}", needContent: true, problem: "UTF-8"},
		{name: "duplicate custom ids", body: `{"content":"x","components":[{"type":1,"components":[` + button("s:a") + `,` + button("s:a") + `]}]}`, needContent: true, problem: "twice"},
		{name: "six buttons in a row", body: `{"content":"x","components":[{"type":1,"components":[` + strings.TrimSuffix(strings.Repeat(button("s:a")+",", 6), ",") + `]}]}`, needContent: true, problem: "buttons"},
		{name: "long custom id", body: `{"content":"x","components":[{"type":1,"components":[` + button(strings.Repeat("k", 101)) + `]}]}`, needContent: true, problem: "custom_id"},
		{name: "unknown parse type", body: `{"content":"x","allowed_mentions":{"parse":["all"]}}`, needContent: true, problem: "parse"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, problem := checkMessage([]byte(tc.body), tc.needContent)
			if (problem == "") != (tc.problem == "") || !strings.Contains(problem, tc.problem) {
				t.Errorf("checkMessage(%.60s) problem = %q; want %q", tc.body, problem, tc.problem)
			}
			if problem == "" && m.PingsNobody() != tc.pingsNobody {
				t.Errorf("PingsNobody(%s) = %v; want %v", m.AllowedMentions, m.PingsNobody(), tc.pingsNobody)
			}
		})
	}
}

func TestCheckCommands(t *testing.T) {
	tests := []struct {
		name    string
		cmds    []Command
		problem string
	}{
		{name: "fine", cmds: []Command{{Name: "ask", Description: "Ask", NameLocalizations: map[string]string{"zh-CN": "ask"}, DescriptionLocalizations: map[string]string{"zh-CN": "提问"}}}},
		{name: "upper case", cmds: []Command{{Name: "Ask", Description: "Ask"}}, problem: "invalid command name"},
		{name: "no description", cmds: []Command{{Name: "ask"}}, problem: "description"},
		{name: "unknown locale", cmds: []Command{{Name: "ask", Description: "Ask", DescriptionLocalizations: map[string]string{"xx": "x"}}}, problem: "locale"},
		{name: "twice", cmds: []Command{{Name: "ask", Description: "A"}, {Name: "ask", Description: "B"}}, problem: "twice"},
		{name: "required after optional", cmds: []Command{{Name: "ask", Description: "A", Options: []CommandOption{
			{Name: "a", Description: "a"}, {Name: "b", Description: "b", Required: true},
		}}}, problem: "follows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			problem := checkCommands(tc.cmds)
			if (problem == "") != (tc.problem == "") || !strings.Contains(problem, tc.problem) {
				t.Errorf("checkCommands = %q; want %q", problem, tc.problem)
			}
		})
	}
}

func TestDecoded(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: `a "quoted" \ text`, want: `a "quoted" \ text`},
		{name: "controls", in: "a\x00b\nc", want: "a\x00b\nc"},
		{name: "invalid bytes", in: "a\xff\xfeb", want: "a\uFFFD\uFFFDb"},
		{name: "emoji", in: "😀", want: "😀"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decoded(tc.in); got != tc.want {
				t.Errorf("Decoded(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}
