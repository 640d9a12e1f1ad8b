package bot

import "strings"

// Locale is the language an answer is written in.
type Locale string

// The locales the engine answers in.
const (
	English Locale = "en"
	Chinese Locale = "zh"
)

// LocaleOf maps a platform language tag ("zh-CN", "zh-hans", "en-US", "") to
// the locale the engine answers in; anything that is not Chinese is English.
func LocaleOf(tag string) Locale {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(tag)), "zh") {
		return Chinese
	}
	return English
}

// Question is one message asked of the engine.
type Question struct {
	Text string
	// ConversationID keys the short-lived context used for follow-ups
	// ("and Chenzhou?"). Adapters choose it: per private chat, per user in a
	// group. Empty means no context: the question stands alone and is not
	// remembered.
	ConversationID string
	// Locale is the asker's platform language tag; Chinese text is answered in
	// Chinese whatever it says.
	Locale string
	// Lang forces the answer language when set (planbot ask --lang).
	Lang Locale
}

// Suggestion is a question the engine proposes when it is unsure.
type Suggestion struct {
	// Text is the question, in the answer's language, shown on a button.
	Text string
	// Key is a short ASCII token (at most 48 bytes) that Engine.Suggested turns
	// back into the question: it fits Telegram callback data and Discord custom ids.
	Key string
}

// Explanation says why the engine answered as it did.
type Explanation struct {
	Intent          Intent   `json:"intent"`
	Confidence      float64  `json:"confidence"`
	Entities        []string `json:"entities"`
	RunnerUp        Intent   `json:"runner_up"`
	RunnerUpScore   float64  `json:"runner_up_confidence"`
	FromContext     bool     `json:"from_context"`
	NormalizedQuery string   `json:"normalized"`
}

// Answer is the engine's structured reply. Text is the whole answer as plain
// text; the other fields let an adapter format it for its platform.
type Answer struct {
	Text        string
	Lang        Locale
	Title       string
	Lines       []string
	Suggestions []Suggestion
	// Source is the short source line, already included at the end of Text.
	Source string
	// Sources are the fact-sheet source ids the answer rests on ("S3").
	Sources []string
	// Fallback is true when the engine does not know the answer.
	Fallback bool
	Why      Explanation
}
