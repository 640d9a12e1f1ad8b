package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

// clock is a settable time source for context expiry.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func engineWith(t *testing.T, opts bot.Options) *bot.Engine {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatalf("knowledge.Load: %v", err)
	}
	e, err := bot.New(kb, opts)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return e
}

func TestAnswerLanguage(t *testing.T) {
	e := engineWith(t, bot.Options{})
	tests := []struct {
		name, text, locale string
		force              bot.Locale
		want               bot.Locale
	}{
		{"english text", "Who is Ganzhou paired with?", "", "", bot.English},
		{"chinese text from an english user", "赣州和谁结对", "en-US", "", bot.Chinese},
		{"english text from a chinese user", "Who is Ganzhou paired with?", "zh-CN", "", bot.English},
		{"a bare name takes the locale", "赣州", "en", "", bot.Chinese},
		{"pinyin name only takes the locale", "ganzhou?", "zh-hans", "", bot.Chinese},
		{"forced language wins", "Who is Ganzhou paired with?", "", bot.Chinese, bot.Chinese},
		{"no words at all takes the locale", "???", "zh", "", bot.Chinese},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := bot.Question{Text: tc.text, Locale: tc.locale, Lang: tc.force}
			a := e.Answer(context.Background(), q)
			if a.Lang != tc.want {
				t.Errorf("Answer(%q, locale %q).Lang = %q; want %q (%q)", tc.text, tc.locale, a.Lang, tc.want, a.Text)
			}

		})
	}
}

func TestQuestionLocale(t *testing.T) {
	tests := []struct {
		q    bot.Question
		want bot.Locale
	}{
		{bot.Question{Text: "赣州和谁结对", Locale: "en"}, bot.Chinese},
		{bot.Question{Text: "who is ganzhou paired with", Locale: "zh-CN"}, bot.English},
		{bot.Question{Text: "???", Locale: "zh"}, bot.Chinese},
		{bot.Question{Text: "???"}, bot.English},
		{bot.Question{Text: "hello", Lang: bot.Chinese}, bot.Chinese},
	}
	for _, tc := range tests {
		if got := bot.QuestionLocale(tc.q); got != tc.want {
			t.Errorf("QuestionLocale(%+v) = %q; want %q", tc.q, got, tc.want)
		}
	}
}

func TestFollowUps(t *testing.T) {
	e := engineWith(t, bot.Options{})
	tests := []struct {
		name  string
		turns []string
		want  []string // a fact the last answer must contain
		not   string   // and one it must not
	}{
		{"another key city", []string{"Who is Zhangjiajie paired with?", "and Chenzhou?"}, []string{"Foshan"}, "Nanjing"},
		{"a partner after a key city", []string{"Who is Zhangjiajie paired with?", "what about Shenzhen"}, []string{"Ganzhou", "Baise", "Shanwei"}, "Nanjing"},
		{"pronoun for the city", []string{"Who is Zhangjiajie paired with?", "is it in Hunan?"}, []string{"Yes", "Hunan"}, ""},
		{"pronoun, wrong province", []string{"Who is Zhangjiajie paired with?", "is it in Jiangxi?"}, []string{"No", "Hunan"}, ""},
		{"question that needs no context", []string{"Who is Zhangjiajie paired with?", "when does it end?"}, []string{"2030"}, "Nanjing"},
		{"chinese ellipsis", []string{"张家界和哪个城市结对？", "那郴州呢？"}, []string{"佛山"}, "南京"},
		{"a task by its number after the list", []string{"What are the five key tasks?", "tell me about the third one"}, []string{"infrastructure"}, ""},
		{"the partner's other key cities", []string{"Who is Lu'an paired with?", "does that city support any other key city?"}, []string{"Sanming"}, ""},
		{"the partner's other key cities, in chinese", []string{"龙岩和哪个城市结对？", "这个城市还对口哪个城市？"}, []string{"梅州"}, ""},
		{"region after region", []string{"Which pairs are in Hunan?", "and Jiangxi?"}, []string{"Ganzhou", "Ji'an"}, "Zhangjiajie"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := fmt.Sprintf("followup-%d", i)
			var a bot.Answer
			for _, turn := range tc.turns {
				a = e.Answer(context.Background(), bot.Question{Text: turn, ConversationID: id})
			}
			last := tc.turns[len(tc.turns)-1]
			for _, w := range tc.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("Answer(%q) = %q; want it to contain %q", last, a.Text, w)
				}
			}
			if tc.not != "" && strings.Contains(a.Text, tc.not) {
				t.Errorf("Answer(%q) = %q; want no %q", last, a.Text, tc.not)
			}
		})
	}
}

func TestFollowUpNeedsItsOwnConversation(t *testing.T) {
	e := engineWith(t, bot.Options{})
	ctx := context.Background()
	e.Answer(ctx, bot.Question{Text: "Who is Zhangjiajie paired with?", ConversationID: "a"})
	a := e.Answer(ctx, bot.Question{Text: "is it in Hunan?", ConversationID: "b"})
	if !a.Fallback {
		t.Errorf("Answer(%q) in another conversation = %q; want a fallback, not a's context", "is it in Hunan?", a.Text)
	}
}

func TestContextExpires(t *testing.T) {
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	e := engineWith(t, bot.Options{Now: clk.Now, ContextTTL: 10 * time.Minute})
	ctx := context.Background()
	e.Answer(ctx, bot.Question{Text: "Who is Zhangjiajie paired with?", ConversationID: "c"})
	clk.advance(9 * time.Minute)
	if a := e.Answer(ctx, bot.Question{Text: "is it in Hunan?", ConversationID: "c"}); a.Fallback {
		t.Fatalf("after 9 minutes: Answer = %q; want the context still used", a.Text)
	}
	clk.advance(11 * time.Minute)
	if a := e.Answer(ctx, bot.Question{Text: "is it in Hunan?", ConversationID: "c"}); !a.Fallback {
		t.Fatalf("after 11 silent minutes: Answer = %q; want a fallback, the context gone", a.Text)
	}
}

// TestConcurrentConversations runs many conversations at once; with -race it
// proves the engine safe for concurrent use, and each conversation must keep
// its own context.
func TestConcurrentConversations(t *testing.T) {
	e := engineWith(t, bot.Options{MaxConversations: 1000})
	pairs := [][2]string{{"Zhangjiajie", "Nanjing"}, {"Chenzhou", "Foshan"}, {"Ganzhou", "Shenzhen"}, {"Linyi", "Jinan"}}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := pairs[g%len(pairs)]
			id := fmt.Sprintf("conc-%d", g)
			for range 20 {
				e.Answer(context.Background(), bot.Question{Text: "Who is " + p[0] + " paired with?", ConversationID: id})
				a := e.Answer(context.Background(), bot.Question{Text: "who is it paired with?", ConversationID: id})
				if !strings.Contains(a.Text, p[1]) {
					errs <- fmt.Sprintf("conversation %s: follow-up = %q; want %s", id, a.Text, p[1])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCommands(t *testing.T) {
	e := engineWith(t, bot.Options{})
	tests := []struct {
		cmd    bot.Command
		locale string
		want   []string
	}{
		{bot.CommandStart, "en", []string{"Welcome", "Zhangjiajie"}},
		{bot.CommandStart, "zh-CN", []string{"欢迎", "张家界"}},
		{bot.CommandHelp, "en", []string{"For example"}},
		{bot.CommandPairs, "en", []string{"Ganzhou (Jiangxi) — Shenzhen (Guangdong)", "20. The 20th pair is not named"}},
		{bot.CommandPairs, "zh", []string{"赣州市（江西省） — 深圳市（广东省）"}},
		{bot.CommandTasks, "en", []string{"1. Inherit and carry forward red", "5. Jointly build platforms"}},
		{bot.CommandAbout, "en", []string{"2022 to 2030", "S3: Rednet English"}},
	}
	for _, tc := range tests {
		t.Run(string(tc.cmd)+"/"+tc.locale, func(t *testing.T) {
			a := e.Command(context.Background(), tc.cmd, bot.Question{Locale: tc.locale})
			for _, w := range tc.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("Command(%s, %s) = %q; want it to contain %q", tc.cmd, tc.locale, a.Text, w)
				}
			}
		})
	}
}

func TestCommandInfoInBothLanguages(t *testing.T) {
	for _, loc := range []bot.Locale{bot.English, bot.Chinese} {
		for _, c := range bot.Commands(loc) {
			if c.Description == "" || c.Name == "" {
				t.Errorf("Commands(%s): %s has no name or description: %+v", loc, c.Command, c)
			}
		}
		if len(bot.Examples(loc)) < 3 {
			t.Errorf("Examples(%s) = %q; want several", loc, bot.Examples(loc))
		}
		if bot.RateLimitNotice(loc) == "" {
			t.Errorf("RateLimitNotice(%s) is empty", loc)
		}
	}
	if bot.ConnectHint() == "" {
		t.Error("ConnectHint() is empty")
	}
}

// TestSuggestionsRoundTrip: every suggestion a fallback offers has a short
// key that Suggested turns back into the same question, and asking that
// question is answered, not another fallback.
func TestSuggestionsRoundTrip(t *testing.T) {
	e := engineWith(t, bot.Options{})
	for _, text := range []string{"what is the population of Ganzhou", "who is zhangjj paired with", "tell me a joke", "深圳的GDP是多少"} {
		a := e.Answer(context.Background(), bot.Question{Text: text})
		if !a.Fallback || len(a.Suggestions) == 0 {
			t.Fatalf("Answer(%q) = %q; want a fallback with suggestions", text, a.Text)
		}
		for _, s := range a.Suggestions {
			if len(s.Key) == 0 || len(s.Key) > 48 {
				t.Errorf("suggestion key %q: want 1 to 48 bytes", s.Key)
			}
			q, ok := e.Suggested(s.Key, a.Lang)
			if !ok || q != s.Text {
				t.Errorf("Suggested(%q) = %q, %v; want %q", s.Key, q, ok, s.Text)
			}
			if b := e.Answer(context.Background(), bot.Question{Text: q}); b.Fallback {
				t.Errorf("asking suggestion %q got a fallback: %q", q, b.Text)
			}
		}
	}
	if _, ok := e.Suggested("partner_of:nowhere", bot.English); ok {
		t.Error(`Suggested("partner_of:nowhere") ok; want false`)
	}
}

func TestLookalikeSuggestion(t *testing.T) {
	e := engineWith(t, bot.Options{})
	a := e.Answer(context.Background(), bot.Question{Text: "who is zhangjj paired with?"})
	if !a.Fallback || len(a.Suggestions) == 0 || !strings.Contains(a.Suggestions[0].Text, "Zhangjiajie") {
		t.Errorf("Answer(%q) suggestions = %+v; want Zhangjiajie first", "who is zhangjj paired with?", a.Suggestions)
	}
}

// TestNearMissCitiesGetNoPairing: real cities a letter or two from the plan's
// cities are outside the plan, never read as the city they resemble.
func TestNearMissCitiesGetNoPairing(t *testing.T) {
	e := engineWith(t, bot.Options{})
	tests := []struct{ city, resembles, partner string }{
		{"Changzhou", "Hangzhou", "Enshi"},
		{"Longnan", "Longyan", "Guangzhou"},
		{"Xianyang", "Xinyang", "Suzhou"},
		{"Danzhou", "Ganzhou", "Shenzhen"},
		{"Nanping", "Nanjing", "Zhangjiajie"},
		{"Yuxi", "Wuxi", "Yan'an"},
		{"Huzhou", "Suzhou", "Xinyang"},
		{"常州", "杭州", "恩施"},
		{"陇南", "龙岩", "广州"},
	}
	for _, tc := range tests {
		t.Run(tc.city, func(t *testing.T) {
			q := "Who is " + tc.city + " paired with?"
			if !isASCIIString(tc.city) {
				q = tc.city + "和哪个城市结对？"
			}
			a := e.Answer(context.Background(), bot.Question{Text: q})
			if a.Why.Intent != bot.IntentNotInPlan || strings.Contains(a.Text, tc.partner) {
				t.Errorf("Answer(%q) = %s %q; want not_in_plan, never %s's pairing with %s", q, a.Why.Intent, a.Text, tc.resembles, tc.partner)
			}
		})
	}
}

func isASCIIString(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}

// TestNamesakesOutsidePlan: a name two cities share, neither in the plan, is
// answered for both, not with "I don't know a city by that name".
func TestNamesakesOutsidePlan(t *testing.T) {
	e := engineWith(t, bot.Options{})
	a := e.Answer(context.Background(), bot.Question{Text: "Who is Taizhou paired with?"})
	if a.Why.Intent != bot.IntentNotInPlan || !strings.Contains(a.Text, "Taizhou (Jiangsu)") || !strings.Contains(a.Text, "Taizhou (Zhejiang)") {
		t.Errorf("Answer(%q) = %s %q; want not_in_plan for both Taizhous", "Who is Taizhou paired with?", a.Why.Intent, a.Text)
	}
}
