// Package bot is planbot's platform-free conversation engine: a question in
// (text, conversation id, locale), a structured answer out. Adapters for
// Discord, Telegram and the terminal call it; it knows none of them.
//
// The pipeline, one file a step:
//
//   - normalize.go: valid UTF-8, platform markup removed (mentions, /cmd@bot,
//     HTML, links), NFKC and full-width folding, lower case, punctuation to
//     spaces, capped at 500 runes.
//   - entity.go, analyze.go: places, provinces, base areas and tasks found by
//     their aliases from package knowledge, in Latin text (across spaced
//     pinyin, with typo tolerance in typo.go) and inside unsegmented Chinese.
//   - classify.go: the question's features (English words after synonyms and
//     stemming, Chinese character pairs, one slot per kind of entity) scored
//     against example phrasings of every intent (data/intents.yaml) by
//     IDF-weighted cosine similarity.
//   - resolve.go: a confidence threshold and a margin over the best phrasing
//     that would answer differently; follow-ups and pronouns resolved against
//     the conversation's last turn (context.go: 10 minutes, LRU-bounded).
//   - compose.go: the answer worded from data/messages.yaml in the asker's
//     language, with its sources; suggest.go: "did you mean" suggestions.
//
// The rule above all: never a confident wrong answer. A question the engine
// does not understand gets a fallback that says so, with suggestions; a city
// the plan does not name is said to be outside the plan.
package bot
