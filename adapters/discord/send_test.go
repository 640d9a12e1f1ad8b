package discord

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

func realEngine(t *testing.T) *bot.Engine {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	e, err := bot.New(kb, bot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSplit(t *testing.T) {
	words := strings.Repeat("word ", 1000)           // 5000 bytes of short words
	lines := strings.Repeat("a line of text\n", 300) // 4500 bytes of lines
	tests := []struct {
		name  string
		text  string
		limit int
		want  int // chunks
	}{
		{name: "short", text: "hello", limit: 10, want: 1},
		{name: "exactly the limit", text: strings.Repeat("a", 10), limit: 10, want: 1},
		{name: "empty", text: "", limit: 10, want: 0},
		{name: "only white space", text: " \n \n", limit: 10, want: 0},
		{name: "words", text: words, limit: 2000, want: 3},
		{name: "lines", text: lines, limit: 2000, want: 3},
		{name: "one long word", text: strings.Repeat("x", 4500), limit: 2000, want: 3},
		{name: "Chinese", text: strings.Repeat("张家界", 1000), limit: 2000, want: 2},
		{name: "emoji count twice", text: strings.Repeat("😀", 1500), limit: 2000, want: 2},
		{name: "escapes stay whole", text: strings.Repeat(`\*`, 1500), limit: 2001, want: 2},
		{name: "emoji sequences stay whole", text: strings.Repeat("👍🏽", 700), limit: 1003, want: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := split(tc.text, tc.limit)
			if len(got) != tc.want {
				t.Fatalf("split(%.20q…, %d) = %d chunks; want %d", tc.text, tc.limit, len(got), tc.want)
			}
			for i, c := range got {
				if n := len(utf16.Encode([]rune(c))); n > tc.limit || n == 0 {
					t.Errorf("chunk %d has %d UTF-16 units; want 1 to %d", i, n, tc.limit)
				}
				if !utf8.ValidString(c) {
					t.Errorf("chunk %d is not valid UTF-8", i)
				}
				if strings.HasSuffix(c, `\`) && !strings.HasSuffix(c, `\\`) {
					t.Errorf("chunk %d ends inside an escape: %q", i, c[len(c)-10:])
				}
				if r, _ := utf8.DecodeRuneInString(c); joinsPrevious(r) {
					t.Errorf("chunk %d starts with %U, which belongs to the previous character", i, r)
				}
			}
			if squash(strings.Join(got, "")) != squash(tc.text) {
				t.Errorf("the chunks lose text: joined %d bytes, want %d", len(squash(strings.Join(got, ""))), len(squash(tc.text)))
			}
		})
	}
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{name: "plain", text: "Zhangjiajie is paired with Nanjing.", want: "Zhangjiajie is paired with Nanjing."},
		{name: "emphasis", text: "**bold** _it_ ~~gone~~ `code` ||spoiler||", want: `\*\*bold\*\* \_it\_ \~\~gone\~\~ \` + "`code\\`" + ` \|\|spoiler\|\|`},
		{name: "mentions", text: "@everyone <@&1> <@2>", want: `\@everyone \<\@&1\> \<\@2\>`},
		{name: "headings, quotes and lists at line starts", text: "# h\n> q\n- item\n  - sub\na-b", want: "\\# h\n\\> q\n\\- item\n  \\- sub\na-b"},
		{name: "masked link", text: "[click](http://evil.example)", want: `\[click\](http://evil.example)`},
		{name: "URL left alone", text: "see https://www.gov.cn/a_b/c*d.htm now", want: "see https://www.gov.cn/a_b/c*d.htm now"},
		{name: "URL inside a word is not a URL", text: "xhttps://a_b", want: `xhttps://a\_b`},
		{name: "backslash", text: `a\b`, want: `a\\b`},
		{name: "Chinese", text: "发改振兴〔2022〕766号", want: "发改振兴〔2022〕766号"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := escapeMarkdown(tc.text); got != tc.want {
				t.Errorf("escapeMarkdown(%q) = %q; want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{name: "controls dropped", text: "a\x00b\x07c\x1bd\u0085e", want: "abcde"},
		{name: "newlines and tabs kept", text: "a\nb\tc", want: "a\nb\tc"},
		{name: "invalid UTF-8 replaced", text: "a\xffb", want: "a\uFFFDb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := clean(tc.text); got != tc.want {
				t.Errorf("clean(%q) = %q; want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	sugg := func(n int) []bot.Suggestion {
		var s []bot.Suggestion
		for i := range n {
			s = append(s, bot.Suggestion{Text: fmt.Sprintf("Question %d?", i), Key: fmt.Sprintf("k%d", i)})
		}
		return s
	}
	tests := []struct {
		name           string
		answer         bot.Answer
		chunks, rows   int
		buttons        int
		lastEndsInDots bool
	}{
		{name: "short", answer: bot.Answer{Text: "Nanjing."}, chunks: 1},
		{name: "suggestions", answer: bot.Answer{Text: "Did you mean", Suggestions: sugg(3)}, chunks: 1, rows: 1, buttons: 3},
		{name: "many suggestions", answer: bot.Answer{Text: "x", Suggestions: sugg(30)}, chunks: 1, rows: 5, buttons: 25},
		{name: "duplicate and empty suggestions", answer: bot.Answer{Text: "x", Suggestions: append(sugg(2), bot.Suggestion{Text: "Question 0?", Key: "k0"}, bot.Suggestion{Text: "", Key: "k9"})}, chunks: 1, rows: 1, buttons: 2},
		{name: "runaway answer", answer: bot.Answer{Text: strings.Repeat("word ", 10_000)}, chunks: maxChunks, lastEndsInDots: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := format(tc.answer)
			if len(r.chunks) != tc.chunks {
				t.Errorf("%d chunks; want %d", len(r.chunks), tc.chunks)
			}
			buttons := 0
			for _, row := range r.components {
				buttons += len(row.(discordgo.ActionsRow).Components)
			}
			if len(r.components) != tc.rows || buttons != tc.buttons {
				t.Errorf("%d rows, %d buttons; want %d, %d", len(r.components), buttons, tc.rows, tc.buttons)
			}
			if last := r.chunks[len(r.chunks)-1]; strings.HasSuffix(last, "…") != tc.lastEndsInDots {
				t.Errorf("last chunk ends %q; want an ellipsis = %v", last[max(0, len(last)-10):], tc.lastEndsInDots)
			}
			for i := range r.chunks {
				if got := len(r.componentsFor(i)) > 0; got != (i == len(r.chunks)-1 && tc.rows > 0) {
					t.Errorf("chunk %d has buttons = %v; want them on the last chunk only", i, got)
				}
			}
		})
	}
}

func TestNoPingsMarshalsAnEmptyParseList(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{name: "channel message", v: discordgo.MessageSend{Content: "x", AllowedMentions: noPings()}},
		{name: "interaction response", v: discordgo.InteractionResponseData{Content: "x", AllowedMentions: noPings()}},
		{name: "follow-up", v: discordgo.WebhookParams{Content: "x", AllowedMentions: noPings()}},
		{name: "edit", v: discordgo.WebhookEdit{AllowedMentions: noPings()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), `"allowed_mentions":{"parse":[]`) {
				t.Errorf("marshalled %s; want allowed_mentions with \"parse\":[]", b)
			}
		})
	}
}

func TestRewriter(t *testing.T) {
	tests := []struct {
		name, base, in, want string
	}{
		{name: "test server", base: "http://127.0.0.1:5000", in: "https://discord.com/api/v9/gateway", want: "http://127.0.0.1:5000/api/v9/gateway"},
		{name: "proxy with a path", base: "https://proxy.example/discord/", in: "https://discord.com/api/v9/channels/1/messages", want: "https://proxy.example/discord/api/v9/channels/1/messages"},
		{name: "other hosts untouched", base: "http://127.0.0.1:5000", in: "https://cdn.discordapp.com/avatars/1.png", want: "https://cdn.discordapp.com/avatars/1.png"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base, err := url.Parse(tc.base)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			rt := rewrite(base, roundTrip(func(r *http.Request) (*http.Response, error) {
				got = r.URL.String()
				return nil, errors.New("not sent")
			}))
			req, err := http.NewRequest("GET", tc.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rt.RoundTrip(req); err == nil {
				t.Fatal("RoundTrip succeeded; the test transport never does")
			}
			if got != tc.want {
				t.Errorf("request for %s went to %s; want %s", tc.in, got, tc.want)
			}
			if req.URL.String() != tc.in {
				t.Errorf("RoundTrip changed the caller's request to %s", req.URL)
			}
		})
	}
	if _, ok := rewrite(&url.URL{Scheme: "https", Host: "discord.com"}, http.DefaultTransport).(rewriter); ok {
		t.Errorf("rewrite wraps the transport for Discord's own API; want it unchanged")
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestClassify(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		fatal bool
	}{
		{name: "bad token", err: &websocket.CloseError{Code: 4004}, fatal: true},
		{name: "disallowed intents", err: fmt.Errorf("open: %w", &websocket.CloseError{Code: 4014}), fatal: true},
		{name: "session timed out", err: &websocket.CloseError{Code: 4009}},
		{name: "network", err: errors.New("connection refused")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := errors.Is(classify(tc.err), ErrRejected); got != tc.fatal {
				t.Errorf("classify(%v) is fatal = %v; want %v", tc.err, got, tc.fatal)
			}
		})
	}
}

func TestNewChecksOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string // in the error; "" for none
	}{
		{name: "no token", opts: Options{}, want: "token"},
		{name: "bad API URL", opts: Options{Token: "t", APIURL: "ftp://x"}, want: "API URL"},
		{name: "shard out of range", opts: Options{Token: "t", ShardID: 2, ShardCount: 2}, want: "shard"},
		{name: "shard without a count", opts: Options{Token: "t", ShardID: 1}, want: "shard"},
		{name: "fine", opts: Options{Token: "t"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Logger = slog.New(slog.DiscardHandler)
			_, err := New(realEngine(t), tc.opts)
			if (err != nil) != (tc.want != "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("New(%+v) = %v; want an error about %q", tc.opts, err, tc.want)
			}
		})
	}
}
